package io.kmemlab.slab;

import io.kmemlab.mm.slab.SlabSlots;

/**
 * The picture of one SLAB slab for {@code --step} ({@link SlabSlots}): the objects callers hold
 * (kmemlab's live bitmap), the slab's free-list index array from {@code active} on (the order
 * {@code slab_get_obj} hands them out), and between the two the objects parked in per-CPU, shared
 * or alien arrays, which the slab counts as active. Reads only.
 */
final class ClassicSlabSlots {
    private ClassicSlabSlots() {}

    static SlabSlots of(ClassicSlabCache c, int id) {
        SlabTable t = c.table;
        int num = c.num;
        char[] slots = new char[num];
        for (int i = 0; i < num; i++) {
            slots[i] = t.isUsed(id, i) ? SlabSlots.ALLOCATED : SlabSlots.ARRAY;
        }
        int active = t.active[id];
        int free = Math.max(0, num - active);
        int[] freelist = new int[free];
        long fl = t.freelist[id];
        int n = 0;
        for (int k = active; k < num && fl != 0; k++) {
            int i = c.mem.readU8(fl + k);
            if (i < num) {
                freelist[n++] = i;
                slots[i] = SlabSlots.FREE;
            }
        }
        return new SlabSlots(
                c.name,
                t.headPfn[id],
                c.order,
                t.sMem[id] + c.objOffset,
                c.size,
                active,
                where(t.onList[id]),
                new String(slots),
                java.util.Arrays.copyOf(freelist, n),
                new int[0]);
    }

    private static String where(byte onList) {
        return switch (onList) {
            case SlabTable.ON_PARTIAL -> "slabs_partial";
            case SlabTable.ON_FULL -> "slabs_full";
            case SlabTable.ON_FREE -> "slabs_free";
            case SlabTable.ON_RCU -> "destroyed, waiting for an RCU grace period";
            default -> "on no list";
        };
    }
}
