package io.kmemlab.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.SlabFlags;

/**
 * The layout of one SLAB cache: slot size, alignment, objects per slab, order, colouring and
 * where the free-list index array lives. Pure arithmetic over the inputs of
 * {@code __kmem_cache_create()} (mm/slab.c), so it is tested exhaustively against the kernel's
 * worked examples without building a machine.
 *
 * <p>Steps, as {@code __kmem_cache_create()}: (1) FORCED_DEBUG adds red zone + last user (if the
 * 24 extra bytes stay below the next power of two or the object is below a page) and poison;
 * (2) round to a word; (3) red zones need 8-byte alignment; (4) the common alignment wins if
 * larger; (5) alignment above 8 silently drops red zone and last user; (6) colour_off = cache line
 * or align; (7) debug words grow the slot; (9) round to align, at least 16 bytes; (11) management
 * type, first that works of OBJFREELIST, OFF_SLAB, ON_SLAB.
 *
 * @param objectSize {@code s->object_size}, what the creator asked for
 * @param size {@code s->size}, the slot
 * @param align {@code s->align} after the red-zone rules
 * @param flags the cache flags after debug forcing and dropping
 * @param objOffset {@code obj_offset}: 8 with a red zone (the first red-zone word precedes the
 *     object), else 0
 * @param num objects per slab
 * @param order {@code gfporder}
 * @param leftOver unused bytes of a slab ({@code left_over} of the accepted order)
 * @param colour number of distinct colour offsets
 * @param colourOff bytes per colour step
 * @param mgmt where the free-list index array lives
 * @param freelistSize {@code num × sizeof(freelist_idx_t)}
 */
public record SlabGeometry(
        int objectSize,
        int size,
        int align,
        int flags,
        int objOffset,
        int num,
        int order,
        int leftOver,
        int colour,
        int colourOff,
        Mgmt mgmt,
        int freelistSize) {

    /** BYTES_PER_WORD. */
    public static final int BYTES_PER_WORD = 8;
    /** REDZONE_ALIGN = max(BYTES_PER_WORD, alignof(u64)). */
    public static final int REDZONE_ALIGN = 8;
    /** sizeof(freelist_idx_t): 1 with 4 KiB pages (FREELIST_BYTE_INDEX). */
    public static final int IDX_SIZE = 1;
    /** SLAB_OBJ_MIN_SIZE = min(KMALLOC_MIN_SIZE, 16). */
    public static final int SLAB_OBJ_MIN_SIZE = 16;
    /** SLAB_OBJ_MAX_NUM with a byte index. */
    public static final int SLAB_OBJ_MAX_NUM = (1 << (8 * IDX_SIZE)) - 1;
    /**
     * KMALLOC_MAX_ORDER = KMALLOC_SHIFT_MAX − PAGE_SHIFT: under SLAB, KMALLOC_SHIFT_MAX =
     * KMALLOC_SHIFT_HIGH = MAX_ORDER + PAGE_SHIFT − 1 (≤ 25), so the largest page order.
     */
    public static final int KMALLOC_MAX_ORDER = PageAllocator.MAX_PAGE_ORDER;
    /** cache_line_size(). */
    public static final int CACHE_LINE = 64;

    /** Where a slab keeps its free-list index array. */
    public enum Mgmt {
        /** CFLGS_OBJFREELIST_SLAB: inside a free object (the last one handed out). */
        OBJFREELIST("obj"),
        /** CFLGS_OFF_SLAB: a separate kmalloc allocation. */
        OFF_SLAB("off-slab"),
        /** At the end of the slab. */
        ON_SLAB("on-slab");

        private final String label;

        Mgmt(String label) {
            this.label = label;
        }

        /** The {@code freelist} value {@code kmemlab layout} prints. */
        public String label() {
            return label;
        }
    }

    /**
     * The kmalloc cache an off-slab index array would come from ({@code kmalloc_slab(fsz)} before
     * 6.1): its slot size, or -1 if there is none yet (early boot) or it is itself off-slab.
     */
    @FunctionalInterface
    public interface FreelistCacheLookup {
        /** Returned when no usable cache exists. */
        int NONE = -1;

        int slotSize(int freelistBytes);

        /** Before the kmalloc caches exist (kmem_cache and the INDEX_NODE cache). */
        FreelistCacheLookup EARLY_BOOT = bytes -> NONE;
    }

    /**
     * Inputs of {@code __kmem_cache_create()}.
     *
     * @param objectSize the creator's size
     * @param align {@code calculate_alignment()}'s result (common code)
     * @param flags the creation flags
     * @param hasCtor a constructor is set (no OBJFREELIST: the ctor state must survive)
     * @param forcedDebug CONFIG_DEBUG_SLAB's FORCED_DEBUG (add red zone, last user, poison)
     * @param slabMaxOrder {@code slab_max_order}
     * @param freelistCaches off-slab index-array cache lookup
     */
    public record Request(
            int objectSize,
            int align,
            int flags,
            boolean hasCtor,
            boolean forcedDebug,
            int slabMaxOrder,
            FreelistCacheLookup freelistCaches) {}

    /** One step of the order search: what cache_estimate gave and whether it was kept. */
    private static final class Estimate {
        int num;
        int order;
        int leftOver;
    }

    /**
     * Computes the layout, or returns null where the kernel fails with -E2BIG (no order holds an
     * object with any management type).
     */
    public static SlabGeometry compute(Request r) {
        int flags = r.flags();
        int size = r.objectSize();
        if (r.forcedDebug()) {
            // FORCED_DEBUG: red zone and last user unless the 24 extra bytes cross a power of two
            // for a large object; poison unless the cache is TYPESAFE_BY_RCU
            if (size < 4096 || fls(size - 1) == fls(size - 1 + REDZONE_ALIGN + 16)) {
                flags |= SlabFlags.RED_ZONE | SlabFlags.STORE_USER;
            }
            if ((flags & SlabFlags.TYPESAFE_BY_RCU) == 0) {
                flags |= SlabFlags.POISON;
            }
        }
        size = alignUp(size, BYTES_PER_WORD);
        int ralign = BYTES_PER_WORD;
        if ((flags & SlabFlags.RED_ZONE) != 0) {
            ralign = REDZONE_ALIGN;
            size = alignUp(size, REDZONE_ALIGN);
        }
        if (ralign < r.align()) {
            ralign = r.align();
        }
        if (ralign > 8) {
            // red-zone words and the user word need at most 8-byte alignment
            flags &= ~(SlabFlags.RED_ZONE | SlabFlags.STORE_USER);
        }
        int align = ralign;
        int colourOff = Math.max(CACHE_LINE, align);
        int objOffset = 0;
        if ((flags & SlabFlags.RED_ZONE) != 0) {
            objOffset += 8;
            size += 16;
        }
        if ((flags & SlabFlags.STORE_USER) != 0) {
            size += (flags & SlabFlags.RED_ZONE) != 0 ? REDZONE_ALIGN : BYTES_PER_WORD;
        }
        size = alignUp(size, align);
        if (size < SLAB_OBJ_MIN_SIZE) {
            size = alignUp(SLAB_OBJ_MIN_SIZE, align);
        }

        Estimate e = new Estimate();
        // set_objfreelist_slab_cache(): no ctor, no RCU, the index array fits in an object
        if (!r.hasCtor() && (flags & SlabFlags.TYPESAFE_BY_RCU) == 0) {
            int left = calculateSlabOrder(e, size, r, Mgmt.OBJFREELIST);
            if (e.num > 0 && e.num * IDX_SIZE <= r.objectSize()) {
                return new SlabGeometry(
                        r.objectSize(),
                        size,
                        align,
                        flags,
                        objOffset,
                        e.num,
                        e.order,
                        left,
                        left / colourOff,
                        colourOff,
                        Mgmt.OBJFREELIST,
                        e.num * IDX_SIZE);
            }
        }
        // set_off_slab_cache(): never with NOLEAKTRACE; back on-slab if the leftover holds it
        if ((flags & SlabFlags.NOLEAKTRACE) == 0) {
            e = new Estimate();
            int left = calculateSlabOrder(e, size, r, Mgmt.OFF_SLAB);
            if (e.num > 0 && left < e.num * IDX_SIZE) {
                return new SlabGeometry(
                        r.objectSize(),
                        size,
                        align,
                        flags,
                        objOffset,
                        e.num,
                        e.order,
                        left,
                        left / colourOff,
                        colourOff,
                        Mgmt.OFF_SLAB,
                        e.num * IDX_SIZE);
            }
        }
        e = new Estimate();
        int left = calculateSlabOrder(e, size, r, Mgmt.ON_SLAB);
        if (e.num == 0) {
            return null;
        }
        return new SlabGeometry(
                r.objectSize(),
                size,
                align,
                flags,
                objOffset,
                e.num,
                e.order,
                left,
                left / colourOff,
                colourOff,
                Mgmt.ON_SLAB,
                e.num * IDX_SIZE);
    }

    /**
     * calculate_slab_order(): the smallest acceptable order, stopping at more than 255 objects,
     * at the first fit for RECLAIM_ACCOUNT caches, at slab_max_order, or when at most 1/8 of the
     * slab is wasted.
     *
     * @return left_over of the saved order (0 if nothing was saved)
     */
    static int calculateSlabOrder(Estimate out, int size, Request r, Mgmt mgmt) {
        int leftOver = 0;
        for (int order = 0; order <= KMALLOC_MAX_ORDER; order++) {
            long slabBytes = (long) Addr.PAGE_SIZE << order;
            long per = mgmt == Mgmt.ON_SLAB ? size + IDX_SIZE : size;
            int num = (int) (slabBytes / per);
            int rem = (int) (slabBytes % per);
            if (num == 0) {
                continue;
            }
            if (num > SLAB_OBJ_MAX_NUM) {
                break;
            }
            if (mgmt == Mgmt.OFF_SLAB) {
                int fcSize = r.freelistCaches().slotSize(num * IDX_SIZE);
                // the freelist cache must exist, be on-slab itself, and be worth it: its slot at
                // most half of the (unaligned) object size
                if (fcSize == FreelistCacheLookup.NONE || fcSize > r.objectSize() / 2) {
                    continue;
                }
            }
            out.num = num;
            out.order = order;
            leftOver = rem;
            if ((r.flags() & SlabFlags.RECLAIM_ACCOUNT) != 0) {
                break;
            }
            if (order >= r.slabMaxOrder()) {
                break;
            }
            if ((long) leftOver * 8 <= slabBytes) {
                break;
            }
        }
        return leftOver;
    }

    /** Bytes of one slab. */
    public long slabBytes() {
        return (long) Addr.PAGE_SIZE << order;
    }

    /** enable_cpucache()'s default tunables for this slot size. */
    public Tunables defaultTunables(int nrPossibleCpus, boolean debug) {
        int limit;
        if (size > 131072) {
            limit = 1;
        } else if (size > Addr.PAGE_SIZE) {
            limit = 8;
        } else if (size > 1024) {
            limit = 24;
        } else if (size > 256) {
            limit = 54;
        } else {
            limit = 120;
        }
        int shared = size <= Addr.PAGE_SIZE && nrPossibleCpus > 1 ? 8 : 0;
        if (debug && limit > 32) {
            limit = 32;
        }
        return new Tunables(limit, (limit + 1) / 2, shared);
    }

    /** fls(): 1-based index of the most significant set bit, 0 for 0. */
    static int fls(int x) {
        return 32 - Integer.numberOfLeadingZeros(x);
    }

    static int alignUp(int x, int a) {
        return (x + a - 1) & -a;
    }
}
