import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/**
 * An implicit free list with boundary tags (CS:APP 9.9), for the exercise "first fit versus best
 * fit with coalescing". Every block has an 8-byte header and an 8-byte footer holding its size
 * (a multiple of 16) with bit 0 set while it is allocated; payloads are 16-aligned. The heap
 * layout, growing it and splitting a block are given; finding a fit and coalescing are yours.
 *
 *   heap start: 8 bytes of padding, then blocks: [header | payload ... | footer], then an epilogue
 *   header of size 0, allocated.
 */
public class Mm implements StudentMalloc {
    /** FIRST: the first free block that fits; BEST: the smallest free block that fits. */
    enum Policy {
        FIRST,
        BEST
    }

    static final Policy POLICY = Policy.FIRST;
    private static final long WORD = 8;
    private static final long MIN_BLOCK = 32;

    private UserSpace mem;
    /** The first block's header. */
    private long first;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        long start = sbrk(2 * WORD);
        if (start == 0) {
            return false;
        }
        first = start + WORD;
        mem.writeU64(first, pack(0, true)); // the epilogue
        return true;
    }

    @Override
    public long malloc(long size) {
        if (size <= 0) {
            return 0;
        }
        long asize = Math.max(MIN_BLOCK, align(size + 2 * WORD));
        long b = findFit(asize);
        if (b == 0) {
            b = extend(asize);
            if (b == 0) {
                return 0;
            }
        }
        place(b, asize);
        return b + WORD;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) {
            return;
        }
        long b = ptr - WORD;
        long size = sizeOf(b);
        mem.writeU64(b, pack(size, false));
        mem.writeU64(b + size - WORD, pack(size, false));
        coalesce(b);
    }

    @Override
    public long realloc(long ptr, long size) {
        if (ptr == 0) {
            return malloc(size);
        }
        if (size == 0) {
            free(ptr);
            return 0;
        }
        long q = malloc(size);
        if (q == 0) {
            return 0;
        }
        mem.copy(q, ptr, Math.min(sizeOf(ptr - WORD) - 2 * WORD, size));
        free(ptr);
        return q;
    }

    /**
     * The header of a free block of at least asize bytes, chosen by POLICY, or 0. Walk the blocks
     * from `first` by their sizes until the epilogue (size 0).
     */
    private long findFit(long asize) {
        throw new UnsupportedOperationException("findFit is not implemented yet");
    }

    /**
     * Merges free block b with a free neighbour before it (its footer is the word before b's
     * header) and after it; returns the merged block's header. Without it, free memory splinters.
     */
    private long coalesce(long b) {
        throw new UnsupportedOperationException("coalesce is not implemented yet");
    }

    /** Allocates asize bytes at the front of free block b, leaving the rest free if it is a block. */
    private void place(long b, long asize) {
        long size = sizeOf(b);
        if (size - asize >= MIN_BLOCK) {
            mem.writeU64(b, pack(asize, true));
            mem.writeU64(b + asize - WORD, pack(asize, true));
            long rest = b + asize;
            mem.writeU64(rest, pack(size - asize, false));
            mem.writeU64(rest + size - asize - WORD, pack(size - asize, false));
        } else {
            mem.writeU64(b, pack(size, true));
            mem.writeU64(b + size - WORD, pack(size, true));
        }
    }

    /** Grows the heap by a free block of asize bytes where the epilogue was; returns its header. */
    private long extend(long asize) {
        long old = sbrk(asize);
        if (old == 0) {
            return 0;
        }
        long b = old - WORD; // the old epilogue becomes the new block's header
        mem.writeU64(b, pack(asize, false));
        mem.writeU64(b + asize - WORD, pack(asize, false));
        mem.writeU64(b + asize, pack(0, true));
        return coalesce(b);
    }

    private long sizeOf(long header) {
        return mem.readU64(header) & ~15L;
    }

    private boolean allocated(long header) {
        return (mem.readU64(header) & 1) != 0;
    }

    private static long pack(long size, boolean allocated) {
        return size | (allocated ? 1 : 0);
    }

    private long sbrk(long incr) {
        long old = mem.brkAddress();
        return mem.brk(old + incr) == old + incr ? old : 0;
    }

    private static long align(long n) {
        return (n + 15) & -16L;
    }
}
