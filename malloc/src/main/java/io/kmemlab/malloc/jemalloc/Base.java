package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.UserSpace;

/**
 * base_t: an arena's metadata allocator. It maps blocks with mmap (the first one huge-page sized,
 * each later block at least one page size class larger than the last, huge-page rounded), and carves
 * metadata from them by bumping; what a block has left when a request does not fit stays available
 * for smaller requests. {@code allocated} and {@code resident} count as {@code base_stats_get} does:
 * the bytes handed out, and the pages they touch.
 *
 * <p>Simplification: the metadata itself lives in Java arrays ({@link Extents}, the bins, the
 * tcache), not in these blocks; the blocks are mapped and their carved pages written once so that
 * RSS and mapped counts are what the process would have, and their sizes are jemalloc's sizes of
 * the structures (see {@link #BOOT_BYTES}).
 */
final class Base {
    /** sizeof(edata_t) as base_alloc_edata carves it (EDATA_ALIGNMENT 128). */
    static final long EDATA_SIZE = 128;
    /** One rtree leaf: 2^18 entries of 8 bytes, covering 1 GiB of address space. */
    static final long RTREE_LEAF_SIZE = 8L << 18;
    /** sizeof(base_block_t): size, next and an embedded edata_t. */
    private static final long BLOCK_HEADER = 144;
    /**
     * What b0 holds apart from per-arena ctl state, once the first mallctl has run: base_t, a0's
     * arena_t with its bins and pa_shard, tcache_bin_info, ctl's summed and destroyed-arena stats.
     * Measured on Debian's libjemalloc2 5.3.0 (stats.base of an empty replay, less the edata and the
     * rtree leaf modelled here), and checked at narenas 1, 4, 8 and 16.
     */
    static final long BOOT_BYTES = 201_488;
    /** ctl_arena_t, one per arena index (every automatic arena and the huge arena), carved from b0. */
    static final long CTL_ARENA_BYTES = 37_856;
    /** A later arena's own base: its base_t and arena_t (measured as for {@link #BOOT_BYTES}). */
    static final long ARENA_BOOT_BYTES = 91_152;

    private final UserSpace space;
    private int pindLast;
    private long[] chunkCur = new long[4];
    private long[] chunkEnd = new long[4];
    private int nchunks;
    private long[] blocks = new long[4];
    private long[] blockSizes = new long[4];
    private int nblocks;
    long allocated;
    long resident;
    long mapped;
    int edataCarved;
    private final LongLongMap leaves;

    Base(UserSpace space, long bootBytes, boolean ownsRtree) {
        this.space = space;
        this.leaves = ownsRtree ? new LongLongMap(-1, 16) : null;
        alloc(bootBytes, 16);
    }

    /** Blocks mapped so far (each {@link #block}, {@link #blockSize} bytes). */
    int blocks() {
        return nblocks;
    }

    long block(int i) {
        return blocks[i];
    }

    long blockSize(int i) {
        return blockSizes[i];
    }

    /** base_alloc: {@code size} bytes of metadata; false when no block could be mapped. */
    boolean alloc(long size, long alignment) {
        long a = Math.max(alignment, 16);
        long usize = (size + a - 1) & -a;
        // base_alloc_impl: the available chunk of the smallest size class that fits
        int best = -1;
        for (int i = 0; i < nchunks; i++) {
            long start = (chunkCur[i] + a - 1) & -a;
            if (start + usize <= chunkEnd[i]
                    && (best < 0 || chunkEnd[i] - chunkCur[i] < chunkEnd[best] - chunkCur[best])) {
                best = i;
            }
        }
        if (best < 0) {
            long minBlock = SizeClasses.hugepageCeiling(SizeClasses.psz2u(BLOCK_HEADER + usize + a));
            int pindNext = pindLast + 1 < SizeClasses.psz2ind(SizeClasses.LARGE_MAXCLASS) ? pindLast + 1 : pindLast;
            long nextBlock = SizeClasses.hugepageCeiling(SizeClasses.pind2sz(pindNext));
            long blockSize = Math.max(minBlock, nextBlock);
            long block =
                    space.mmap(0, blockSize, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
            if (Errno.isError(block)) {
                return false;
            }
            pindLast = SizeClasses.psz2ind(blockSize);
            mapped += blockSize;
            resident += SizeClasses.PAGE; // the block header
            space.writeU64(block, blockSize);
            if (nblocks == blocks.length) {
                blocks = java.util.Arrays.copyOf(blocks, nblocks * 2);
                blockSizes = java.util.Arrays.copyOf(blockSizes, nblocks * 2);
            }
            blocks[nblocks] = block;
            blockSizes[nblocks++] = blockSize;
            if (nchunks == chunkCur.length) {
                chunkCur = java.util.Arrays.copyOf(chunkCur, nchunks * 2);
                chunkEnd = java.util.Arrays.copyOf(chunkEnd, nchunks * 2);
            }
            best = nchunks++;
            chunkCur[best] = block + BLOCK_HEADER;
            chunkEnd[best] = block + blockSize;
        }
        long cur = chunkCur[best];
        long start = (cur + a - 1) & -a;
        long gap = start - cur;
        allocated += usize;
        resident += SizeClasses.pageCeiling(start + usize) - SizeClasses.pageCeiling(start - gap);
        chunkCur[best] = start + usize;
        return true;
    }

    /** The arena's extent count reached {@code live}: carve edata_t's up to it (edata_cache). */
    void noteEdata(int live) {
        while (edataCarved < live) {
            edataCarved++;
            alloc(EDATA_SIZE, EDATA_SIZE);
        }
    }

    /** rtree_leaf_elm_lookup with init_missing: a leaf for each GiB of address space that holds extents. */
    void noteAddress(long addr) {
        if (leaves == null) {
            return;
        }
        long key = addr >>> 30;
        if (!leaves.containsKey(key)) {
            leaves.put(key, 1);
            alloc(RTREE_LEAF_SIZE, 64);
        }
    }

    long firstBlock() {
        return nblocks > 0 ? blocks[0] : 0;
    }

    /** Each block still begins with its size (base_block_t.size), as written when it was mapped. */
    void validate(java.util.List<String> problems) {
        for (int i = 0; i < nblocks; i++) {
            long v = space.readU64(blocks[i]);
            if (v != blockSizes[i]) {
                problems.add("base block 0x" + Long.toHexString(blocks[i]) + ": header says size " + v + ", mapped "
                        + blockSizes[i]);
            }
        }
    }
}
