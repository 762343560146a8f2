package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;
import java.util.ArrayList;
import java.util.List;

/** The checks of {@link Process#validate}: a full walk of the VMAs and of the page tables. */
final class Validator {
    private Validator() {}

    static List<String> validate(Process p) {
        List<String> out = new ArrayList<>();
        if (!p.alive) {
            return out;
        }
        Mm mm = p.mm;
        long total = 0;
        long data = 0;
        long exec = 0;
        long stack = 0;
        long locked = 0;
        Vma prev = null;
        for (var e : mm.vmas.entrySet()) {
            Vma v = e.getValue();
            if (e.getKey() != v.start) {
                out.add("VMA " + v + " filed under " + Addr.hex(e.getKey()));
            }
            if (v.start >= v.end
                    || (v.start & ~Addr.PAGE_MASK) != 0
                    || (v.end & ~Addr.PAGE_MASK) != 0
                    || v.end > ProcessTable.TASK_SIZE
                    || v.start < 0) {
                out.add("VMA " + v + " is empty, unaligned or outside the user address space");
            }
            if (prev != null) {
                if (prev.end > v.start) {
                    out.add("VMAs " + prev + " and " + v + " overlap");
                } else if (Mmap.canMerge(prev, v)) {
                    out.add("VMAs " + prev + " and " + v + " could merge");
                }
            }
            if (v.shmem != null && v.shmem.refs < 1) {
                out.add("VMA " + v + " refers to a released shmem object");
            }
            long n = v.pages();
            total += n;
            if (VmFlags.isExec(v.flags)) {
                exec += n;
            } else if (VmFlags.isStack(v.flags)) {
                stack += n;
            } else if (VmFlags.isData(v.flags)) {
                data += n;
            }
            if ((v.flags & VmFlags.VM_LOCKED) != 0) {
                locked += n;
            }
            prev = v;
        }
        check(out, "total_vm", mm.totalVm, total);
        check(out, "data_vm", mm.dataVm, data);
        check(out, "exec_vm", mm.execVm, exec);
        check(out, "stack_vm", mm.stackVm, stack);
        check(out, "locked_vm", mm.lockedVm, locked);
        long[] rss = new long[Pte.NR_MM_COUNTERS];
        long[] tables = new long[3];
        walk(p, out, mm.pgtables.pgdPfn, 0, Pte.PGDIR_SHIFT, rss, tables);
        String[] names = {"MM_FILEPAGES", "MM_ANONPAGES", "MM_SWAPENTS", "MM_SHMEMPAGES"};
        for (int m = 0; m < Pte.NR_MM_COUNTERS; m++) {
            check(out, names[m], mm.rss[m], rss[m]);
        }
        String[] levels = {"nr_puds", "nr_pmds", "nr_ptes"};
        for (int l = 0; l < 3; l++) {
            check(out, levels[l], mm.pgtables.nrTables[l], tables[l]);
        }
        return out;
    }

    private static void check(List<String> out, String what, long counter, long actual) {
        if (counter != actual) {
            out.add(what + " is " + counter + ", the address space has " + actual);
        }
    }

    private static void walk(
            Process p, List<String> out, int tablePfn, long base, int shift, long[] rss, long[] tables) {
        PhysMem mem = p.table.machine.mem();
        Mm mm = p.mm;
        long span = 1L << shift;
        for (int i = 0; i < Pte.PTRS_PER_TABLE; i++) {
            long addr = base + i * span;
            if (addr >= ProcessTable.TASK_SIZE + Addr.PAGE_SIZE) {
                break;
            }
            long e = mem.readU64(Pte.slot(tablePfn, i));
            if (!Pte.present(e)) {
                continue;
            }
            if (shift == Addr.PAGE_SHIFT) {
                Vma v = mm.vmaAt(addr);
                if (v == null) {
                    out.add("PTE " + Addr.hex(e) + " maps " + Addr.hex(addr) + " outside every VMA");
                    continue;
                }
                if (Pte.special(e)) {
                    if (Pte.pfn(e) != p.table.zeroPfn) {
                        out.add("special PTE at " + Addr.hex(addr) + " is not the zero page");
                    }
                    continue;
                }
                int member = Pte.member(e);
                rss[member]++;
                if (member == Pte.MM_ANONPAGES
                        && (p.table.rmap.owner(Pte.pfn(e)) != p || p.table.rmap.address(Pte.pfn(e)) != addr)) {
                    out.add("rmap of pfn " + Pte.pfn(e) + " does not name " + p + " at " + Addr.hex(addr));
                }
                if (member == Pte.MM_SHMEMPAGES
                        && (v.shmem == null || v.shmem.pfns[(int) v.pageIndex(addr)] != Pte.pfn(e))) {
                    out.add("shmem PTE at " + Addr.hex(addr) + " is not its object's page");
                }
                continue;
            }
            int level = shift == Pte.PGDIR_SHIFT ? 0 : shift == Pte.PUD_SHIFT ? 1 : 2;
            tables[level]++;
            if (!mm.occupied(addr, addr + span)) {
                out.add("a page table maps " + Addr.hex(addr) + "+" + Addr.hex(span) + " where no VMA is");
            }
            walk(p, out, Pte.pfn(e), addr, shift - 9, rss, tables);
        }
    }
}
