package io.kmemlab.boot.lab;

import io.kmemlab.mm.user.UserAllocatorProvider;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Where the lab's malloc implementations come from: a student's directory, or kmemlab's own. */
public final class StudentMallocs {

    /** A student's allocator ready to instantiate, or why not. */
    public record Found(Supplier<StudentMalloc> factory, String description, String error) {}

    private StudentMallocs() {}

    /** Compiles or loads the allocator in {@code dir}. */
    public static Found find(Path dir) {
        StudentLoader.Loaded<StudentMalloc> l = StudentLoader.load(dir, StudentMalloc.class);
        if (l.error() != null) {
            return new Found(null, null, l.error());
        }
        Class<? extends StudentMalloc> type = l.type();
        try {
            type.getConstructor();
        } catch (NoSuchMethodException e) {
            return new Found(null, null, type.getName() + " has no public no-argument constructor");
        }
        Supplier<StudentMalloc> factory = () -> {
            try {
                return type.getConstructor().newInstance();
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(
                        "its constructor threw " + MallocRun.describe(e.getCause()), e.getCause());
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot construct it: " + e, e);
            }
        };
        return new Found(factory, "malloc allocator " + type.getName(), null);
    }

    /** kmemlab's allocator {@code name} behind the student interface, or null. */
    public static Supplier<StudentMalloc> reference(String name) {
        UserAllocatorProvider p = ReferenceMalloc.provider(name);
        return p == null ? null : () -> new ReferenceMalloc(p);
    }
}
