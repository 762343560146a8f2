package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.trace.CacheDefinition;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.Test;

/** copyFrom copies every field, including fields added to TraceLine later. */
class TraceLineCopyTest {

    @Test
    void copyFrom_everyInstanceField_equalsTheOriginal() throws IllegalAccessException {
        TraceLine src = new TraceLine();
        int n = 1;
        // A distinct non-default value in every field, whatever its type.
        for (Field f : TraceLine.class.getDeclaredFields()) {
            if (Modifier.isStatic(f.getModifiers())) {
                continue;
            }
            f.setAccessible(true);
            Class<?> t = f.getType();
            if (t == long.class) {
                f.setLong(src, 1000L + n);
            } else if (t == int.class) {
                f.setInt(src, 100 + n);
            } else if (t == boolean.class) {
                f.setBoolean(src, true);
            } else if (t == String.class) {
                f.set(src, "s" + n);
            } else if (t == TraceOp.class) {
                f.set(src, TraceOp.KREALLOC);
            } else if (t == TraceLine.Kind.class) {
                f.set(src, TraceLine.Kind.OTHER_EVENT);
            } else if (t == CacheDefinition.class) {
                f.set(src, new CacheDefinition("c" + n, 64, 8, 0, true, 0, 0, -1, 0));
            } else {
                throw new AssertionError("copy test does not know field type " + t + " of " + f.getName());
            }
            n++;
        }
        TraceLine copy = new TraceLine().copyFrom(src);
        for (Field f : TraceLine.class.getDeclaredFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                assertThat(f.get(copy)).as(f.getName()).isEqualTo(f.get(src));
            }
        }
        assertThat(copy.kind()).isEqualTo(TraceLine.Kind.OTHER_EVENT);
        assertThat(copy.op()).isEqualTo(TraceOp.KREALLOC);
    }
}
