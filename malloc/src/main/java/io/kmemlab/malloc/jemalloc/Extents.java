package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.LongLongMap;
import java.util.Arrays;

/**
 * Every {@code edata_t} of the process as parallel arrays indexed by an int handle, and the global
 * page map ({@code emap}/rtree) from page number to handle. An extent is a page-aligned run of
 * virtual memory in one state: active (a slab or a large allocation), dirty, muzzy or retained.
 *
 * <pre>
 *   handle ─┬─ base, size, sn (serial number), addr (user pointer of a large extent)
 *           ├─ state, flags (HEAD: first extent of one mmap; SLAB), szind, arena, nfree
 *           ├─ next/prev: the list it sits in (an eset size bin, or a bin's nonfull slabs)
 *           ├─ lruNext/lruPrev: its ecache's LRU (dirty and muzzy extents, oldest first)
 *           └─ bitmap[handle * 8 ..]: a slab's region bitmap, bit set = region free
 * </pre>
 *
 * The page map holds each extent's first and last page, and for slabs every page (as
 * {@code emap_register_interior}), so free() finds a slab from any region and coalescing finds a
 * neighbour from the page just past or just before an extent. Handles freed by a merge go on a free
 * list for reuse, as {@code edata_cache} recycles {@code edata_t}s; {@link #peakLive()} is how many
 * the base allocator ever had to carve.
 */
final class Extents {
    static final byte ACTIVE = 0;
    static final byte DIRTY = 1;
    static final byte MUZZY = 2;
    static final byte RETAINED = 3;
    static final byte HEAD = 1;
    static final byte SLAB = 2;

    long[] base = new long[256];
    long[] size = new long[256];
    long[] sn = new long[256];
    long[] addr = new long[256];
    byte[] state = new byte[256];
    byte[] flags = new byte[256];
    int[] szind = new int[256];
    int[] arena = new int[256];
    int[] nfree = new int[256];
    int[] next = new int[256];
    int[] prev = new int[256];
    int[] lruNext = new int[256];
    int[] lruPrev = new int[256];
    long[] bitmap = new long[256 * SizeClasses.BITMAP_WORDS];

    private final LongLongMap pages = new LongLongMap(-1, 4096);
    private int count;
    private int freeHead = -1;
    private int live;
    private int peakLive;

    int newExtent(int arenaInd, long b, long s, long serial, byte st, byte fl) {
        int h;
        if (freeHead >= 0) {
            h = freeHead;
            freeHead = next[h];
        } else {
            if (count == base.length) {
                grow();
            }
            h = count++;
        }
        base[h] = b;
        size[h] = s;
        sn[h] = serial;
        addr[h] = b;
        state[h] = st;
        flags[h] = fl;
        szind[h] = SizeClasses.NSIZES;
        arena[h] = arenaInd;
        nfree[h] = 0;
        next[h] = prev[h] = lruNext[h] = lruPrev[h] = -1;
        live++;
        peakLive = Math.max(peakLive, live);
        return h;
    }

    void release(int h) {
        next[h] = freeHead;
        freeHead = h;
        live--;
    }

    int live() {
        return live;
    }

    /** Which handles are extents now (not on the free list of recycled handles), for reports. */
    boolean[] liveHandles() {
        boolean[] in = new boolean[count];
        java.util.Arrays.fill(in, true);
        for (int h = freeHead, n = 0; h >= 0 && n < count; h = next[h], n++) {
            in[h] = false;
        }
        return in;
    }

    int peakLive() {
        return peakLive;
    }

    boolean isHead(int h) {
        return (flags[h] & HEAD) != 0;
    }

    boolean isSlab(int h) {
        return (flags[h] & SLAB) != 0;
    }

    long past(int h) {
        return base[h] + size[h];
    }

    /** emap_register_boundary: first and last page. */
    void registerBoundary(int h) {
        pages.put(base[h] >>> SizeClasses.LG_PAGE, h);
        pages.put((past(h) - 1) >>> SizeClasses.LG_PAGE, h);
    }

    void deregisterBoundary(int h) {
        pages.remove(base[h] >>> SizeClasses.LG_PAGE);
        pages.remove((past(h) - 1) >>> SizeClasses.LG_PAGE);
    }

    /** emap_register_interior: the pages between first and last, for a slab. */
    void registerInterior(int h) {
        long first = base[h] >>> SizeClasses.LG_PAGE;
        long last = (past(h) - 1) >>> SizeClasses.LG_PAGE;
        for (long p = first + 1; p < last; p++) {
            pages.put(p, h);
        }
    }

    void deregisterInterior(int h) {
        long first = base[h] >>> SizeClasses.LG_PAGE;
        long last = (past(h) - 1) >>> SizeClasses.LG_PAGE;
        for (long p = first + 1; p < last; p++) {
            pages.remove(p);
        }
    }

    /** The extent holding the page of {@code address}, or -1. */
    int lookup(long address) {
        return (int) pages.get(address >>> SizeClasses.LG_PAGE);
    }

    /** edata_snad_comp: serial number, then address. */
    int snadComp(int a, int b) {
        int c = Long.compareUnsigned(sn[a], sn[b]);
        return c != 0 ? c : Long.compareUnsigned(base[a], base[b]);
    }

    private void grow() {
        int n = base.length * 2;
        base = Arrays.copyOf(base, n);
        size = Arrays.copyOf(size, n);
        sn = Arrays.copyOf(sn, n);
        addr = Arrays.copyOf(addr, n);
        state = Arrays.copyOf(state, n);
        flags = Arrays.copyOf(flags, n);
        szind = Arrays.copyOf(szind, n);
        arena = Arrays.copyOf(arena, n);
        nfree = Arrays.copyOf(nfree, n);
        next = Arrays.copyOf(next, n);
        prev = Arrays.copyOf(prev, n);
        lruNext = Arrays.copyOf(lruNext, n);
        lruPrev = Arrays.copyOf(lruPrev, n);
        bitmap = Arrays.copyOf(bitmap, n * SizeClasses.BITMAP_WORDS);
    }

    /** A sorted intrusive list of extents by (sn, address), through next/prev: heads in {@code heads[slot]}. */
    void sortedInsert(int[] heads, int slot, int h) {
        int cur = heads[slot];
        if (cur < 0 || snadComp(h, cur) < 0) {
            next[h] = cur;
            prev[h] = -1;
            if (cur >= 0) {
                prev[cur] = h;
            }
            heads[slot] = h;
            return;
        }
        while (next[cur] >= 0 && snadComp(next[cur], h) < 0) {
            cur = next[cur];
        }
        next[h] = next[cur];
        prev[h] = cur;
        if (next[cur] >= 0) {
            prev[next[cur]] = h;
        }
        next[cur] = h;
    }

    void listRemove(int[] heads, int slot, int h) {
        if (prev[h] >= 0) {
            next[prev[h]] = next[h];
        } else {
            heads[slot] = next[h];
        }
        if (next[h] >= 0) {
            prev[next[h]] = prev[h];
        }
        next[h] = prev[h] = -1;
    }
}
