package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.user.HeapChunks;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * jemalloc's heap as {@link HeapChunks}: every extent of the process in address order — a slab
 * as its regions (allocated, free in the slab's bitmap, or cached in the thread's tcache), a large
 * extent as one chunk (allocated, or cached in the tcache), a dirty, muzzy or retained extent as
 * one free chunk named by its ecache — and the base blocks (the allocator's metadata). Read from
 * the extent table, the tcache stacks and the bases; changes nothing.
 */
final class JemallocHeapChunks implements HeapChunks {
    static final String TCACHE = "tcache";
    static final String SLAB = "slab region";
    static final String DIRTY = "dirty extent";
    static final String MUZZY = "muzzy extent";
    static final String RETAINED = "retained extent";
    static final String BASE = "base";

    private final Jemalloc j;

    JemallocHeapChunks(Jemalloc j) {
        this.j = j;
    }

    @Override
    public void forEachChunk(ChunkVisitor visitor) {
        Set<Long> cached = new HashSet<>();
        Tcache tc = j.tcache;
        if (tc != null) {
            for (int b = 0; b < tc.nhbins; b++) {
                for (int i = tc.head[b]; i < tc.ncachedMax[b]; i++) {
                    cached.add(tc.stack[tc.offset[b] + i]);
                }
            }
        }
        Extents ex = j.ex;
        boolean[] live = ex.liveHandles();
        List<long[]> chunks = new ArrayList<>(); // addr, size, kind ordinal, list index
        List<String> lists = new ArrayList<>(List.of("", TCACHE, SLAB, DIRTY, MUZZY, RETAINED, BASE));
        for (int h = 0; h < live.length; h++) {
            if (!live[h]) {
                continue;
            }
            long base = ex.base[h];
            switch (ex.state[h]) {
                case Extents.ACTIVE -> {
                    if (ex.isSlab(h)) {
                        int binind = ex.szind[h];
                        long reg = SizeClasses.index2size(binind);
                        int nregs = SizeClasses.nregs(binind);
                        int w0 = h * SizeClasses.BITMAP_WORDS;
                        for (int r = 0; r < nregs; r++) {
                            long a = base + r * reg;
                            boolean free = (ex.bitmap[w0 + (r >>> 6)] & (1L << (r & 63))) != 0;
                            if (free) {
                                chunks.add(new long[] {a, reg, Kind.FREE.ordinal(), 2});
                            } else if (cached.contains(a)) {
                                chunks.add(new long[] {a, reg, Kind.FREE.ordinal(), 1});
                            } else {
                                chunks.add(new long[] {a, reg, Kind.ALLOCATED.ordinal(), 0});
                            }
                        }
                    } else if (cached.contains(ex.addr[h])) {
                        chunks.add(new long[] {base, ex.size[h], Kind.FREE.ordinal(), 1});
                    } else {
                        chunks.add(new long[] {base, ex.size[h], Kind.ALLOCATED.ordinal(), 0});
                    }
                }
                case Extents.DIRTY -> chunks.add(new long[] {base, ex.size[h], Kind.FREE.ordinal(), 3});
                case Extents.MUZZY -> chunks.add(new long[] {base, ex.size[h], Kind.FREE.ordinal(), 4});
                default -> chunks.add(new long[] {base, ex.size[h], Kind.FREE.ordinal(), 5});
            }
        }
        List<Base> bases = new ArrayList<>();
        bases.add(j.b0);
        for (Arena a : j.arenas) {
            if (a != null && !bases.contains(a.base)) {
                bases.add(a.base);
            }
        }
        for (Base b : bases) {
            for (int i = 0; i < b.blocks(); i++) {
                chunks.add(new long[] {b.block(i), b.blockSize(i), Kind.METADATA.ordinal(), 6});
            }
        }
        chunks.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
        Kind[] kinds = Kind.values();
        for (long[] c : chunks) {
            visitor.chunk(c[0], c[1], kinds[(int) c[2]], lists.get((int) c[3]));
        }
    }
}
