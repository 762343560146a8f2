package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;

/**
 * What smap_gather_stats() adds up over every VMA for /proc/PID/smaps_rollup, in bytes. Only normal
 * pages count (vm_normal_page): the zero page adds nothing. Every page here is mapped once, so
 * Pss equals Rss and nothing is shared; the accessed bit is set by every fault, so Referenced
 * equals Rss.
 *
 * @param start the first VMA's start ({@code [rollup]} line), 0 if none
 * @param end the last VMA's end
 */
public record SmapsRollup(
        long start,
        long end,
        long rss,
        long pssDirty,
        long pssAnon,
        long pssFile,
        long pssShmem,
        long privateClean,
        long privateDirty,
        long referenced,
        long anonymous,
        long lazyFree,
        long locked) {

    static SmapsRollup gather(Process p) {
        Mm mm = p.mm;
        PhysMem mem = p.table.machine.mem();
        long rss = 0;
        long dirtyB = 0;
        long anonB = 0;
        long fileB = 0;
        long shmemB = 0;
        long lazy = 0;
        long locked = 0;
        long start = 0;
        long end = 0;
        boolean first = true;
        for (Vma v : mm.vmas.values()) {
            if (first) {
                start = v.start;
                first = false;
            }
            end = v.end;
            if (!p.alive || mm.pgtables == null) {
                continue;
            }
            for (long a = v.start; a < v.end; a += Addr.PAGE_SIZE) {
                int table = mm.pgtables.pteTable(a);
                if (table < 0) {
                    a = (a | (Pte.PMD_SIZE - 1)) + 1 - Addr.PAGE_SIZE;
                    continue;
                }
                long e = mem.readU64(Pte.slot(table, Pte.index(a, Addr.PAGE_SHIFT)));
                if (!Pte.present(e) || Pte.special(e)) {
                    continue;
                }
                rss += Addr.PAGE_SIZE;
                boolean dirty = Pte.dirty(e);
                if (dirty) {
                    dirtyB += Addr.PAGE_SIZE;
                }
                switch (Pte.member(e)) {
                    case Pte.MM_ANONPAGES -> {
                        anonB += Addr.PAGE_SIZE;
                        if ((e & Pte.LAZYFREE) != 0 && !dirty) {
                            lazy += Addr.PAGE_SIZE;
                        }
                    }
                    case Pte.MM_SHMEMPAGES -> shmemB += Addr.PAGE_SIZE;
                    default -> fileB += Addr.PAGE_SIZE;
                }
                if ((v.flags & VmFlags.VM_LOCKED) != 0) {
                    locked += Addr.PAGE_SIZE;
                }
            }
        }
        return new SmapsRollup(
                start, end, rss, dirtyB, anonB, fileB, shmemB, rss - dirtyB, dirtyB, rss, anonB, lazy, locked);
    }
}
