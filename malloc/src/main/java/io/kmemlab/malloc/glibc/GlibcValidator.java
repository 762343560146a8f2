package io.kmemlab.malloc.glibc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@link GlibcMalloc#validate()}: malloc.c's do_check_malloc_state (MALLOC_DEBUG) done from the
 * outside, over the process's memory. Each problem is one line naming the address.
 */
final class GlibcValidator {
    private static final int LIMIT = 50;
    private final GlibcMalloc g;
    private final List<String> out = new ArrayList<>();

    GlibcValidator(GlibcMalloc g) {
        this.g = g;
    }

    private void bad(String s) {
        if (out.size() < LIMIT) {
            out.add(s);
        }
    }

    List<String> run() {
        if (!g.initialized() || !g.space().alive()) {
            return out;
        }
        try {
            for (Arena a : g.arenas()) {
                checkArena(a);
            }
            for (int t = 0; t < g.threads(); t++) {
                checkTcache(t);
            }
        } catch (GlibcMalloc.Died d) {
            bad("validate: a walk faulted (the process died)");
        }
        return out;
    }

    private long w(Arena a, long addr) {
        return g.readWord(a, addr);
    }

    private void checkArena(Arena a) {
        String an = a.main ? "main arena" : String.format("arena %x", a.base);
        Set<Long> free = new HashSet<>();
        // regular bins: links both ways, sizes belong to the bin, binmap set for non-empty bins
        for (int i = 1; i < GlibcMalloc.NBINS; i++) {
            long bin = a.binAt(i);
            long prev = bin;
            int n = 0;
            for (long p = w(a, bin + 16); p != bin; p = w(a, p + 16)) {
                if (++n > 1_000_000) {
                    bad(an + ": bin " + i + " does not end");
                    break;
                }
                if (w(a, p + 24) != prev) {
                    bad(String.format(
                            "%s: bin %d: chunk %x: bk %x is not the previous chunk %x", an, i, p, w(a, p + 24), prev));
                }
                long size = w(a, p + 8) & ~7L;
                if (i > 1 && GlibcMalloc.binIndex(size) != i) {
                    bad(String.format(
                            "%s: chunk %x of size %d sits in bin %d (its bin is %d)",
                            an, p, size, i, GlibcMalloc.binIndex(size)));
                }
                if ((w(a, p + 8) & GlibcMalloc.PREV_INUSE) == 0) {
                    bad(String.format("%s: free chunk %x: previous chunk is free too (not coalesced)", an, p));
                }
                if (w(a, p + size) != size) {
                    bad(String.format(
                            "%s: free chunk %x: footer %x differs from its size %x", an, p, w(a, p + size), size));
                }
                if ((w(a, p + size + 8) & GlibcMalloc.PREV_INUSE) != 0) {
                    bad(String.format("%s: free chunk %x: next chunk's PREV_INUSE is set", an, p));
                }
                free.add(p);
                prev = p;
            }
            if (i > 1 && n > 0 && (a.binmap[i >>> 5] & (1 << (i & 31))) == 0) {
                bad(an + ": bin " + i + " holds chunks but its binmap bit is clear");
            }
        }
        for (int i = 0; i < GlibcMalloc.NFASTBINS; i++) {
            int n = 0;
            for (long p = a.fastbin(i); p != 0; p = GlibcMalloc.protectPtr(p + 16, w(a, p + 16))) {
                if ((p & 15) != 0) {
                    bad(String.format("%s: fastbin %d: misaligned chunk %x", an, i, p));
                    break;
                }
                long size = w(a, p + 8) & ~7L;
                if (GlibcMalloc.fastbinIndex(size) != i) {
                    bad(String.format("%s: fastbin %d: chunk %x has size %d", an, i, p, size));
                }
                if (++n > 1_000_000) {
                    bad(an + ": fastbin " + i + " does not end");
                    break;
                }
            }
        }
        long top = a.top();
        long topSize = w(a, top + 8);
        if (a.systemMem != 0 && (topSize & GlibcMalloc.PREV_INUSE) == 0) {
            bad(String.format("%s: top %x: PREV_INUSE clear", an, top));
        }
        if (a.main && g.mp.sbrkBase != 0 && (a.flags & 2) == 0) {
            // walk the brk heap from its start to top: every chunk's size leads to the next
            long p = (g.mp.sbrkBase + 15) & ~15L;
            int n = 0;
            while (p != top) {
                long size = w(a, p + 8) & ~7L;
                if (size < GlibcMalloc.MINSIZE || (size & 15) != 0 || p + size > top) {
                    bad(String.format("%s: heap chunk %x has size %d (heap walk stops)", an, p, size));
                    break;
                }
                boolean nextPrevInuse = (w(a, p + size + 8) & GlibcMalloc.PREV_INUSE) != 0;
                if (!nextPrevInuse && !free.contains(p)) {
                    bad(String.format("%s: chunk %x is marked free but is in no bin", an, p));
                }
                if (nextPrevInuse && free.contains(p)) {
                    bad(String.format("%s: chunk %x is in a bin but marked in use", an, p));
                }
                p += size;
                if (++n > 50_000_000) {
                    break;
                }
            }
            long end = top + (topSize & ~7L);
            if (end - g.mp.sbrkBase != a.systemMem) {
                bad(String.format(
                        "%s: heap spans %d bytes but system_mem is %d", an, end - g.mp.sbrkBase, a.systemMem));
            }
        }
    }

    private void checkTcache(int t) {
        long tc = g.tcacheAddr(t);
        if (tc == 0) {
            return;
        }
        Arena a = g.mainArena;
        for (int i = 0; i < MallocPar.TCACHE_MAX_BINS; i++) {
            int count = (int) (w(a, tc + (i >>> 2) * 8L) >>> ((i & 3) * 16)) & 0xffff;
            int n = 0;
            for (long e = w(a, tc + 128 + 8L * i); e != 0; e = GlibcMalloc.protectPtr(e, w(a, e))) {
                if ((e & 15) != 0) {
                    bad(String.format("thread %d tcache bin %d: misaligned entry %x", t, i, e));
                    break;
                }
                long size = w(a, e - 8) & ~7L;
                if (MallocPar.csize2tidx(size) != i) {
                    bad(String.format("thread %d tcache bin %d: entry %x has chunk size %d", t, i, e, size));
                }
                if (w(a, e + 8) != g.tcacheKey()) {
                    bad(String.format("thread %d tcache bin %d: entry %x lacks the tcache key", t, i, e));
                }
                if (++n > 65535) {
                    break;
                }
            }
            if (n != count) {
                bad(String.format("thread %d tcache bin %d: count %d but %d entries", t, i, count, n));
            }
        }
    }
}
