package io.kmemlab.mm.slab;

/**
 * A read-only picture of one slab, for {@code --step} and the shell's {@code step}: its cache, its
 * pages, where the allocator keeps it, and what each object slot holds, taken from the allocator's
 * own state (its freelists in the objects' bytes, its per-CPU state) by
 * {@link SlabAllocator#slabSlots}.
 *
 * <p>{@code slots} has one character per object, in address order:
 *
 * <pre>
 *  A  allocated (handed out, not freed)
 *  .  free on the slab's own freelist (slab-&gt;freelist; SLAB's freelist index array)
 *  c  free on a CPU's lockless freelist (SLUB's c-&gt;freelist of the CPU whose cpu slab this is)
 *  s  free in a per-CPU sheaf or a barn (SLUB sheaves; allocated as far as the slab counts)
 *  a  free in a per-CPU, shared or alien array cache (SLAB; allocated as far as the slab counts)
 * </pre>
 *
 * @param cache the cache's name
 * @param pfn the slab's head PFN
 * @param order its order
 * @param base the address of object 0
 * @param size the slot size (s-&gt;size)
 * @param inuse the slab's own in-use count (slab-&gt;inuse, SLAB's active)
 * @param where the list or owner holding the slab ({@code cpu slab of CPU 0}, {@code node partial}, …)
 * @param slots one character per object, as above
 * @param freelist the object indices on the slab's freelist, in the order it hands them out
 * @param cpuFreelist the object indices on the CPU freelist of the CPU owning the slab, in order
 *     (empty unless the slab is a cpu slab)
 */
public record SlabSlots(
        String cache,
        int pfn,
        int order,
        long base,
        int size,
        int inuse,
        String where,
        String slots,
        int[] freelist,
        int[] cpuFreelist) {

    public static final char ALLOCATED = 'A';
    public static final char FREE = '.';
    public static final char CPU_FREE = 'c';
    public static final char SHEAF = 's';
    public static final char ARRAY = 'a';

    /** Object slots on the slab. */
    public int objects() {
        return slots.length();
    }

    /** The index of the object at {@code addr} (which must lie on the slab's objects). */
    public int indexOf(long addr) {
        return (int) ((addr - base) / size);
    }
}
