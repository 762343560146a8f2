package io.kmemlab.malloc.jemalloc;

import java.util.Arrays;

/**
 * arena_t: the small bins (one shard each, as Debian's build: {@code nshards} 1), large
 * allocations, and the page allocator beneath them.
 *
 * <p>A bin serves regions from {@code slabcur}; when that fills it takes the lowest (serial number,
 * address) slab of its nonfull heap, and only when that is empty a fresh slab from {@link Pac}.
 * Within a slab the lowest free region goes first ({@code bitmap_sfu}). Freeing the last region of
 * a slab returns the slab to the page allocator at once; freeing into a full slab makes it nonfull,
 * and if it sorts before {@code slabcur} it becomes {@code slabcur} ({@code arena_bin_lower_slab}).
 * Full slabs of an automatic arena are on no list. Invariant per slab: {@code nfree} equals the
 * bitmap's set bits, and {@code curregs = Σ (nregs - nfree)} over the bin's slabs.
 */
final class Arena {
    final int ind;
    final Pac pac;
    final Base base;
    private final Extents ex;
    private final JemallocConfig conf;
    private final long pad;
    int nthreads;

    // threads in virtual time (Jemalloc.attach): Steps.OFF and no locks unless a scheduler drives it
    io.kmemlab.mm.sched.Steps steps = io.kmemlab.mm.sched.Steps.OFF;
    /** bin->lock of every small class (one shard each). */
    io.kmemlab.mm.sched.VLock[] binLock;
    /** The page allocator's ecache and extent locks (extents_dirty in the stats, all ecaches' work). */
    io.kmemlab.mm.sched.VLock extentsLock;
    /** decay_dirty: held while a decay epoch is advanced and purged. */
    io.kmemlab.mm.sched.VLock decayLock;

    long createdNanos;

    // bin_t, one per small size class
    final int[] slabcur = new int[SizeClasses.NBINS];
    final int[] nonfullHead = new int[SizeClasses.NBINS];
    final long[] nmalloc = new long[SizeClasses.NBINS];
    final long[] ndalloc = new long[SizeClasses.NBINS];
    final long[] nrequests = new long[SizeClasses.NBINS];
    final long[] curregs = new long[SizeClasses.NBINS];
    final long[] nfills = new long[SizeClasses.NBINS];
    final long[] nflushes = new long[SizeClasses.NBINS];
    final long[] nslabs = new long[SizeClasses.NBINS];
    final long[] reslabs = new long[SizeClasses.NBINS];
    final long[] curslabs = new long[SizeClasses.NBINS];
    final long[] nonfullSlabs = new long[SizeClasses.NBINS];

    // arena_stats_t lstats, per large size class
    final long[] lnmalloc = new long[SizeClasses.NSIZES - SizeClasses.NBINS];
    final long[] lndalloc = new long[SizeClasses.NSIZES - SizeClasses.NBINS];
    final long[] lnrequests = new long[SizeClasses.NSIZES - SizeClasses.NBINS];
    final long[] lnflushes = new long[SizeClasses.NSIZES - SizeClasses.NBINS];
    long internal;
    private long offsetState;
    /** Decay ticks to go before the next arena_decay (the ticker; 1000 per update). */
    private int decayTicker = 1000;

    Arena(int ind, Extents ex, JemallocConfig conf, Base base, Pac pac) {
        this.ind = ind;
        this.ex = ex;
        this.conf = conf;
        this.base = base;
        this.pac = pac;
        this.pad = conf.largePad();
        this.offsetState = ind;
        Arrays.fill(slabcur, -1);
        Arrays.fill(nonfullHead, -1);
    }

    // ---- slabs ----

    /** arena_slab_alloc: a fresh slab, every region free. */
    private int slabAlloc(int binind) {
        boolean locks = binLock != null && steps.on();
        if (locks) {
            // arena_slab_alloc runs with the bin's lock dropped, under the extents' own
            steps.unlock(binLock[binind]);
            steps.lock(extentsLock);
            steps.work(JemallocCosts.PAGE_ALLOC);
        }
        int h = pac.alloc(SizeClasses.slabSize(binind), SizeClasses.PAGE, true, binind);
        if (locks) {
            steps.unlock(extentsLock);
            steps.lock(binLock[binind]);
        }
        if (h < 0) {
            return -1;
        }
        int nregs = SizeClasses.nregs(binind);
        ex.nfree[h] = nregs;
        int w0 = h * SizeClasses.BITMAP_WORDS;
        for (int w = 0; w < SizeClasses.BITMAP_WORDS; w++) {
            int bits = Math.min(64, Math.max(0, nregs - w * 64));
            ex.bitmap[w0 + w] = bits == 64 ? -1L : (1L << bits) - 1;
        }
        return h;
    }

    private long regAlloc(int h, int binind) {
        int w0 = h * SizeClasses.BITMAP_WORDS;
        for (int w = 0; ; w++) {
            long g = ex.bitmap[w0 + w];
            if (g != 0) {
                int bit = Long.numberOfTrailingZeros(g);
                ex.bitmap[w0 + w] = g & (g - 1);
                ex.nfree[h]--;
                return ex.base[h] + (long) (w * 64 + bit) * SizeClasses.index2size(binind);
            }
        }
    }

    private void nonfullInsert(int binind, int h) {
        ex.sortedInsert(nonfullHead, binind, h);
        nonfullSlabs[binind]++;
    }

    private void nonfullRemove(int binind, int h) {
        ex.listRemove(nonfullHead, binind, h);
        nonfullSlabs[binind]--;
    }

    /** arena_bin_refill_slabcur_no_fresh_slab: true when no nonfull slab was there. */
    private boolean refillSlabcurNoFresh(int binind) {
        int h = nonfullHead[binind];
        if (h < 0) {
            slabcur[binind] = -1;
            return true;
        }
        ex.listRemove(nonfullHead, binind, h);
        reslabs[binind]++;
        nonfullSlabs[binind]--;
        slabcur[binind] = h;
        return false;
    }

    private void installFresh(int binind, int h) {
        nslabs[binind]++;
        curslabs[binind]++;
        slabcur[binind] = h;
    }

    /**
     * arena_cache_bin_fill_small: {@code nfill} regions into {@code out[from..]}, in the order a
     * tcache fill hands them out. Returns how many were filled.
     */
    int fillSmall(int binind, long[] out, int from, int nfill, long tcacheNrequests) {
        lockBin(binind);
        int filled = fillSmallLocked(binind, out, from, nfill, tcacheNrequests);
        steps.work(JemallocCosts.BIN_LOCKED + JemallocCosts.PER_REGION * filled);
        unlockBin(binind);
        decayTick(1);
        return filled;
    }

    private void lockBin(int binind) {
        if (binLock != null) {
            steps.lock(binLock[binind]);
        }
    }

    private void unlockBin(int binind) {
        if (binLock != null) {
            steps.unlock(binLock[binind]);
        }
    }

    private int fillSmallLocked(int binind, long[] out, int from, int nfill, long tcacheNrequests) {
        int filled = 0;
        boolean madeProgress = true;
        int fresh = -1;
        while (true) {
            boolean allocAndRetry = false;
            while (filled < nfill) {
                int cur = slabcur[binind];
                if (cur >= 0 && ex.nfree[cur] > 0) {
                    int cnt = Math.min(nfill - filled, ex.nfree[cur]);
                    for (int i = 0; i < cnt; i++) {
                        out[from + filled + i] = regAlloc(cur, binind);
                    }
                    madeProgress = true;
                    filled += cnt;
                    continue;
                }
                if (!refillSlabcurNoFresh(binind)) {
                    continue;
                }
                if (fresh >= 0) {
                    installFresh(binind, fresh);
                    fresh = -1;
                    continue;
                }
                if (madeProgress) {
                    allocAndRetry = true;
                }
                break;
            }
            if (!allocAndRetry) {
                break;
            }
            fresh = slabAlloc(binind);
            madeProgress = false;
        }
        nmalloc[binind] += filled;
        nrequests[binind] += tcacheNrequests;
        curregs[binind] += filled;
        nfills[binind]++;
        if (fresh >= 0) {
            pac.dalloc(fresh);
        }
        return filled;
    }

    /** arena_malloc_small without a tcache. */
    long mallocSmall(int binind) {
        lockBin(binind);
        steps.work(JemallocCosts.BIN_LOCKED + JemallocCosts.PER_REGION);
        int cur = slabcur[binind];
        long ret = 0;
        if (cur < 0 || ex.nfree[cur] == 0) {
            if (refillSlabcurNoFresh(binind)) {
                int fresh = slabAlloc(binind);
                if (fresh < 0) {
                    unlockBin(binind);
                    return 0;
                }
                installFresh(binind, fresh);
            }
        }
        ret = regAlloc(slabcur[binind], binind);
        unlockBin(binind);
        nmalloc[binind]++;
        nrequests[binind]++;
        curregs[binind]++;
        decayTick(1);
        return ret;
    }

    /**
     * arena_dalloc_bin_locked_step: free one region; returns the slab's handle if it became empty
     * (the caller frees it to the page allocator after the batch), else -1.
     */
    int dallocBinStep(int binind, int h, long ptr) {
        long reg = (ptr - ex.base[h]) / SizeClasses.index2size(binind);
        int w = h * SizeClasses.BITMAP_WORDS + (int) (reg >>> 6);
        ex.bitmap[w] |= 1L << (reg & 63);
        ex.nfree[h]++;
        int nregs = SizeClasses.nregs(binind);
        if (ex.nfree[h] == nregs) {
            // arena_dissociate_bin_slab + arena_dalloc_bin_slab_prepare
            if (h == slabcur[binind]) {
                slabcur[binind] = -1;
            } else if (nregs != 1) {
                nonfullRemove(binind, h);
            }
            curslabs[binind]--;
            return h;
        } else if (ex.nfree[h] == 1 && h != slabcur[binind]) {
            lowerSlab(binind, h);
        }
        return -1;
    }

    /** arena_bin_lower_slab. */
    private void lowerSlab(int binind, int h) {
        int cur = slabcur[binind];
        if (cur >= 0 && ex.snadComp(cur, h) > 0) {
            if (ex.nfree[cur] > 0) {
                nonfullInsert(binind, cur);
            }
            slabcur[binind] = h;
            reslabs[binind]++;
        } else {
            nonfullInsert(binind, h);
        }
    }

    void dallocBinFinish(int binind, int count) {
        ndalloc[binind] += count;
        curregs[binind] -= count;
    }

    void slabDalloc(int h) {
        pageLocked(true);
        pac.dalloc(h);
        pageLocked(false);
    }

    /** The extents' lock around page-level work (slab and large extents to and from the ecaches). */
    private void pageLocked(boolean take) {
        if (extentsLock != null && steps.on()) {
            if (take) {
                steps.lock(extentsLock);
                steps.work(JemallocCosts.PAGE_ALLOC);
            } else {
                steps.unlock(extentsLock);
            }
        }
    }

    /** Flushing a tcache bin: one lock acquisition for the whole batch of this arena's pointers. */
    void flushLock(int binind, boolean take, int n) {
        if (take) {
            lockBin(binind);
        } else {
            steps.work(JemallocCosts.BIN_LOCKED + JemallocCosts.PER_REGION * n);
            unlockBin(binind);
        }
    }

    /** arena_dalloc_small without a tcache. */
    void dallocSmall(int h, long ptr) {
        int binind = ex.szind[h];
        lockBin(binind);
        steps.work(JemallocCosts.BIN_LOCKED + JemallocCosts.PER_REGION);
        int empty = dallocBinStep(binind, h, ptr);
        dallocBinFinish(binind, 1);
        unlockBin(binind);
        if (empty >= 0) {
            slabDalloc(empty);
        }
        decayTick(1);
    }

    // ---- large ----

    /** large_palloc → arena_extent_alloc_large: the user pointer, or 0. */
    long mallocLarge(long usize, long alignment) {
        int szind = SizeClasses.size2index(usize);
        pageLocked(true);
        int h = pac.alloc(usize + pad, alignment, false, szind);
        pageLocked(false);
        if (h < 0) {
            return 0;
        }
        lnmalloc[
                Math.max(0, SizeClasses.size2index(Math.max(usize, SizeClasses.LARGE_MINCLASS)) - SizeClasses.NBINS)]++;
        if (pad != 0) {
            // arena_cache_oblivious_randomize: a random cacheline within the pad page
            long align = Math.max(alignment, 64);
            int lgRange = SizeClasses.LG_PAGE - (63 - Long.numberOfLeadingZeros(align));
            if (lgRange > 0) {
                offsetState = offsetState * Decay.Prng.A + Decay.Prng.C;
                long r = offsetState >>> (64 - lgRange);
                ex.addr[h] = ex.base[h] + (r << (63 - Long.numberOfLeadingZeros(align)));
            }
        }
        decayTick(1);
        return ex.addr[h];
    }

    /** large_dalloc_prep + large_dalloc_finish. */
    void dallocLarge(int h) {
        long usize = SizeClasses.index2size(ex.szind[h]);
        lndalloc[
                Math.max(0, SizeClasses.size2index(Math.max(usize, SizeClasses.LARGE_MINCLASS)) - SizeClasses.NBINS)]++;
        pageLocked(true);
        pac.dalloc(h);
        pageLocked(false);
    }

    /** large_ralloc_no_move: true if the allocation now has class {@code usize} in place. */
    boolean rallocLargeNoMove(int h, long usize) {
        long oldusize = SizeClasses.index2size(ex.szind[h]);
        int szind = SizeClasses.size2index(usize);
        if (usize > oldusize) {
            if (pac.expand(h, usize + pad, szind)) {
                largeRallocStats(oldusize, usize);
                decayTick(1);
                return true;
            }
        }
        if (oldusize == usize) {
            decayTick(1);
            return true;
        }
        if (oldusize > usize) {
            pac.shrink(h, usize + pad, szind);
            largeRallocStats(oldusize, usize);
            decayTick(1);
            return true;
        }
        return false;
    }

    private void largeRallocStats(long oldusize, long usize) {
        lnmalloc[SizeClasses.size2index(usize) - SizeClasses.NBINS]++;
        lndalloc[SizeClasses.size2index(oldusize) - SizeClasses.NBINS]++;
    }

    /** arena_decay_ticks: every 1000 ticks, arena_decay (jemalloc draws the period geometrically). */
    void decayTick(int n) {
        decayTicker -= n;
        if (decayTicker <= 0) {
            decayTicker = 1000;
            boolean locks = decayLock != null && steps.on();
            if (locks) {
                steps.lock(decayLock);
                steps.work(JemallocCosts.DECAY);
            }
            pac.decay();
            if (locks) {
                steps.unlock(decayLock);
            }
        }
    }

    long smallAllocated() {
        long s = 0;
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            s += curregs[b] * SizeClasses.index2size(b);
        }
        return s;
    }

    long largeAllocated() {
        long s = 0;
        for (int i = 0; i < lnmalloc.length; i++) {
            s += (lnmalloc[i] - lndalloc[i]) * SizeClasses.index2size(SizeClasses.NBINS + i);
        }
        return s;
    }

    /** Checks the bins' slabs: nfree against the bitmap, curregs against the slabs. */
    void validate(java.util.List<String> problems) {
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            int cur = slabcur[b];
            long inSlabs = 0;
            long slabs = 0;
            if (cur >= 0) {
                inSlabs += checkSlab(b, cur, problems);
                slabs++;
            }
            for (int h = nonfullHead[b]; h >= 0; h = ex.next[h]) {
                inSlabs += checkSlab(b, h, problems);
                slabs++;
                if (ex.nfree[h] == 0) {
                    problems.add("arena " + ind + " bin " + b + ": full slab on the nonfull heap");
                }
            }
            if (slabs != nonfullSlabs[b] + (cur >= 0 ? 1 : 0)) {
                problems.add("arena " + ind + " bin " + b + ": nonfull_slabs " + nonfullSlabs[b] + " but "
                        + (slabs - (cur >= 0 ? 1 : 0)) + " on the heap");
            }
            if (inSlabs > curregs[b] || slabs > curslabs[b]) {
                problems.add("arena " + ind + " bin " + b + ": curregs " + curregs[b] + " curslabs " + curslabs[b]
                        + " below what its nonfull slabs hold");
            }
        }
    }

    private long checkSlab(int b, int h, java.util.List<String> problems) {
        int nregs = SizeClasses.nregs(b);
        int free = 0;
        for (int w = 0; w < SizeClasses.BITMAP_WORDS; w++) {
            free += Long.bitCount(ex.bitmap[h * SizeClasses.BITMAP_WORDS + w]);
        }
        if (free != ex.nfree[h]) {
            problems.add("arena " + ind + " bin " + b + " slab 0x" + Long.toHexString(ex.base[h]) + ": nfree "
                    + ex.nfree[h] + " but " + free + " free bits");
        }
        return nregs - ex.nfree[h];
    }
}
