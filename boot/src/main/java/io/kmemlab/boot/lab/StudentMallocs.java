package io.kmemlab.boot.lab;

import io.kmemlab.mm.user.UserAllocatorProvider;
import java.nio.file.Path;
import java.util.function.Supplier;

/** Where the lab's malloc implementations come from: a student's directory, or kmemlab's own. */
public final class StudentMallocs {

    /** A student's allocator ready to instantiate, or why not. */
    public record Found(Supplier<StudentMalloc> factory, String description, String error) {}

    private StudentMallocs() {}

    /** Compiles or loads the allocator in {@code dir}; an allocator of another level is an error here. */
    public static Found find(Path dir) {
        LabStudent.Found f = LabStudent.find(dir);
        if (f.error() != null) {
            return new Found(null, null, f.error());
        }
        if (f.level() != LabStudent.Level.MALLOC) {
            return new Found(
                    null, null, f.type().getName() + " is a " + f.level().word + "-level allocator, not malloc");
        }
        return new Found(f.malloc(), f.description(), null);
    }

    /** kmemlab's allocator {@code name} behind the student interface, or null. */
    public static Supplier<StudentMalloc> reference(String name) {
        UserAllocatorProvider p = ReferenceMalloc.provider(name);
        return p == null ? null : () -> new ReferenceMalloc(p);
    }
}
