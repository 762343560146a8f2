package io.kmemlab.proc;

/**
 * One VMA as /proc/PID/maps shows it.
 *
 * @param pgoffBytes the offset in the backing file ({@code vm_pgoff << PAGE_SHIFT}), 0 for anonymous memory
 * @param dev the backing file system's device, {@code major << 8 | minor}
 * @param name the path, {@code [heap]}, {@code [stack]}, or "" for anonymous memory
 */
public record VmaInfo(long start, long end, int flags, long pgoffBytes, int dev, long ino, String name) {

    /** The shmem mount's device (the internal tmpfs, 00:01). */
    static final int SHMEM_DEV = 1;

    static VmaInfo of(Vma v, Mm mm) {
        if (v.file != null) {
            return new VmaInfo(v.start, v.end, v.flags, v.pgoff << 12, v.file.dev(), v.file.ino(), v.file.path());
        }
        if (v.shmem != null) {
            return new VmaInfo(v.start, v.end, v.flags, v.pgoff << 12, SHMEM_DEV, v.shmem.ino, "/dev/zero (deleted)");
        }
        String name = "";
        if (v.start <= mm.brk && v.end >= mm.startBrk) {
            name = "[heap]";
        } else if (v.start <= mm.startStack && v.end >= mm.startStack) {
            name = "[stack]";
        }
        return new VmaInfo(v.start, v.end, v.flags, 0, 0, 0, name);
    }

    public long pages() {
        return (end - start) >>> 12;
    }
}
