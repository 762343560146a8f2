package io.kmemlab.slub;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * The layout of one SLUB cache: {@code calculate_sizes()} and {@code calculate_order()} of
 * Linux 6.18 {@code mm/slub.c}, as pure arithmetic so it can be tested against the reference
 * tables for every size, alignment, flag set and CPU count.
 *
 * <pre>
 *  slot (s->size bytes); the caller's pointer is slot + redLeftPad
 *  +----------+----------------------+-----------+--------+----------------+--------+---------+
 *  | left RZ  | object (object_size) | right RZ  | fp out | alloc/free     | orig   | padding |
 *  | (Z)      | fp inside at offset  | / slack   | (opt.) | track (U)      | size   | (P:5a)  |
 *  +----------+----------------------+-----------+--------+----------------+--------+---------+
 *  0          rlp                    rlp+os      rlp+inuse                 (U+KM)           size
 * </pre>
 *
 * @param objectSize {@code s->object_size}
 * @param size {@code s->size}, the slot
 * @param align {@code s->align}
 * @param inuse {@code s->inuse}: where metadata starts (the right red zone is [os, inuse))
 * @param offset {@code s->offset}: the free pointer's offset from the object
 * @param redLeftPad {@code s->red_left_pad}
 * @param flags {@code s->flags} after debug options and the {@code O} option
 * @param objectPoison the internal {@code __OBJECT_POISON} flag
 * @param order {@code oo_order(s->oo)}
 * @param objects {@code oo_objects(s->oo)}
 * @param minOrder {@code oo_order(s->min)}, the fallback order
 * @param minOrderObjects {@code oo_objects(s->min)}
 * @param minPartial {@code s->min_partial}
 * @param cpuPartial {@code s->cpu_partial} (objects)
 * @param cpuPartialSlabs {@code s->cpu_partial_slabs}
 * @param orderSteps how the order was chosen, one line per step (for {@code kmemlab layout})
 */
public record SlubGeometry(
        int objectSize,
        int size,
        int align,
        int inuse,
        int offset,
        int redLeftPad,
        int flags,
        boolean objectPoison,
        int order,
        int objects,
        int minOrder,
        int minOrderObjects,
        int minPartial,
        int cpuPartial,
        int cpuPartialSlabs,
        List<String> orderSteps) {

    /** Pointer size (W). */
    public static final int WORD = 8;
    /** sizeof(struct track) with STACKDEPOT on 64-bit. */
    public static final int TRACK_SIZE = 32;
    /** The kmalloc orig_size slot (unsigned int) in 6.18. */
    public static final int ORIG_SIZE_SIZE = 4;

    public static final int MAX_OBJS_PER_PAGE = 32767;
    public static final int MIN_PARTIAL = 5;
    public static final int MAX_PARTIAL = 10;
    /** The debug flags that make kmem_cache_debug(s) true. */
    public static final int DEBUG_FLAGS = SlabFlags.DEBUG_FLAGS;

    /** The order tunables (slub_min_order, slub_max_order, slub_min_objects) and the CPUs. */
    public record OrderParams(int minOrder, int maxOrder, int minObjects, int presentCpus) {
        /** Defaults of 6.18: 0, PAGE_ALLOC_COSTLY_ORDER (3), automatic. */
        public static OrderParams defaults(int cpus) {
            return new OrderParams(0, 3, 0, cpus);
        }
    }

    /** Why a cache cannot be created. */
    public static final class GeometryException extends Exception {
        private static final long serialVersionUID = 1L;

        GeometryException(String message) {
            super(message, null, false, false);
        }
    }

    public boolean hasFlag(int f) {
        return (flags & f) != 0;
    }

    /** kmem_cache_debug(s). */
    public boolean debug() {
        return (flags & DEBUG_FLAGS) != 0;
    }

    /** slub_debug_orig_size(s): U and KM. */
    public boolean origSizeTracking() {
        return hasFlag(SlabFlags.STORE_USER) && hasFlag(SlabFlags.KMALLOC);
    }

    /** freeptr_outside_object(s). */
    public boolean freeptrOutside() {
        return offset >= inuse;
    }

    /** get_info_end(s). */
    public int infoEnd() {
        return freeptrOutside() ? inuse + WORD : inuse;
    }

    /** Offset (from the object) where padding starts: after tracks and orig_size. */
    public int metadataEnd() {
        int off = infoEnd();
        if (hasFlag(SlabFlags.STORE_USER)) {
            off += 2 * TRACK_SIZE;
            if (hasFlag(SlabFlags.KMALLOC)) {
                off += ORIG_SIZE_SIZE;
            }
        }
        return off;
    }

    /** size_from_object(s). */
    public int sizeFromObject() {
        return hasFlag(SlabFlags.RED_ZONE) ? size - redLeftPad : size;
    }

    /** Bytes of one slab of this cache's order. */
    public int slabBytes() {
        return Addr.PAGE_SIZE << order;
    }

    /**
     * Computes the layout of a cache.
     *
     * @param objectSize object_size
     * @param align s->align (already from calculate_alignment)
     * @param flags s->flags (after kmem_cache_flags)
     * @param hasCtor a constructor is given
     * @param freeptrOffset the caller's free-pointer offset, or -1
     * @param disableHigherOrderDebug the {@code O} option
     */
    public static SlubGeometry compute(
            int objectSize,
            int align,
            int flags,
            boolean hasCtor,
            int freeptrOffset,
            boolean disableHigherOrderDebug,
            OrderParams params)
            throws GeometryException {
        SlubGeometry g = calculateSizes(objectSize, align, flags, hasCtor, freeptrOffset, params);
        if (disableHigherOrderDebug
                && (flags & (SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER)) != 0
                && Addr.getOrder(g.size) > Addr.getOrder(objectSize)) {
            // disable_higher_order_debug: drop the metadata that made the slot cross an order
            int f = flags & ~(SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER);
            g = calculateSizes(objectSize, align, f, hasCtor, freeptrOffset, params);
        }
        return g;
    }

    private static int alignUp(int n, int a) {
        return (n + a - 1) & -a;
    }

    static SlubGeometry calculateSizes(
            int os, int align, int flags, boolean hasCtor, int freeptrOffset, OrderParams params)
            throws GeometryException {
        boolean rcu = (flags & SlabFlags.TYPESAFE_BY_RCU) != 0;
        boolean poison = (flags & SlabFlags.POISON) != 0;
        boolean redZone = (flags & SlabFlags.RED_ZONE) != 0;
        boolean storeUser = (flags & SlabFlags.STORE_USER) != 0;
        boolean kmalloc = (flags & SlabFlags.KMALLOC) != 0;
        long size = ((long) os + WORD - 1) & -WORD;
        boolean objectPoison = poison && !rcu && !hasCtor;
        if (redZone && size == os) {
            size += WORD;
        }
        int inuse = (int) size;
        int offset;
        boolean origTracking = storeUser && kmalloc;
        if ((rcu && freeptrOffset < 0) || poison || hasCtor || (redZone && (os < WORD || origTracking))) {
            offset = (int) size;
            size += WORD;
        } else if (rcu) {
            offset = freeptrOffset;
        } else {
            offset = (os / 2) & -WORD;
        }
        if (storeUser) {
            size += 2 * TRACK_SIZE;
            if (kmalloc) {
                size += ORIG_SIZE_SIZE;
            }
        }
        int redLeftPad = 0;
        if (redZone) {
            size += WORD;
            redLeftPad = alignUp(WORD, align);
            size += redLeftPad;
        }
        size = (size + align - 1) & -(long) align;
        if (size > Integer.MAX_VALUE / 2) {
            throw new GeometryException("object too large: " + os);
        }
        List<String> steps = new ArrayList<>();
        int order = calculateOrder((int) size, params, steps);
        if (order < 0) {
            throw new GeometryException("no slab order for size " + size + " (-ENOSYS)");
        }
        int objects = orderObjects(order, (int) size);
        if (objects == 0) {
            throw new GeometryException("zero objects per slab for size " + size);
        }
        int minOrder = Addr.getOrder(size);
        int minObjs = orderObjects(minOrder, (int) size);
        int minPartial = Math.max(MIN_PARTIAL, Math.min(MAX_PARTIAL, ilog2((int) size) / 2));
        boolean debug = (flags & DEBUG_FLAGS) != 0;
        int cpuPartial = debug ? 0 : cpuPartialObjects((int) size);
        int cpuPartialSlabs = (cpuPartial * 2 + objects - 1) / objects;
        return new SlubGeometry(
                os,
                (int) size,
                align,
                inuse,
                offset,
                redLeftPad,
                flags,
                objectPoison,
                order,
                Math.min(objects, MAX_OBJS_PER_PAGE),
                minOrder,
                Math.min(minObjs, MAX_OBJS_PER_PAGE),
                minPartial,
                cpuPartial,
                cpuPartialSlabs,
                List.copyOf(steps));
    }

    /** set_cpu_partial's object count by slot size (cpu-partial support assumed). */
    public static int cpuPartialObjects(int size) {
        if (size >= Addr.PAGE_SIZE) {
            return 6;
        }
        if (size >= 1024) {
            return 24;
        }
        if (size >= 256) {
            return 52;
        }
        return 120;
    }

    /** DIV_ROUND_UP(nr_objects * 2, objects): cpu_partial_slabs. */
    public static int cpuPartialSlabs(int cpuPartial, int objects) {
        return (cpuPartial * 2 + objects - 1) / objects;
    }

    static int ilog2(int n) {
        return 31 - Integer.numberOfLeadingZeros(n);
    }

    static int fls(int n) {
        return 32 - Integer.numberOfLeadingZeros(n);
    }

    /** order_objects(order, size). */
    public static int orderObjects(int order, int size) {
        return (int) (((long) Addr.PAGE_SIZE << order) / size);
    }

    /** The automatic min_objects: 4 × (fls(present CPUs) + 1). */
    public static int autoMinObjects(int presentCpus) {
        return 4 * (fls(presentCpus) + 1);
    }

    /** calculate_order(size) of 6.8+ (one min_objects, fractions 16, 8, 4, 2). */
    public static int calculateOrder(int size, OrderParams p, List<String> steps) {
        int minObjects = p.minObjects();
        if (minObjects == 0) {
            minObjects = autoMinObjects(p.presentCpus());
            steps.add("min_objects = 4 * (fls(" + p.presentCpus() + ") + 1) = " + minObjects);
        }
        int maxObjects = Math.max(orderObjects(p.maxOrder(), size), 1);
        if (maxObjects < minObjects) {
            steps.add("max_objects at order " + p.maxOrder() + " = " + maxObjects + " -> min_objects = " + maxObjects);
        }
        minObjects = Math.min(minObjects, maxObjects);
        int minOrder = Math.max(p.minOrder(), Addr.getOrder((long) minObjects * size));
        steps.add("min_order = max(" + p.minOrder() + ", get_order(" + minObjects + " * " + size + ")) = " + minOrder);
        if (orderObjects(minOrder, size) > MAX_OBJS_PER_PAGE) {
            int o = Addr.getOrder((long) size * MAX_OBJS_PER_PAGE) - 1;
            steps.add("more than 32767 objects at order " + minOrder + " -> order " + o);
            return o;
        }
        for (int fraction = 16; fraction > 1; fraction /= 2) {
            int order = calcSlabOrder(size, minOrder, p.maxOrder(), fraction, steps);
            if (order <= p.maxOrder()) {
                return order;
            }
        }
        int order = Addr.getOrder(size);
        steps.add("fallback: get_order(" + size + ") = " + order);
        return order <= PageAllocator.MAX_PAGE_ORDER ? order : -1;
    }

    private static int calcSlabOrder(int size, int minOrder, int maxOrder, int fraction, List<String> steps) {
        for (int order = minOrder; order <= maxOrder; order++) {
            int slab = Addr.PAGE_SIZE << order;
            int rem = slab % size;
            boolean ok = rem <= slab / fraction;
            steps.add("fraction 1/" + fraction + ", order " + order + ": waste " + rem + (ok ? " <= " : " > ")
                    + slab / fraction + (ok ? " -> order " + order : ""));
            if (ok) {
                return order;
            }
        }
        return maxOrder + 1;
    }
}
