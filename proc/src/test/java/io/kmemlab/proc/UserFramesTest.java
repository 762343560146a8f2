package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Mman;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link ProcessTable#forEachUserFrame}: the walk names as many table pages as each process's
 * page-table count, every mapped page at the address its PTE maps it and with the rss_stat member
 * it is charged to, and nothing of a process that exited.
 */
class UserFramesTest {
    @Test
    void walk_agreesWithEachProcesssCountersAndPtes() {
        ProcTesting t = new ProcTesting();
        Process a = t.table.spawn("walk-a");
        Process b = t.table.spawn("walk-b");
        long m = a.mmap(0, 40 * 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        a.touchRange(m, 40 * 4096, true);
        long far =
                a.mmap(0x100000000000L, 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        a.touch(far, true);
        b.brk(b.brkAddress() + 8 * 4096);
        b.touchRange(b.startBrk(), 8 * 4096, true);

        Map<Process, long[]> seen = new HashMap<>();
        Map<Integer, Process> tables = new HashMap<>();
        t.table.forEachUserFrame(new UserFrameVisitor() {
            @Override
            public void pageTable(int pfn, Process p, int level) {
                seen.computeIfAbsent(p, k -> new long[2 + Pte.NR_MM_COUNTERS])[0]++;
                assertThat(level).isBetween(1, UserFrameVisitor.PGD);
                assertThat(tables.put(pfn, p)).as("table page visited once").isNull();
            }

            @Override
            public void userPage(int pfn, Process p, long uaddr, int member) {
                seen.computeIfAbsent(p, k -> new long[2 + Pte.NR_MM_COUNTERS])[2 + member]++;
                assertThat(p.pfnAt(uaddr)).as("the PTE at %x", uaddr).isEqualTo(pfn);
                if (member == Pte.MM_ANONPAGES) {
                    assertThat(t.table.rmap().owner(pfn)).isSameAs(p);
                    assertThat(t.table.rmap().address(pfn)).isEqualTo(uaddr);
                }
            }
        });
        for (Process p : new Process[] {a, b}) {
            long[] c = seen.get(p);
            assertThat(c[0]).as(p.comm() + " table pages").isEqualTo(p.pageTablePages());
            for (int member : new int[] {Pte.MM_ANONPAGES, Pte.MM_FILEPAGES, Pte.MM_SHMEMPAGES}) {
                assertThat(c[2 + member]).as(p.comm() + " member " + member).isEqualTo(p.rss(member));
            }
        }
        assertThat(seen.get(a)[2 + Pte.MM_ANONPAGES]).isGreaterThanOrEqualTo(41);
        assertThat(seen.get(a)[0])
                .as("a second PUD/PMD/PTE chain for the far mapping")
                .isGreaterThan(seen.get(b)[0]);

        a.exitGroup(0);
        Map<Process, Integer> after = new HashMap<>();
        t.table.forEachUserFrame(new UserFrameVisitor() {
            @Override
            public void pageTable(int pfn, Process p, int level) {
                after.merge(p, 1, Integer::sum);
            }

            @Override
            public void userPage(int pfn, Process p, long uaddr, int member) {
                after.merge(p, 1, Integer::sum);
            }
        });
        assertThat(after).containsOnlyKeys(b);
        t.valid();
    }
}
