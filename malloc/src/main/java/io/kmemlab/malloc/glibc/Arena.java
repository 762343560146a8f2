package io.kmemlab.malloc.glibc;

/**
 * One arena: glibc's {@code struct malloc_state}. The words a chunk's links can point at (the
 * fastbin heads, top, last_remainder and the 127 bin headers, each overlaying a fake chunk whose
 * fd/bk are two words of {@code bins[]}) are kept in {@link #st}, addressed as if the struct sat at
 * {@link #base}: the main arena at a fixed address in the last page below TASK_SIZE (libc's .data,
 * which a process can never map), a thread arena inside its first heap right after heap_info, as
 * in arena.c. {@link GlibcMalloc}'s load/store route an address inside the struct here.
 *
 * <pre>
 *  offset  word  field (x86-64, glibc 2.36: sizeof = 0x898)
 *  0x000    0    mutex, flags
 *  0x008    1    have_fastchunks
 *  0x010    2    fastbinsY[10]
 *  0x060   12    top
 *  0x068   13    last_remainder
 *  0x070   14    bins[254]       bin i (1..127) = the fake chunk at 0x050 + 16 * i: fd, bk = bins[2i-2], bins[2i-1]
 *  0x860  268    binmap[4]       (kept in {@link #binmap})
 *  0x870  270    next, next_free, attached_threads, system_mem, max_system_mem
 * </pre>
 */
final class Arena {
    static final int STATE_BYTES = 0x898;
    static final int W_FASTBINS = 2;
    static final int W_TOP = 12;
    static final int W_LAST_REMAINDER = 13;
    static final int W_BINS = 14;

    final long base;
    final boolean main;
    /** The struct's words; see the class comment. */
    final long[] st = new long[STATE_BYTES / 8 + 1];

    final int[] binmap = new int[4];
    int flags;
    boolean haveFastchunks;
    long systemMem;
    long maxSystemMem;
    Arena next;
    Arena nextFree;
    long attachedThreads;
    /** Non-main: the address of the newest heap's heap_info (heap_for_ptr(top)). */
    long heap;
    /** The arena's mutex in virtual time, once a scheduler drives the allocator (else null). */
    io.kmemlab.mm.sched.VLock mutex;

    Arena(long base, boolean main) {
        this.base = base;
        this.main = main;
    }

    /** bin_at(av, i): the address of bin i's fake chunk. */
    long binAt(int i) {
        return base + 0x50 + 16L * i;
    }

    /** The bin's first chunk (fd). */
    long binFd(int i) {
        return st[W_BINS + 2 * i - 2];
    }

    /** The bin's last chunk (bk). */
    long binBk(int i) {
        return st[W_BINS + 2 * i - 1];
    }

    long top() {
        return st[W_TOP];
    }

    void top(long p) {
        st[W_TOP] = p;
    }

    long lastRemainder() {
        return st[W_LAST_REMAINDER];
    }

    void lastRemainder(long p) {
        st[W_LAST_REMAINDER] = p;
    }

    long fastbin(int idx) {
        return st[W_FASTBINS + idx];
    }

    void fastbin(int idx, long p) {
        st[W_FASTBINS + idx] = p;
    }
}
