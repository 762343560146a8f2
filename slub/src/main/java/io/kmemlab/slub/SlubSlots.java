package io.kmemlab.slub;

import io.kmemlab.mm.slab.SlabSlots;
import java.util.Arrays;

/**
 * The picture of one SLUB slab for {@code --step} ({@link SlabSlots}): the slab's freelist walked
 * through the free pointers in its objects, the lockless freelist of the CPU whose cpu slab it is,
 * the objects held in sheaves and barns, and the list the slab is on. Reads only; a freelist that
 * is corrupt is followed no further than the first pointer off the slab, and no longer than the
 * slab has objects.
 */
final class SlubSlots {
    private SlubSlots() {}

    static SlabSlots of(SlubCache c, int id) {
        SlabTable t = c.t;
        int objects = t.objects[id];
        long base = t.base[id] + c.redLeftPad;
        char[] slots = new char[objects];
        Arrays.fill(slots, SlabSlots.ALLOCATED);
        int[] freelist = chain(c, id, t.slab[id].freelist, slots, SlabSlots.FREE);
        int[] cpuFreelist = new int[0];
        String where = where(c, id);
        for (int cpu = 0; cpu < c.nrCpus; cpu++) {
            if (c.cpus[cpu].slab == id) {
                cpuFreelist = chain(c, id, c.cpus[cpu].freelist, slots, SlabSlots.CPU_FREE);
            }
        }
        if (c.sheaves != null) {
            long end = base + (long) objects * c.size;
            c.sheaves.forEachHeld(obj -> {
                if (obj >= base && obj < end && slots[(int) ((obj - base) / c.size)] == SlabSlots.ALLOCATED) {
                    slots[(int) ((obj - base) / c.size)] = SlabSlots.SHEAF;
                }
            });
        }
        return new SlabSlots(
                c.name(),
                t.pfn[id],
                t.order[id],
                base,
                c.size,
                t.slab[id].inuse,
                where,
                new String(slots),
                freelist,
                cpuFreelist);
    }

    /** The object indices of a free chain from {@code head}, marking each in {@code slots}. */
    private static int[] chain(SlubCache c, int id, long head, char[] slots, char mark) {
        SlabTable t = c.t;
        int[] out = new int[t.objects[id]];
        int n = 0;
        long base = t.base[id] + c.redLeftPad;
        for (long p = head; p != 0 && n < out.length && c.validPointer(id, p); p = c.getFreepointer(id, p)) {
            int i = (int) ((p - base) / c.size);
            out[n++] = i;
            slots[i] = mark;
        }
        return Arrays.copyOf(out, n);
    }

    private static String where(SlubCache c, int id) {
        SlabTable t = c.t;
        switch (t.slab[id].state) {
            case SlabTable.CPU_SLAB:
                for (int cpu = 0; cpu < c.nrCpus; cpu++) {
                    if (c.cpus[cpu].slab == id) {
                        return "cpu slab of CPU " + cpu;
                    }
                }
                return "frozen";
            case SlabTable.CPU_PARTIAL:
                for (int cpu = 0; cpu < c.nrCpus; cpu++) {
                    for (int s = c.cpuPartialHead[cpu]; s != SlabTable.NIL; s = t.cpuNext[s]) {
                        if (s == id) {
                            return "cpu partial list of CPU " + cpu;
                        }
                    }
                }
                return "cpu partial list";
            case SlabTable.NODE_PARTIAL:
                return "node partial list";
            case SlabTable.NODE_FULL:
                return "node full list";
            case SlabTable.DEAD:
                return "dead (failed a consistency check)";
            case SlabTable.RCU_FREE:
                return "discarded, waiting for an RCU grace period";
            default:
                return "full, on no list";
        }
    }
}
