package io.kmemlab.malloc.glibc;

import io.kmemlab.mm.user.HeapChunks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The main arena's brk heap as {@link HeapChunks}, read from the process's memory as a debugger's
 * heap walk reads it (gdb's {@code heap chunks} over {@code sbrk_base}..top): each chunk's size
 * word leads to the next. A chunk's header alone does not say whether it is free — tcache and
 * fastbin chunks keep the next chunk's PREV_INUSE set — so the free chunks are collected from the
 * lists first (every thread's tcache, the fastbins, the unsorted, small and large bins) and each
 * is named by its list. The first thread's tcache_perthread_struct is the allocator's metadata;
 * the top chunk ends the walk.
 *
 * <p>Live chunks glibc mmapped for a large request follow the brk heap (allocated, named
 * {@code mmapped}); thread arenas' heaps are not walked.
 */
final class GlibcHeapChunks implements HeapChunks {
    static final String TCACHE = "tcache";
    static final String FASTBIN = "fastbin";
    static final String UNSORTED = "unsorted bin";
    static final String SMALL = "small bin";
    static final String LARGE = "large bin";
    static final String TCACHE_STRUCT = "tcache_perthread_struct";
    static final String MMAPPED = "mmapped";
    private static final int WALK_LIMIT = 50_000_000;

    private final GlibcMalloc g;

    GlibcHeapChunks(GlibcMalloc g) {
        this.g = g;
    }

    @Override
    public void forEachChunk(ChunkVisitor visitor) {
        Arena a = g.mainArena;
        if (!g.initialized() || !g.space().alive() || g.mp.sbrkBase == 0 || (a.flags & 2) != 0) {
            return;
        }
        try {
            walk(a, lists(a), visitor);
            mmapped(a, visitor);
        } catch (GlibcMalloc.Died d) {
            // the process died under the walk: the chunks so far stand
        }
    }

    /** Chunk address → the list it is on, for every free chunk of the arena and the tcaches. */
    private Map<Long, String> lists(Arena a) {
        Map<Long, String> free = new HashMap<>();
        for (int i = 1; i < GlibcMalloc.NBINS; i++) {
            long bin = a.binAt(i);
            String name = i == 1 ? UNSORTED : GlibcMalloc.binIndex(GlibcMalloc.MIN_LARGE_SIZE) <= i ? LARGE : SMALL;
            int n = 0;
            for (long p = g.readWord(a, bin + 16); p != bin && n++ < WALK_LIMIT; p = g.readWord(a, p + 16)) {
                free.put(p, name);
            }
        }
        for (int i = 0; i < GlibcMalloc.NFASTBINS; i++) {
            int n = 0;
            for (long p = a.fastbin(i);
                    p != 0 && (p & 15) == 0 && n++ < WALK_LIMIT;
                    p = GlibcMalloc.protectPtr(p + 16, g.readWord(a, p + 16))) {
                free.put(p, FASTBIN);
            }
        }
        for (int t = 0; t < g.threads(); t++) {
            long tc = g.tcacheAddr(t);
            if (tc == 0) {
                continue;
            }
            for (int i = 0; i < MallocPar.TCACHE_MAX_BINS; i++) {
                int n = 0;
                for (long e = g.readWord(a, tc + 128 + 8L * i);
                        e != 0 && (e & 15) == 0 && n++ < 65536;
                        e = GlibcMalloc.protectPtr(e, g.readWord(a, e))) {
                    free.put(e - GlibcMalloc.CHUNK_HDR_SZ, TCACHE);
                }
            }
        }
        return free;
    }

    /** The live chunks glibc mmapped for themselves (IS_MMAPPED), in address order. */
    private void mmapped(Arena a, ChunkVisitor visitor) {
        List<Long> ptrs = new ArrayList<>();
        g.forEachLive(p -> {
            if ((g.readWord(a, p - 8) & GlibcMalloc.IS_MMAPPED) != 0) {
                ptrs.add(p);
            }
        });
        ptrs.sort(Long::compareUnsigned);
        for (long p : ptrs) {
            long size = g.readWord(a, p - 8) & ~GlibcMalloc.SIZE_BITS;
            visitor.chunk(p - GlibcMalloc.CHUNK_HDR_SZ, size, Kind.ALLOCATED, MMAPPED);
        }
    }

    private void walk(Arena a, Map<Long, String> free, ChunkVisitor visitor) {
        long top = a.top();
        long tcacheChunk = g.tcacheAddr(0) == 0 ? -1 : g.tcacheAddr(0) - GlibcMalloc.CHUNK_HDR_SZ;
        long p = (g.mp.sbrkBase + 15) & ~15L;
        int n = 0;
        while (p != top && n++ < WALK_LIMIT) {
            long size = g.readWord(a, p + 8) & ~GlibcMalloc.SIZE_BITS;
            if (size < GlibcMalloc.MINSIZE || (size & 15) != 0 || p + size > top) {
                return; // a corrupt size: validate() reports it; the map stops here
            }
            String list = free.get(p);
            if (list != null) {
                visitor.chunk(p, size, Kind.FREE, list);
            } else if (p == tcacheChunk) {
                visitor.chunk(p, size, Kind.METADATA, TCACHE_STRUCT);
            } else {
                visitor.chunk(p, size, Kind.ALLOCATED, "");
            }
            p += size;
        }
        long topSize = g.readWord(a, top + 8) & ~GlibcMalloc.SIZE_BITS;
        if (p == top && topSize > 0) {
            visitor.chunk(top, topSize, Kind.TOP, "");
        }
    }
}
