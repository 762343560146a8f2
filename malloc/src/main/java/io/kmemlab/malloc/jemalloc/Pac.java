package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.UserSpace;

/**
 * One arena's page allocator ({@code pac_t}, jemalloc's default PAI): its dirty, muzzy and retained
 * extent caches, the geometric growth of the retained address space ({@code exp_grow}), and decay.
 *
 * <p>An allocation takes the first fit from dirty, then muzzy (when muzzy decay is on), then retained,
 * splitting off what it does not need back into the same cache; only when retained has nothing does it
 * map more: 2 MiB the first time, each later mapping one page size class larger (2, 2.5, 3, 3.5, 4 MiB …),
 * the part it does not use going to retained. A freed extent goes to dirty (large ones coalesced at
 * once, small ones lazily); decay moves dirty pages out along a smoothstep curve over
 * {@code dirty_decay_ms} of virtual time, by MADV_DONTNEED into retained when muzzy decay is 0.
 */
final class Pac {
    private final UserSpace space;
    private final Extents ex;
    private final JemallocConfig conf;
    private final Base base;
    private final Base rtreeBase;
    final int arenaInd;
    final long pad;
    /** Dirty extents this large are purged at once (pac->oversize_threshold). */
    private final long oversizeThreshold;

    final Ecache dirty = new Ecache(Extents.DIRTY, true);
    final Ecache muzzy = new Ecache(Extents.MUZZY, false);
    final Ecache retained = new Ecache(Extents.RETAINED, false);
    final Decay decayDirty;
    final Decay decayMuzzy;

    private int expGrowNext = SizeClasses.psz2ind(SizeClasses.HUGEPAGE);
    private long snNext;
    long nactive;
    long mapped;
    long mmaps;
    int liveExtents;
    /** Decay stats: npurge, nmadvise, purged, for dirty [0] and muzzy [1]. */
    final long[][] purgeStats = new long[2][3];

    Pac(
            UserSpace space,
            Extents ex,
            JemallocConfig conf,
            Base base,
            Base rtreeBase,
            int arenaInd,
            long dirtyMs,
            long muzzyMs,
            long oversizeThreshold) {
        this.oversizeThreshold = oversizeThreshold;
        this.space = space;
        this.rtreeBase = rtreeBase;
        this.ex = ex;
        this.conf = conf;
        this.base = base;
        this.arenaInd = arenaInd;
        this.pad = conf.largePad();
        long now = space.nowNanos();
        this.decayDirty = new Decay(dirtyMs, now, arenaInd * 2L + 1);
        this.decayMuzzy = new Decay(muzzyMs, now, arenaInd * 2L + 2);
    }

    private boolean mayHaveMuzzy() {
        return decayMuzzy.ms != 0;
    }

    private int newExtent(long b, long s, long serial, byte st, byte fl) {
        liveExtents++;
        base.noteEdata(liveExtents);
        return ex.newExtent(arenaInd, b, s, serial, st, fl);
    }

    private void releaseExtent(int h) {
        liveExtents--;
        ex.release(h);
    }

    /** pa_alloc → pac_alloc_real: an active extent of {@code size} bytes, or -1. */
    int alloc(long size, long alignment, boolean slab, int szind) {
        int h = ecacheAlloc(dirty, -1, size, alignment);
        if (h < 0 && mayHaveMuzzy()) {
            h = ecacheAlloc(muzzy, -1, size, alignment);
        }
        if (h < 0) {
            h = allocGrow(size, alignment);
            if (h >= 0) {
                mapped += size;
            }
        }
        if (h < 0) {
            return -1;
        }
        nactive += size >>> SizeClasses.LG_PAGE;
        ex.szind[h] = szind;
        ex.flags[h] = (byte) (slab ? (ex.flags[h] | Extents.SLAB) : (ex.flags[h] & ~Extents.SLAB));
        ex.addr[h] = ex.base[h];
        if (slab) {
            ex.registerInterior(h);
        }
        return h;
    }

    /** pa_dalloc: an active extent back to dirty. */
    void dalloc(int h) {
        if (ex.isSlab(h)) {
            ex.deregisterInterior(h);
        }
        ex.addr[h] = ex.base[h];
        ex.szind[h] = SizeClasses.NSIZES;
        nactive -= ex.size[h] >>> SizeClasses.LG_PAGE;
        record(dirty, h);
        if (decayDirty.ms == 0) {
            // arena_handle_deferred_work: decay_immediately
            decayToLimit(dirty, decayDirty, 0, 0, dirty.npages);
        }
    }

    /** pa_expand → pac_expand_impl: grow an active extent in place into the free run past it. */
    boolean expand(int h, long newSize, int szind) {
        long amount = newSize - ex.size[h];
        long mappedAdd = 0;
        int trail = ecacheAlloc(dirty, h, amount, SizeClasses.PAGE);
        if (trail < 0 && mayHaveMuzzy()) {
            trail = ecacheAlloc(muzzy, h, amount, SizeClasses.PAGE);
        }
        if (trail < 0) {
            trail = ecacheAlloc(retained, h, amount, SizeClasses.PAGE);
            mappedAdd = amount;
        }
        if (trail < 0) {
            return false;
        }
        merge(h, trail);
        mapped += mappedAdd;
        nactive += amount >>> SizeClasses.LG_PAGE;
        ex.szind[h] = szind;
        return true;
    }

    /** pa_shrink → pac_shrink_impl: split the tail off into dirty. */
    boolean shrink(int h, long newSize, int szind) {
        long amount = ex.size[h] - newSize;
        int trail = split(h, newSize, amount);
        nactive -= amount >>> SizeClasses.LG_PAGE;
        ex.szind[h] = szind;
        record(dirty, trail);
        if (decayDirty.ms == 0) {
            decayToLimit(dirty, decayDirty, 0, 0, dirty.npages);
        }
        return true;
    }

    // ---- extent.c ----

    /** extent_recycle: take a fit (or, expanding, the neighbour past {@code expand}) and split it. */
    private int ecacheAlloc(Ecache ec, int expand, long size, long alignment) {
        int h;
        if (expand >= 0) {
            h = ex.lookup(ex.past(expand));
            if (h < 0
                    || ex.base[h] != ex.past(expand)
                    || ex.state[h] != ec.state
                    || ex.isHead(h)
                    || ex.arena[h] != arenaInd
                    || ex.size[h] < size) {
                return -1;
            }
        } else {
            int lgMaxFit = ec.delayCoalesce ? conf.lgExtentMaxActiveFit() : 64;
            h = ec.fit(ex, size, alignment, lgMaxFit, pad);
            if (h < 0) {
                return -1;
            }
        }
        ec.remove(ex, h, pad);
        ex.state[h] = Extents.ACTIVE;
        long align = SizeClasses.pageCeiling(alignment);
        long leadsize = ((ex.base[h] + align - 1) & -align) - ex.base[h];
        if (expand >= 0) {
            leadsize = 0;
        }
        long trailsize = ex.size[h] - leadsize - size;
        if (leadsize != 0) {
            int lead = h;
            h = split(lead, leadsize, size + trailsize);
            ec.insert(ex, lead, pad);
        }
        if (trailsize != 0) {
            int trail = split(h, size, trailsize);
            ec.insert(ex, trail, pad);
        }
        ex.state[h] = Extents.ACTIVE;
        return h;
    }

    /** extent_alloc_retained / extent_grow_retained, or without retain a fresh mapping. */
    private int allocGrow(long size, long alignment) {
        int h = ecacheAlloc(retained, -1, size, alignment);
        if (h >= 0) {
            return h;
        }
        if (!conf.retain()) {
            long addr = mapAligned(size, SizeClasses.pageCeiling(alignment));
            if (addr == 0) {
                return -1;
            }
            h = newExtent(addr, size, snNext++, Extents.ACTIVE, (byte) 0);
            ex.registerBoundary(h);
            return h;
        }
        long allocSizeMin = size + SizeClasses.pageCeiling(alignment) - SizeClasses.PAGE;
        int skip = 0;
        int limit = SizeClasses.psz2ind(SizeClasses.LARGE_MAXCLASS);
        long allocSize = SizeClasses.pind2sz(expGrowNext);
        while (allocSize < allocSizeMin) {
            skip++;
            if (expGrowNext + skip >= limit) {
                return -1;
            }
            allocSize = SizeClasses.pind2sz(expGrowNext + skip);
        }
        long addr = map(allocSize);
        if (addr == 0) {
            return -1;
        }
        h = newExtent(addr, allocSize, snNext++, Extents.ACTIVE, Extents.HEAD);
        ex.registerBoundary(h);
        long align = SizeClasses.pageCeiling(alignment);
        long leadsize = ((addr + align - 1) & -align) - addr;
        long trailsize = allocSize - leadsize - size;
        if (leadsize != 0) {
            int lead = h;
            h = split(lead, leadsize, size + trailsize);
            record(retained, lead);
        }
        if (trailsize != 0) {
            int trail = split(h, size, trailsize);
            record(retained, trail);
        }
        expGrowNext = Math.min(expGrowNext + skip + 1, limit);
        return h;
    }

    /** pages_map with an alignment above a page: map more, unmap the misaligned lead and the trail. */
    private long mapAligned(long size, long alignment) {
        if (alignment <= SizeClasses.PAGE) {
            return map(size);
        }
        long big = map(size + alignment - SizeClasses.PAGE);
        if (big == 0) {
            return 0;
        }
        long addr = (big + alignment - 1) & -alignment;
        if (addr > big) {
            space.munmap(big, addr - big);
        }
        long end = big + size + alignment - SizeClasses.PAGE;
        if (addr + size < end) {
            space.munmap(addr + size, end - addr - size);
        }
        return addr;
    }

    private long map(long size) {
        long a = space.mmap(0, size, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        if (Errno.isError(a)) {
            return 0;
        }
        mmaps++;
        rtreeBase.noteAddress(a);
        rtreeBase.noteAddress(a + size - 1);
        return a;
    }

    /** extent_split_impl: {@code h} keeps the first {@code sizeA} bytes; the trail is returned. */
    private int split(int h, long sizeA, long sizeB) {
        ex.deregisterBoundary(h);
        int trail = newExtent(ex.base[h] + sizeA, sizeB, ex.sn[h], ex.state[h], (byte) 0);
        ex.size[h] = sizeA;
        ex.registerBoundary(h);
        ex.registerBoundary(trail);
        return trail;
    }

    /** extent_merge_impl: {@code a} (lower) absorbs {@code b}; the smaller serial number stays. */
    private void merge(int a, int b) {
        ex.deregisterBoundary(a);
        ex.deregisterBoundary(b);
        ex.size[a] += ex.size[b];
        if (Long.compareUnsigned(ex.sn[b], ex.sn[a]) < 0) {
            ex.sn[a] = ex.sn[b];
        }
        ex.registerBoundary(a);
        releaseExtent(b);
    }

    /** extent_try_coalesce: merge with free neighbours of the same state (never across a mapping's head). */
    private int coalesce(Ecache ec, int h) {
        boolean again;
        do {
            again = false;
            int next = ex.lookup(ex.past(h));
            if (next >= 0
                    && ex.base[next] == ex.past(h)
                    && ex.state[next] == ec.state
                    && !ex.isHead(next)
                    && ex.arena[next] == arenaInd) {
                ec.remove(ex, next, pad);
                merge(h, next);
                again = true;
            }
            int prev = ex.base[h] == 0 ? -1 : ex.lookup(ex.base[h] - 1);
            if (prev >= 0
                    && ex.past(prev) == ex.base[h]
                    && ex.state[prev] == ec.state
                    && !ex.isHead(h)
                    && ex.arena[prev] == arenaInd) {
                ec.remove(ex, prev, pad);
                merge(prev, h);
                h = prev;
                again = true;
            }
        } while (again);
        return h;
    }

    /** extent_record. */
    private void record(Ecache ec, int h) {
        if (!ec.delayCoalesce) {
            h = coalesce(ec, h);
        } else if (ex.size[h] >= SizeClasses.LARGE_MINCLASS) {
            h = coalesce(ec, h);
            if (ex.size[h] >= oversizeThreshold && decayDirty.ms != -1 && decayMuzzy.ms != -1) {
                // extent_maximally_purge
                long sz = ex.size[h];
                dallocWrapper(h);
                purgeStats[0][1]++;
                purgeStats[0][2] += sz >>> SizeClasses.LG_PAGE;
                mapped -= sz;
                return;
            }
        }
        ec.insert(ex, h, pad);
    }

    /** extent_dalloc_wrapper: munmap without retain; with it, MADV_DONTNEED and keep it as retained. */
    private void dallocWrapper(int h) {
        if (!conf.retain()) {
            ex.deregisterBoundary(h);
            space.munmap(ex.base[h], ex.size[h]);
            releaseExtent(h);
            return;
        }
        space.madvise(ex.base[h], ex.size[h], Mman.MADV_DONTNEED);
        ex.state[h] = Extents.ACTIVE;
        record(retained, h);
    }

    // ---- decay ----

    /** arena_decay(…, all=false): advance the epochs in virtual time and purge down to the limits. */
    void decay() {
        long now = space.nowNanos();
        maybeDecayPurge(dirty, decayDirty, 0, now);
        if (mayHaveMuzzy()) {
            maybeDecayPurge(muzzy, decayMuzzy, 1, now);
        }
    }

    private void maybeDecayPurge(Ecache ec, Decay d, int which, long now) {
        if (d.ms <= 0) {
            if (d.ms == 0) {
                decayToLimit(ec, d, which, 0, ec.npages);
            }
            return;
        }
        if (d.maybeAdvanceEpoch(now, ec.npages) && ec.npages > d.npagesLimit) {
            decayToLimit(ec, d, which, d.npagesLimit, ec.npages - d.npagesLimit);
        }
    }

    /** pac_decay_to_limit: evict LRU extents (coalesced first) while more than the limit remain. */
    private void decayToLimit(Ecache ec, Decay d, int which, long npagesLimit, long npagesMax) {
        if (npagesMax == 0) {
            return;
        }
        long nstashed = 0;
        long nmadvise = 0;
        boolean tryMuzzy = ec == dirty && mayHaveMuzzy();
        while (nstashed < npagesMax) {
            if (ec.npages <= npagesLimit || ec.lruHead < 0) {
                break;
            }
            int h = ec.lruHead;
            ec.remove(ex, h, pad);
            ex.state[h] = Extents.ACTIVE;
            if (ec.delayCoalesce) {
                h = coalesce(ec, h);
            }
            long sz = ex.size[h];
            nstashed += sz >>> SizeClasses.LG_PAGE;
            nmadvise++;
            if (tryMuzzy) {
                space.madvise(ex.base[h], sz, Mman.MADV_FREE);
                record(muzzy, h);
            } else {
                dallocWrapper(h);
                mapped -= sz;
            }
        }
        if (nmadvise > 0) {
            purgeStats[which][0]++;
            purgeStats[which][1] += nmadvise;
            purgeStats[which][2] += nstashed;
        }
    }

    long ndirty() {
        return dirty.npages;
    }

    long nmuzzy() {
        return muzzy.npages;
    }

    long retainedBytes() {
        return retained.npages << SizeClasses.LG_PAGE;
    }
}
