package io.kmemlab.malloc.glibc;

/**
 * glibc's {@code struct malloc_par mp_} with {@code global_max_fast} and {@code perturb_byte}:
 * the parameters mallopt(3) and the {@code glibc.malloc.*} tunables set, with 2.36's x86-64
 * defaults, and the process-wide mmap statistics. The {@code set*} methods are 2.36's
 * {@code do_set_*} helpers: they return 1 when the value was taken, 0 when refused.
 */
final class MallocPar {
    static final long DEFAULT_MMAP_THRESHOLD_MAX = 4L * 1024 * 1024 * 8;
    static final long MAX_FAST_SIZE = 80 * 8 / 4;
    static final long DEFAULT_MXFAST = 64 * 8 / 4;
    static final int TCACHE_MAX_BINS = 64;
    static final long MAX_TCACHE_SIZE = tidx2usize(TCACHE_MAX_BINS - 1);
    static final long MAX_TCACHE_COUNT = 0xffff;

    long trimThreshold = 128 * 1024;
    /** DEFAULT_TOP_PAD: malloc-machine.h's 128 KiB wins over malloc.c's 0. */
    long topPad = 131072;

    long mmapThreshold = 128 * 1024;
    long arenaTest = 8;
    long arenaMax;
    long thpPagesize;
    long hpPagesize;
    int hpFlags;
    int nMmaps;
    int nMmapsMax = 65536;
    int maxNMmaps;
    boolean noDynThreshold;
    long mmappedMem;
    long maxMmappedMem;
    long sbrkBase;
    long tcacheBins = TCACHE_MAX_BINS;
    long tcacheMaxBytes = MAX_TCACHE_SIZE;
    long tcacheCount = 7;
    long tcacheUnsortedLimit;
    long globalMaxFast;
    int perturbByte;

    static long tidx2usize(long idx) {
        return idx * 16 + 32 - 8;
    }

    static long csize2tidx(long x) {
        return (x - 32 + 16 - 1) / 16;
    }

    /** set_max_fast(). */
    void setMaxFast(long s) {
        globalMaxFast = Long.compareUnsigned(s, 15 - 8) <= 0 ? 32 / 2 : (s + 8) & ~15L;
    }

    int setTrimThreshold(long v) {
        trimThreshold = v;
        noDynThreshold = true;
        return 1;
    }

    int setTopPad(long v) {
        topPad = v;
        noDynThreshold = true;
        return 1;
    }

    int setMmapThreshold(long v) {
        mmapThreshold = v;
        noDynThreshold = true;
        return 1;
    }

    int setMmapsMax(int v) {
        nMmapsMax = v;
        noDynThreshold = true;
        return 1;
    }

    int setPerturbByte(int v) {
        perturbByte = v;
        return 1;
    }

    int setArenaTest(long v) {
        arenaTest = v;
        return 1;
    }

    int setArenaMax(long v) {
        arenaMax = v;
        return 1;
    }

    int setTcacheMax(long v) {
        if (Long.compareUnsigned(v, MAX_TCACHE_SIZE) <= 0) {
            tcacheMaxBytes = v;
            tcacheBins = csize2tidx(GlibcMalloc.request2size(v)) + 1;
            return 1;
        }
        return 0;
    }

    int setTcacheCount(long v) {
        if (Long.compareUnsigned(v, MAX_TCACHE_COUNT) <= 0) {
            tcacheCount = v;
            return 1;
        }
        return 0;
    }

    int setTcacheUnsortedLimit(long v) {
        tcacheUnsortedLimit = v;
        return 1;
    }

    int setMxfast(long v) {
        if (Long.compareUnsigned(v, MAX_FAST_SIZE) <= 0) {
            setMaxFast(v);
            return 1;
        }
        return 0;
    }
}
