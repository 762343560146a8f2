package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** obj_to_index by reciprocal multiplication equals the division it replaces. */
class ObjIndexPropertiesTest {

    @Property
    void objIndex_equalsQuotient(
            @ForAll @IntRange(min = 2, max = 1 << 22) int size,
            @ForAll @LongRange(min = 0, max = 0xffffffffL) long off) {
        assertThat(ClassicSlabCache.objIndex(off, ClassicSlabCache.reciprocal(size)))
                .isEqualTo((int) (off / size));
    }

    @Example
    void objIndex_everyOffsetOfCommonSlotSizes() {
        for (int size : new int[] {2, 8, 24, 32, 64, 96, 192, 704, 4096, 4160, 32768}) {
            long r = ClassicSlabCache.reciprocal(size);
            long wrong = 0;
            for (long off = 0; off < 40L * size; off++) {
                if (ClassicSlabCache.objIndex(off, r) != off / size) {
                    wrong++;
                }
            }
            assertThat(wrong).as("mismatches for size %d", size).isZero();
        }
    }
}
