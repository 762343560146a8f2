package io.kmemlab.malloc.jemalloc;

/**
 * tcache_t with its cache_bin_t stacks: one stack of pointers per size class up to
 * {@code tcache_max} ({@code nhbins} of them, 41 by default). A stack is drawn here with the empty
 * position at {@code ncachedMax}: allocation pops {@code stack[head++]}, free pushes
 * {@code stack[--head]}; a fill writes its regions so that the lowest address is popped first; a
 * flush takes the {@code nflush} oldest entries (those next to the empty position) and slides the rest
 * down. {@code lowWater} is the fewest items the bin held since the GC last looked at it.
 *
 * <pre>
 *   index:  0 … head-1 | head … max-1          (max = ncachedMax = the empty position)
 *           free slots | cached, newest first
 * </pre>
 */
final class Tcache {
    final int nhbins;
    final int[] ncachedMax;
    final int[] offset;
    final long[] stack;
    final int[] head;
    final int[] lowWater;
    final long[] tstatsNrequests;
    final int[] lgFillDiv;
    final boolean[] binRefilled;
    final int[] flushDelayItems;
    int nextGcBin;
    final Arena arena;
    /** The stack's total size as tcache_bin_alloc_size: two guard slots and every bin's slots. */
    final long allocSize;

    Tcache(JemallocConfig conf, Arena arena) {
        this.arena = arena;
        long maxclass = SizeClasses.s2u(conf.tcacheMax());
        this.nhbins = SizeClasses.size2index(maxclass) + 1;
        ncachedMax = new int[nhbins];
        offset = new int[nhbins];
        head = new int[nhbins];
        lowWater = new int[nhbins];
        tstatsNrequests = new long[nhbins];
        lgFillDiv = new int[nhbins];
        binRefilled = new boolean[nhbins];
        flushDelayItems = new int[nhbins];
        int total = 0;
        for (int i = 0; i < nhbins; i++) {
            ncachedMax[i] = ncachedMaxCompute(conf, i);
            offset[i] = total;
            total += ncachedMax[i];
            head[i] = ncachedMax[i];
            lowWater[i] = 0;
            lgFillDiv[i] = 1;
            flushDelayItems[i] = i < SizeClasses.NBINS ? gcItemDelay(conf, i) : 0;
        }
        stack = new long[total];
        allocSize = 16 + 8L * total;
    }

    static int gcItemDelay(JemallocConfig conf, int szind) {
        long d = conf.tcacheGcDelayBytes() / SizeClasses.index2size(szind);
        return (int) Math.min(d, 255);
    }

    /** tcache_ncached_max_compute. */
    static int ncachedMaxCompute(JemallocConfig conf, int szind) {
        if (szind >= SizeClasses.NBINS) {
            return conf.tcacheNslotsLarge();
        }
        int nregs = SizeClasses.nregs(szind);
        int min = conf.tcacheNslotsSmallMin();
        int max = Math.min(conf.tcacheNslotsSmallMax(), 8191);
        if (min % 2 != 0) {
            min++;
        }
        if (max % 2 != 0) {
            max--;
        }
        min = Math.max(min, 2);
        max = Math.max(max, 2);
        min = Math.min(min, max);
        int mul = conf.lgTcacheNslotsMul();
        int candidate = mul < 0 ? nregs >> -mul : nregs << mul;
        if (candidate % 2 != 0) {
            candidate++;
        }
        if (candidate <= min) {
            return min;
        }
        return Math.min(candidate, max);
    }

    int ncached(int bin) {
        return ncachedMax[bin] - head[bin];
    }

    long cachedBytes() {
        long s = 0;
        for (int i = 0; i < nhbins; i++) {
            s += (long) ncached(i) * SizeClasses.index2size(i);
        }
        return s;
    }
}
