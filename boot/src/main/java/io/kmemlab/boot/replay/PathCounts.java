package io.kmemlab.boot.replay;

import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;

/**
 * Fast- and slow-path counts summed over all caches, where the allocator exposes them: SLUB's
 * CONFIG_SLUB_STATS files ({@code /sys/kernel/slab/NAME/alloc_fastpath}, {@code alloc_slowpath},
 * {@code free_fastpath}, {@code free_slowpath}); SLAB's slabinfo cpustat columns (allochit and
 * freehit: served by the per-CPU array; allocmiss and freemiss: a batch to or from the node
 * lists). SLOB has no such split: {@link #NONE}.
 */
public record PathCounts(long allocFast, long allocSlow, long freeFast, long freeSlow) {
    public static final PathCounts NONE = new PathCounts(-1, -1, -1, -1);

    public boolean exposed() {
        return allocFast >= 0;
    }

    /** Reads the counters of every cache of the layer. */
    public static PathCounts of(SlabLayer layer) {
        VirtualFs vfs = layer.machine().vfs();
        long af = 0;
        long as = 0;
        long ff = 0;
        long fs = 0;
        boolean any = false;
        for (KmemCache c : layer.caches()) {
            String dir = "/sys/kernel/slab/" + c.name() + "/";
            if (vfs.exists(dir + "alloc_fastpath")) {
                af += leading(vfs.read(dir + "alloc_fastpath"));
                as += leading(vfs.read(dir + "alloc_slowpath"));
                ff += leading(vfs.read(dir + "free_fastpath"));
                fs += leading(vfs.read(dir + "free_slowpath"));
                any = true;
                continue;
            }
            String stats = c.impl().slabinfoStats();
            int at = stats == null ? -1 : stats.indexOf(": cpustat");
            if (at >= 0) {
                String[] v = stats.substring(at + ": cpustat".length()).trim().split("\\s+");
                if (v.length >= 4) {
                    af += parse(v[0]);
                    as += parse(v[1]);
                    ff += parse(v[2]);
                    fs += parse(v[3]);
                    any = true;
                }
            }
        }
        return any ? new PathCounts(af, as, ff, fs) : NONE;
    }

    /** The total at the start of a SLUB stat file ({@code "123 C0=100 C1=23"}). */
    private static long leading(String text) {
        if (text == null) {
            return 0;
        }
        String t = text.trim();
        int sp = t.indexOf(' ');
        return parse(sp < 0 ? t : t.substring(0, sp));
    }

    private static long parse(String s) {
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
