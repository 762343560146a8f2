package io.kmemlab.proc;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Dmesg;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.VmEvent;
import java.util.Locale;

/**
 * Our {@code mm/oom_kill.c}, entered when an order-0 allocation for user memory or a page table
 * finds no page (in the kernel, __alloc_pages_may_oom in the allocator's slow path; kmemlab's page
 * allocator has no reclaim, so the fault path calls it). First the lazily freed pages (MADV_FREE,
 * clean since) are reclaimed; if none, vm.panic_on_oom decides: 0 kills the process with the
 * highest badness (RSS + swap entries + page-table pages; the newest of equals) with the
 * kernel's report, 1 and 2 panic the machine, after which every process call fails.
 */
final class OomKiller {
    private final ProcessTable t;

    OomKiller(ProcessTable t) {
        this.t = t;
    }

    /**
     * out_of_memory().
     *
     * @return true if memory was freed (the allocation may be retried)
     */
    boolean outOfMemory(Process cur, int gfp, int order) {
        if (t.panicMessage != null) {
            return false;
        }
        if (reclaimLazyFree(cur) > 0) {
            return true;
        }
        if (t.panicOnOom != 0) {
            dumpHeader(cur, gfp, order);
            t.panic("Out of memory: " + (t.panicOnOom == 2 ? "compulsory" : "system-wide")
                    + " panic_on_oom is enabled");
            return false;
        }
        Process victim = null;
        long chosen = Long.MIN_VALUE;
        for (Process p : t.processes.values()) {
            long points = badness(p);
            if (points >= chosen) {
                chosen = points;
                victim = p;
            }
        }
        if (victim == null) {
            dumpHeader(cur, gfp, order);
            t.machine.dmesg().err("Out of memory and no killable processes...");
            t.panic("System is deadlocked on memory");
            return false;
        }
        dumpHeader(cur, gfp, order);
        kill(victim, cur);
        return true;
    }

    /** oom_badness() with oom_score_adj 0. */
    static long badness(Process p) {
        return p.rssPages() + p.rss(Pte.MM_SWAPENTS) + (p.pgtablesBytes() >>> Addr.PAGE_SHIFT);
    }

    /** dump_header() and dump_tasks(). */
    private void dumpHeader(Process cur, int gfp, int order) {
        Dmesg d = t.machine.dmesg();
        d.warn(String.format(
                Locale.ROOT,
                "%s invoked oom-killer: gfp_mask=%#x(%s), order=%d, oom_score_adj=0",
                cur.comm,
                gfp,
                Gfp.format(gfp),
                order));
        d.info("Tasks state (memory values in pages):");
        d.info("[  pid  ]   uid  tgid total_vm      rss rss_anon rss_file rss_shmem pgtables_bytes swapents"
                + " oom_score_adj name");
        for (Process p : t.processes.values()) {
            d.info(String.format(
                    Locale.ROOT,
                    "[%7d] %5d %5d %8d %8d %8d %8d %9d %8d %8d         %5d %s",
                    p.pid,
                    p.uid,
                    p.pid,
                    p.mm.totalVm,
                    p.rssPages(),
                    p.rss(Pte.MM_ANONPAGES),
                    p.rss(Pte.MM_FILEPAGES),
                    p.rss(Pte.MM_SHMEMPAGES),
                    p.pgtablesBytes(),
                    p.rss(Pte.MM_SWAPENTS),
                    0,
                    p.comm));
        }
    }

    /** oom_kill_process() → __oom_kill_process(), then the OOM reaper's line. */
    private void kill(Process victim, Process cur) {
        Dmesg d = t.machine.dmesg();
        d.info(String.format(
                Locale.ROOT,
                "oom-kill:constraint=CONSTRAINT_NONE,nodemask=(null),cpuset=/,"
                        + "mems_allowed=0,global_oom,task_memcg=/,task=%s,pid=%d,uid=%d",
                victim.comm,
                victim.pid,
                victim.uid));
        t.machine.countVmEvent(VmEvent.OOM_KILL, 1);
        d.report(
                ReportKind.OOM,
                String.format(
                        Locale.ROOT,
                        "Out of memory: Killed process %d (%s) total-vm:%dkB, anon-rss:%dkB, file-rss:%dkB, shmem-rss:%dkB,"
                                + " UID:%d pgtables:%dkB oom_score_adj:%d",
                        victim.pid,
                        victim.comm,
                        victim.mm.totalVm << 2,
                        victim.rss(Pte.MM_ANONPAGES) << 2,
                        victim.rss(Pte.MM_FILEPAGES) << 2,
                        victim.rss(Pte.MM_SHMEMPAGES) << 2,
                        victim.uid,
                        victim.pgtablesBytes() >>> 10,
                        0));
        t.lastOomVictim = victim;
        t.exit(victim, 0, Process.SIGKILL, victim == cur);
        d.info(String.format(
                Locale.ROOT,
                "oom_reaper: reaped process %d (%s), now anon-rss:%dkB, file-rss:%dkB," + " shmem-rss:%dkB",
                victim.pid,
                victim.comm,
                victim.rss(Pte.MM_ANONPAGES) << 2,
                victim.rss(Pte.MM_FILEPAGES) << 2,
                victim.rss(Pte.MM_SHMEMPAGES) << 2));
    }

    /**
     * The reclaim of lazily freed pages (shrink_folio_list on a !swapbacked clean folio): every
     * MADV_FREE'd page not written since is unmapped and freed.
     *
     * @return the pages freed
     */
    private long reclaimLazyFree(Process cur) {
        PhysMem mem = t.machine.mem();
        long total = 0;
        for (Process p : t.processes.values()) {
            long n = 0;
            for (Vma v : p.mm.vmas.values()) {
                if (!v.anonymous()) {
                    continue;
                }
                for (long a = v.start; a < v.end; a += Addr.PAGE_SIZE) {
                    int table = p.mm.pgtables.pteTable(a);
                    if (table < 0) {
                        a = (a | (Pte.PMD_SIZE - 1)) + 1 - Addr.PAGE_SIZE;
                        continue;
                    }
                    long slot = Pte.slot(table, Pte.index(a, Addr.PAGE_SHIFT));
                    long e = mem.readU64(slot);
                    if (Pte.present(e) && (e & Pte.LAZYFREE) != 0 && !Pte.dirty(e)) {
                        mem.writeU64(slot, 0);
                        t.rmap.remove(Pte.pfn(e));
                        t.memory.queueFree(p, Pte.pfn(e), PageUse.ANON);
                        n++;
                    }
                }
            }
            if (n > 0) {
                t.memory.flushFree(p);
                t.memory.addRss(p, Pte.MM_ANONPAGES, -n, p == cur);
                total += n;
            }
        }
        t.machine.countVmEvent(VmEvent.PGLAZYFREED, total);
        return total;
    }
}
