package io.kmemlab.malloc.bump;

/**
 * The bump allocator's settings.
 *
 * @param arenaBytes the size of each arena mapping (rounded up to pages)
 * @param populate map arenas with MAP_POPULATE (every page faulted in during mmap)
 * @param alignment the alignment of every payload, a power of two from 8 to 4096
 * @param largeBytes requests above this get a mapping of their own instead of arena space
 */
public record BumpOptions(long arenaBytes, boolean populate, long alignment, long largeBytes) {

    public static final long DEFAULT_ARENA = 1L << 20;

    public BumpOptions {
        if (arenaBytes < 4096 || alignment < 8 || alignment > 4096 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("bad bump options");
        }
    }

    public static BumpOptions defaults() {
        return new BumpOptions(DEFAULT_ARENA, false, 16, DEFAULT_ARENA / 4);
    }

    public BumpOptions withArenaBytes(long bytes) {
        return new BumpOptions(bytes, populate, alignment, Math.min(largeBytes, bytes / 4));
    }

    public BumpOptions withPopulate(boolean on) {
        return new BumpOptions(arenaBytes, on, alignment, largeBytes);
    }

    public BumpOptions withAlignment(long align) {
        return new BumpOptions(arenaBytes, populate, align, largeBytes);
    }

    public BumpOptions withLargeBytes(long bytes) {
        return new BumpOptions(arenaBytes, populate, alignment, bytes);
    }
}
