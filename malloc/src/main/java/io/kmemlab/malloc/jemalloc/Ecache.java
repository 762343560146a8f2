package io.kmemlab.malloc.jemalloc;

import java.util.Arrays;

/**
 * One extent cache ({@code ecache_t} with its {@code eset_t}): the dirty, muzzy or retained extents
 * of an arena, in one sorted list per page size class (by serial number, then address: the heap
 * order of {@code edata_heap}), a bitmap of the non-empty classes, and an LRU for decay.
 */
final class Ecache {
    final byte state;
    /** Dirty extents are coalesced late (on eviction), except large ones, as delay_coalesce. */
    final boolean delayCoalesce;

    final int[] heads = new int[SizeClasses.NPSIZES];
    final long[] nonempty = new long[(SizeClasses.NPSIZES + 63) / 64];
    final long[] binCount = new long[SizeClasses.NPSIZES];
    final long[] binBytes = new long[SizeClasses.NPSIZES];
    int lruHead = -1;
    int lruTail = -1;
    long npages;

    Ecache(byte state, boolean delayCoalesce) {
        this.state = state;
        this.delayCoalesce = delayCoalesce;
        Arrays.fill(heads, -1);
    }

    static int pindOf(long size, long pad) {
        return SizeClasses.psz2ind(SizeClasses.pszQuantizeFloor(size, pad));
    }

    /** eset_insert. */
    void insert(Extents ex, int h, long pad) {
        int pind = pindOf(ex.size[h], pad);
        if (heads[pind] < 0) {
            nonempty[pind >>> 6] |= 1L << pind;
        }
        ex.sortedInsert(heads, pind, h);
        binCount[pind]++;
        binBytes[pind] += ex.size[h];
        npages += ex.size[h] >>> SizeClasses.LG_PAGE;
        ex.state[h] = state;
        ex.lruNext[h] = -1;
        ex.lruPrev[h] = lruTail;
        if (lruTail >= 0) {
            ex.lruNext[lruTail] = h;
        } else {
            lruHead = h;
        }
        lruTail = h;
    }

    /** eset_remove. */
    void remove(Extents ex, int h, long pad) {
        int pind = pindOf(ex.size[h], pad);
        ex.listRemove(heads, pind, h);
        if (heads[pind] < 0) {
            nonempty[pind >>> 6] &= ~(1L << pind);
        }
        binCount[pind]--;
        binBytes[pind] -= ex.size[h];
        npages -= ex.size[h] >>> SizeClasses.LG_PAGE;
        int p = ex.lruPrev[h];
        int n = ex.lruNext[h];
        if (p >= 0) {
            ex.lruNext[p] = n;
        } else {
            lruHead = n;
        }
        if (n >= 0) {
            ex.lruPrev[n] = p;
        } else {
            lruTail = p;
        }
        ex.lruNext[h] = ex.lruPrev[h] = -1;
    }

    /** fb_ffs: the first non-empty class at or above {@code from}, or NPSIZES. */
    int firstNonempty(int from) {
        for (int w = from >>> 6; w < nonempty.length; w++) {
            long bits = nonempty[w];
            if (w == from >>> 6) {
                bits &= -1L << (from & 63);
            }
            if (bits != 0) {
                return (w << 6) + Long.numberOfTrailingZeros(bits);
            }
        }
        return SizeClasses.NPSIZES;
    }

    /**
     * eset_fit: the lowest (sn, address) extent of at least {@code size} bytes among the classes
     * that are not more than 2^lgMaxFit times the request (first fit), then an aligned fit.
     */
    int fit(Extents ex, long esize, long alignment, int lgMaxFit, long pad) {
        long maxSize = esize + SizeClasses.pageCeiling(alignment) - SizeClasses.PAGE;
        int ret = firstFit(ex, maxSize, lgMaxFit, pad);
        if (alignment > SizeClasses.PAGE && ret < 0) {
            ret = fitAlignment(ex, esize, maxSize, alignment, pad);
        }
        return ret;
    }

    private int firstFit(Extents ex, long size, int lgMaxFit, long pad) {
        int ret = -1;
        int pind = SizeClasses.psz2ind(SizeClasses.pszQuantizeCeil(size, pad));
        if (lgMaxFit >= 64) {
            lgMaxFit = 63;
        }
        for (int i = firstNonempty(pind); i < SizeClasses.NPSIZES; i = firstNonempty(i + 1)) {
            if ((SizeClasses.pind2sz(i) >>> lgMaxFit) > size) {
                break;
            }
            int first = heads[i];
            if (ret < 0 || ex.snadComp(first, ret) < 0) {
                ret = first;
            }
        }
        return ret;
    }

    private int fitAlignment(Extents ex, long minSize, long maxSize, long alignment, long pad) {
        int pind = SizeClasses.psz2ind(SizeClasses.pszQuantizeCeil(minSize, pad));
        int pindMax = SizeClasses.psz2ind(SizeClasses.pszQuantizeCeil(maxSize, pad));
        long align = SizeClasses.pageCeiling(alignment);
        for (int i = firstNonempty(pind); i < pindMax; i = firstNonempty(i + 1)) {
            int h = heads[i];
            long b = ex.base[h];
            long nextAlign = (b + align - 1) & -align;
            if (b > nextAlign || b + ex.size[h] <= nextAlign) {
                continue;
            }
            if (ex.size[h] - (nextAlign - b) >= minSize) {
                return h;
            }
        }
        return -1;
    }
}
