package io.kmemlab.boot.lab;

import io.kmemlab.boot.Kernel;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A student's allocator found in a directory, and its lab level — known from the interface its
 * class implements: {@link StudentPages} (buddy), {@link StudentSlab} (slab), {@link
 * StudentMalloc} (malloc) or {@link StudentKalloc} (kalloc, the lock lab).
 */
public final class LabStudent {
    /** The levels with a starter, in {@code --help} order. */
    public enum Level {
        BUDDY("buddy", "page allocator", StudentPages.class),
        SLAB("slab", "slab allocator", StudentSlab.class),
        MALLOC("malloc", "malloc allocator", StudentMalloc.class),
        /** The lock lab (labs/percpu-freelists): no {@code lab new} starter, the exercise has one. */
        KALLOC("kalloc", "kalloc", StudentKalloc.class);

        public final String word;
        final String noun;
        final Class<?> iface;

        Level(String word, String noun, Class<?> iface) {
            this.word = word;
            this.noun = noun;
            this.iface = iface;
        }
    }

    /** The student's class ready to instantiate, or why not. */
    public record Found(Level level, Class<?> type, String description, String error) {
        /** A fresh instance per run (its constructor's exception in words). */
        <T> Supplier<T> factory(Class<T> as) {
            return () -> {
                try {
                    return as.cast(type.getConstructor().newInstance());
                } catch (InvocationTargetException e) {
                    throw new IllegalStateException(
                            "its constructor threw " + MallocRun.describe(e.getCause()), e.getCause());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot construct it: " + e, e);
                }
            };
        }

        public Supplier<StudentPages> pages() {
            return factory(StudentPages.class);
        }

        public Function<Kernel, StudentSlab> slab() {
            Supplier<StudentSlab> f = factory(StudentSlab.class);
            return k -> f.get();
        }

        public Supplier<StudentKalloc> kalloc() {
            return factory(StudentKalloc.class);
        }

        public Supplier<StudentMalloc> malloc() {
            return factory(StudentMalloc.class);
        }
    }

    private LabStudent() {}

    /** Compiles or loads the allocator in {@code dir} and tells its level. */
    public static Found find(Path dir) {
        List<Class<?>> ifaces =
                List.of(StudentMalloc.class, StudentPages.class, StudentSlab.class, StudentKalloc.class);
        StudentLoader.Loaded<Object> l = StudentLoader.load(dir, ifaces);
        if (l.error() != null) {
            return new Found(null, null, null, l.error());
        }
        Class<?> type = l.type();
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            return new Found(null, null, null, type.getName() + " has no public no-argument constructor");
        }
        Level level = null;
        for (Level v : Level.values()) {
            if (v.iface.isAssignableFrom(type)) {
                if (level != null) {
                    return new Found(
                            null,
                            null,
                            null,
                            type.getName() + " implements the interfaces of two lab levels (" + level.word + " and "
                                    + v.word + "); pick one");
                }
                level = v;
            }
        }
        return new Found(level, type, level.noun + " " + type.getName(), null);
    }
}
