package io.kmemlab.malloc.jemalloc;

/**
 * jemalloc 5.3's size classes for x86-64 (LG_QUANTUM 4, LG_PAGE 12, LG_TINY_MIN 3), as {@code sc.c}
 * computes them and Debian's build reports them in {@code arenas.bin} / {@code arenas.lextent}:
 *
 * <pre>
 *   index  0       8                       tiny
 *   index  1..8    16, 32, 48 … 128        quantum spaced
 *   index  9..     160, 192, 224, 256, 320 …   four classes per doubling
 *   index 35       14336                   SC_SMALL_MAXCLASS: bins 0..35 are small (slabs)
 *   index 36       16384                   SC_LARGE_MINCLASS
 *   index 231      7 &lt;&lt; 60               SC_LARGE_MAXCLASS
 * </pre>
 *
 * The page size classes ({@code pszind}) are the classes that are whole pages: 4K, 8K, 12K, then every
 * large class (199 of them). A bin's slab is the smallest run of pages that its regions fill exactly
 * (the least common multiple of the region size and the page), as {@code sc.c}'s slab_size().
 */
final class SizeClasses {
    static final int LG_PAGE = 12;
    static final long PAGE = 1L << LG_PAGE;
    static final long HUGEPAGE = 2L << 20;
    static final int NSIZES = 232;
    static final int NBINS = 36;
    static final long SMALL_MAXCLASS = 14336;
    static final long LARGE_MINCLASS = 16384;
    static final int NPSIZES = 199;
    /** Bitmap words a slab needs for its most numerous bin (512 regions of 8 bytes). */
    static final int BITMAP_WORDS = 8;

    private static final long[] INDEX2SIZE = new long[NSIZES];
    private static final long[] PIND2SZ = new long[NPSIZES];
    private static final long[] SLAB_SIZE = new long[NBINS];
    private static final int[] NREGS = new int[NBINS];
    static final long LARGE_MAXCLASS;

    static {
        int i = 0;
        INDEX2SIZE[i++] = 8;
        for (long s = 16; s <= 128; s += 16) {
            INDEX2SIZE[i++] = s;
        }
        for (int lg = 7; i < NSIZES; lg++) {
            long delta = 1L << (lg - 2);
            for (int k = 1; k <= 4 && i < NSIZES; k++) {
                INDEX2SIZE[i++] = (1L << lg) + k * delta;
            }
        }
        LARGE_MAXCLASS = INDEX2SIZE[NSIZES - 1];
        int p = 0;
        for (long s : INDEX2SIZE) {
            if (s % PAGE == 0) {
                PIND2SZ[p++] = s;
            }
        }
        if (p != NPSIZES) {
            throw new AssertionError("page size classes: " + p);
        }
        for (int b = 0; b < NBINS; b++) {
            long reg = INDEX2SIZE[b];
            long slab = PAGE;
            while (slab % reg != 0) {
                slab += PAGE;
            }
            SLAB_SIZE[b] = slab;
            NREGS[b] = (int) (slab / reg);
        }
    }

    private SizeClasses() {}

    static long index2size(int ind) {
        return INDEX2SIZE[ind];
    }

    /** sz_size2index: the class of a request of {@code size} bytes (size ≤ LARGE_MAXCLASS). */
    static int size2index(long size) {
        if (size <= 8) {
            return 0;
        }
        if (size <= 128) {
            return (int) ((size + 15) >>> 4);
        }
        int lg = 64 - Long.numberOfLeadingZeros(size - 1); // 2^(lg-1) < size <= 2^lg
        long base = 1L << (lg - 1);
        long delta = 1L << (lg - 3);
        int k = (int) ((size - base + delta - 1) / delta); // 1..4
        return 9 + (lg - 8) * 4 + k - 1;
    }

    /** sz_s2u: the usable size of a request, 0 when it is beyond LARGE_MAXCLASS. */
    static long s2u(long size) {
        if (size < 0 || size > LARGE_MAXCLASS) {
            return 0;
        }
        return INDEX2SIZE[size2index(size)];
    }

    /** sz_sa2u: the usable size of an aligned request (0 on overflow). */
    static long sa2u(long size, long alignment) {
        if (size <= SMALL_MAXCLASS && alignment <= PAGE) {
            long usize = s2u((size + alignment - 1) & -alignment);
            if (usize < LARGE_MINCLASS) {
                return usize;
            }
        }
        if (alignment > LARGE_MAXCLASS) {
            return 0;
        }
        long usize = size <= LARGE_MINCLASS ? LARGE_MINCLASS : s2u(size);
        if (usize == 0 || usize < size) {
            return 0;
        }
        if (usize + pageCeiling(alignment) - PAGE < usize) {
            return 0;
        }
        return usize;
    }

    static int psz2ind(long psz) {
        // smallest page class >= psz
        int lo = 0;
        int hi = NPSIZES;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (PIND2SZ[mid] < psz) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static long pind2sz(int pind) {
        return PIND2SZ[pind];
    }

    /** sz_psz2u: the page class that holds {@code psz}. */
    static long psz2u(long psz) {
        int p = psz2ind(psz);
        return p < NPSIZES ? PIND2SZ[p] : ((psz + PAGE - 1) & -PAGE);
    }

    /** sz_psz_quantize_floor, with the cache-oblivious page of padding {@code pad}. */
    static long pszQuantizeFloor(long size, long pad) {
        int pind = psz2ind(size - pad + 1);
        if (pind == 0) {
            return size;
        }
        return PIND2SZ[pind - 1] + pad;
    }

    static long pszQuantizeCeil(long size, long pad) {
        long ret = pszQuantizeFloor(size, pad);
        if (ret < size) {
            ret = PIND2SZ[psz2ind(ret - pad + 1)] + pad;
        }
        return ret;
    }

    static long slabSize(int binind) {
        return SLAB_SIZE[binind];
    }

    static int nregs(int binind) {
        return NREGS[binind];
    }

    static long pageCeiling(long v) {
        return (v + PAGE - 1) & -PAGE;
    }

    static long hugepageCeiling(long v) {
        return (v + HUGEPAGE - 1) & -HUGEPAGE;
    }
}
