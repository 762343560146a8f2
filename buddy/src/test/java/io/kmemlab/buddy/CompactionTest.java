package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.CompactionMetric;
import io.kmemlab.mm.page.MovableOwner;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.testing.Golden;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Memory compaction (sheaves-compaction.md §4): scanners, migration, suitability, deferral, capture. */
class CompactionTest {
    private static final int MOVABLE = Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_NOWARN;

    /** Tracks where every movable page lives and what its first bytes should be. */
    static final class Owner implements MovableOwner {
        final Map<Integer, Long> stamp = new HashMap<>();
        final List<int[]> moves = new ArrayList<>();
        final Set<Integer> pinned = new HashSet<>();

        @Override
        public boolean owns(int pfn, int order) {
            return stamp.containsKey(pfn);
        }

        @Override
        public boolean mayMigrate(int pfn, int order) {
            return !pinned.contains(pfn);
        }

        @Override
        public void migrated(int oldPfn, int newPfn, int order) {
            Long v = stamp.remove(oldPfn);
            assertThat(v).as("migrated a page nobody owns: " + oldPfn).isNotNull();
            stamp.put(newPfn, v);
            moves.add(new int[] {oldPfn, newPfn});
        }
    }

    /**
     * mem=64M: order-0 movable pages until the allocator refuses, every page stamped with its own
     * bytes, then every other one freed (the acceptance scenario's fragmentation).
     */
    private static BuddyAllocator fragmented(Owner owner, List<Integer> unmovable) {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        if (owner != null) {
            b.addMovableOwner(owner);
        }
        // a few unmovable pages among the movable ones: compaction must leave them where they are
        List<Integer> pages = new ArrayList<>();
        int n = 0;
        while (true) {
            int gfp = n % 997 == 500 ? Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN : MOVABLE;
            int pfn = b.allocPages(0, gfp, 0);
            if (pfn == PageAllocator.NO_PAGE) {
                // pages the pcp lists held when the watermark refused: drain them and go on
                b.drainAll();
                pfn = b.allocPages(0, gfp, 0);
                if (pfn == PageAllocator.NO_PAGE) {
                    break;
                }
            }
            if (gfp == MOVABLE) {
                pages.add(pfn);
            } else {
                unmovable.add(pfn);
            }
            long v = 0x5a5a000000000000L | pfn;
            b.machine().mem().writeU64(Addr.pfnToVirt(pfn), v);
            b.machine().mem().writeU64(Addr.pfnToVirt(pfn) + 4088, ~v);
            if (owner != null && gfp == MOVABLE) {
                owner.stamp.put(pfn, v);
            }
            n++;
        }
        pages.sort(null);
        for (int i = 0; i < pages.size(); i += 2) {
            assertThat(b.freePages(0, pages.get(i), 0)).isTrue();
            if (owner != null) {
                owner.stamp.remove(pages.get(i));
            }
        }
        b.drainAll();
        // free blocks of order >= 9 that the watermark kept back: taken without compaction
        int atomicMovable = Gfp.__GFP_MOVABLE | Gfp.__GFP_HIGHMEM | Gfp.__GFP_NOWARN;
        for (ZoneType t : new ZoneType[] {ZoneType.DMA, ZoneType.DMA32}) {
            while (b.zone(t).nrFree(9) + b.zone(t).nrFree(10) > 0) {
                assertThat(b.allocPages(0, atomicMovable, 9)).isNotEqualTo(PageAllocator.NO_PAGE);
            }
        }
        assertThat(b.validate()).isEmpty();
        return b;
    }

    private static void assertBytesFollowed(BuddyAllocator b, Owner owner) {
        for (Map.Entry<Integer, Long> e : owner.stamp.entrySet()) {
            long virt = Addr.pfnToVirt(e.getKey());
            assertThat(b.machine().mem().readU64(virt)).isEqualTo(e.getValue());
            assertThat(b.machine().mem().readU64(virt + 4088)).isEqualTo(~e.getValue());
            assertThat(b.machine().frames().refcount(e.getKey())).isEqualTo(1);
        }
    }

    @Test
    void order9Movable_afterFreeingEveryOtherPage_compactsAndSucceeds() {
        Owner owner = new Owner();
        List<Integer> unmovable = new ArrayList<>();
        BuddyAllocator b = fragmented(owner, unmovable);
        for (ZoneType t : new ZoneType[] {ZoneType.DMA, ZoneType.DMA32}) {
            for (int o = 9; o <= 10; o++) {
                assertThat(b.zone(t).nrFree(o))
                        .as("no free order-9 block before compaction")
                        .isZero();
            }
        }
        int pfn = b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 9);
        assertThat(pfn).isNotEqualTo(PageAllocator.NO_PAGE);
        assertThat(pfn & 511).isZero();
        Compaction c = b.compaction();
        assertThat(c.event(CompactionMetric.COMPACTSTALL)).isGreaterThanOrEqualTo(1);
        assertThat(c.event(CompactionMetric.COMPACTSUCCESS)).isEqualTo(1);
        assertThat(c.event(CompactionMetric.COMPACTMIGRATE_SCANNED)).isPositive();
        assertThat(c.event(CompactionMetric.COMPACTFREE_SCANNED)).isPositive();
        assertThat(c.event(CompactionMetric.COMPACTISOLATED)).isPositive();
        assertThat(owner.moves).isNotEmpty();
        assertBytesFollowed(b, owner);
        for (int u : unmovable) {
            for (int[] m : owner.moves) {
                assertThat(m[0]).as("unmovable page moved").isNotEqualTo(u);
            }
            assertThat(b.machine().frames().refcount(u)).isEqualTo(1);
        }
        assertThat(b.validate()).isEmpty();
        String vmstat = BuddyViews.vmstat(b, b.machine());
        assertThat(vmstat)
                .contains("compact_stall " + c.event(CompactionMetric.COMPACTSTALL) + "\n")
                .contains("compact_success 1\n")
                .contains("compact_fail " + (c.event(CompactionMetric.COMPACTSTALL) - 1) + "\n");
    }

    @Test
    void noOwnerRegistered_nothingMigrates_allocationFailsWithCompactionReport() {
        BuddyAllocator b = fragmented(null, new ArrayList<>());
        assertThat(b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 9)).isEqualTo(PageAllocator.NO_PAGE);
        Compaction c = b.compaction();
        assertThat(c.event(CompactionMetric.COMPACTFAIL)).isPositive();
        assertThat(c.event(CompactionMetric.COMPACTSUCCESS)).isZero();
        String dmesg = String.join("\n", b.machine().dmesg().lines());
        assertThat(dmesg)
                .contains("page allocation failure: order:9")
                .contains("compaction (async): DMA32: ")
                .contains("compaction (sync_light): DMA32: ")
                .contains("0 pages migrated")
                .containsPattern("unmovable or pinned pages in the way");
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void compactMemory_scannersMeet_everyZoneCompacted_bytesIdentical() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        List<String> lines = new ArrayList<>();
        b.machine().tracer().enable("compaction:mm_compaction_begin,compaction:mm_compaction_end");
        b.machine().tracer().addSink(lines::add);
        long free9Before =
                b.zone(ZoneType.DMA32).nrFree(9) + b.zone(ZoneType.DMA32).nrFree(10);
        assertThat(b.compaction().compactMemory(2)).isEqualTo("EINVAL");
        assertThat(b.compaction().compactMemory(1)).isNull();
        b.drainAll();
        assertThat(b.validate()).isEmpty();
        assertBytesFollowed(b, owner);
        // order -1 runs until the scanners meet: status complete in every populated zone
        List<String> ends =
                lines.stream().filter(l -> l.contains("mm_compaction_end:")).toList();
        assertThat(ends).hasSize(2).allMatch(l -> l.endsWith("mode=sync status=complete"));
        for (String end : ends) {
            long migrate = Long.parseLong(end.replaceAll(".*migrate_pfn=0x(\\p{XDigit}+).*", "$1"), 16);
            long free = Long.parseLong(end.replaceAll(".*free_pfn=0x(\\p{XDigit}+).*", "$1"), 16);
            assertThat(free >> 9).as("scanners met: " + end).isLessThanOrEqualTo(migrate >> 9);
        }
        long free9After =
                b.zone(ZoneType.DMA32).nrFree(9) + b.zone(ZoneType.DMA32).nrFree(10);
        assertThat(free9After).isGreaterThan(free9Before);
        // the movable pages were packed towards the zone's end: its low half is almost all free
        assertThat(owner.moves).allMatch(m -> m[1] > m[0]);
    }

    @Test
    void twoOwners_eachFollowsOnlyItsOwnPages_andAPageNobodyClaimsStays() {
        Owner first = new Owner();
        BuddyAllocator b = fragmented(first, new ArrayList<>());
        // hand a third of the pages to a second owner, and leave a third claimed by nobody
        Owner second = new Owner();
        Set<Integer> unclaimed = new HashSet<>();
        for (int pfn : List.copyOf(first.stamp.keySet())) {
            if (pfn % 3 == 1) {
                second.stamp.put(pfn, first.stamp.remove(pfn));
            } else if (pfn % 3 == 2) {
                first.stamp.remove(pfn);
                unclaimed.add(pfn);
            }
        }
        b.addMovableOwner(second);
        b.compaction().compactMemory(1);
        assertThat(first.moves).isNotEmpty();
        assertThat(second.moves)
                .as("the second owner's pages move too: no owner vetoes another's")
                .isNotEmpty();
        for (Owner o : List.of(first, second)) {
            for (int[] m : o.moves) {
                assertThat(unclaimed).doesNotContain(m[0]);
            }
        }
        for (int p : unclaimed) {
            assertThat(b.machine().mem().readU64(Addr.pfnToVirt(p))).isEqualTo(0x5a5a000000000000L | p);
        }
        // Owner.migrated asserts that it owned each page it is told about
        assertBytesFollowed(b, first);
        assertBytesFollowed(b, second);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void pinnedPages_areNeverMigrated() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        owner.pinned.addAll(
                owner.stamp.keySet().stream().filter(p -> p % 3 == 0).toList());
        Set<Integer> pinned = new HashSet<>(owner.pinned);
        b.compaction().compactMemory(1);
        for (int[] m : owner.moves) {
            assertThat(pinned).doesNotContain(m[0]);
        }
        for (int p : pinned) {
            assertThat(owner.stamp).containsKey(p);
        }
        assertBytesFollowed(b, owner);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void fragmentationIndexBelowThreshold_notSuitable_lackOfMemory() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        b.addMovableOwner(new Owner());
        Zone z = b.zoneAt(ZoneType.DMA32.ordinal());
        // a zone with free order-10 blocks: an order-9 request needs no compaction (index -1000)
        assertThat(Compaction.fragmentationIndex(z, 9)).isEqualTo(-1000);
        assertThat(b.compaction().suitAllocationOrder(z, 9, ZoneType.MOVABLE.ordinal(), BuddyAllocator.ALLOC_WMARK_MIN))
                .isEqualTo(Compaction.COMPACT_SUCCESS);
        assertThat(b.compaction().setExtfragThreshold(1001)).isEqualTo("EINVAL");
        assertThat(b.compaction().setExtfragThreshold(1000)).isNull();
        assertThat(b.compaction().extfragThreshold()).isEqualTo(1000);
    }

    @Test
    void deferral_skipsAtMost64Attempts_thenRuns() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        Compaction c = b.compaction();
        Zone z = b.zoneAt(ZoneType.DMA32.ordinal());
        List<String> lines = new ArrayList<>();
        b.machine().tracer().enable("compaction:mm_compaction_defer*");
        b.machine().tracer().addSink(lines::add);
        c.deferReset(z, 9, true);
        assertThat(c.orderFailed(ZoneType.DMA32)).isEqualTo(10);
        for (int i = 0; i < 8; i++) {
            c.deferCompaction(z, 9);
        }
        assertThat(c.deferShift(ZoneType.DMA32)).isEqualTo(6);
        assertThat(c.orderFailed(ZoneType.DMA32)).isEqualTo(9);
        assertThat(c.compactionDeferred(z, 8))
                .as("lower orders are not deferred")
                .isFalse();
        int skipped = 0;
        while (c.compactionDeferred(z, 9)) {
            skipped++;
        }
        assertThat(skipped).isEqualTo(63);
        assertThat(c.considered(ZoneType.DMA32)).isEqualTo(64);
        assertThat(lines.get(0))
                .endsWith("mm_compaction_defer_reset: node=0 zone=DMA32    order=9"
                        + " order_failed=10 consider=0 limit=1");
        assertThat(lines.get(1))
                .endsWith("mm_compaction_defer_compaction: node=0 zone=DMA32    order=9"
                        + " order_failed=9 consider=0 limit=2");
        assertThat(lines.get(lines.size() - 1))
                .endsWith("mm_compaction_deferred: node=0 zone=DMA32    order=9"
                        + " order_failed=9 consider=63 limit=64");
    }

    @Test
    void directCompaction_tracepoints_inKernelText() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        List<String> lines = new ArrayList<>();
        b.machine().tracer().enable("compaction:*,migrate:*");
        b.machine().tracer().addSink(lines::add);
        assertThat(b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 9)).isNotEqualTo(PageAllocator.NO_PAGE);
        List<String> fields =
                lines.stream().map(l -> l.substring(l.indexOf(": mm_") + 2)).toList();
        assertThat(fields)
                .contains("mm_compaction_try_to_compact_pages: order=9" + " gfp_mask=GFP_HIGHUSER_MOVABLE priority=2");
        assertThat(fields)
                .anyMatch(f -> f.matches("mm_compaction_suitable: node=0 zone=DMA32    order=9 ret=continue"));
        assertThat(fields)
                .anyMatch(f -> f.matches("mm_compaction_begin: zone_start=0x1000 migrate_pfn=0x1000"
                        + " free_pfn=0x3e00 zone_end=0x4000, mode=(a)?sync"));
        assertThat(fields)
                .anyMatch(f -> f.matches("mm_compaction_isolate_migratepages: range=\\(0x\\p{XDigit}+"
                        + " ~ 0x\\p{XDigit}+\\) nr_scanned=\\d+ nr_taken=([1-9]\\d*)"));
        assertThat(fields)
                .anyMatch(f -> f.matches("mm_compaction_isolate_freepages: range=\\(0x\\p{XDigit}+"
                        + " ~ 0x\\p{XDigit}+\\) nr_scanned=\\d+ nr_taken=\\d+"));
        assertThat(fields)
                .anyMatch(f -> f.matches("mm_migrate_pages: nr_succeeded=\\d+ nr_failed=0"
                        + " nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=0 mode=MIGRATE_(A)?SYNC(_LIGHT)?"
                        + " reason=compaction"));
        assertThat(fields).anyMatch(f -> f.matches("mm_compaction_migratepages: nr_migrated=\\d+ nr_failed=0"));
        assertThat(fields)
                .anyMatch(f -> f.matches(
                        "mm_compaction_finished: node=0 zone=DMA32    order=9" + " ret=(success|no_suitable_page)"));
        assertThat(fields)
                .anyMatch(f -> f.matches("mm_compaction_end: zone_start=0x1000 migrate_pfn=0x\\p{XDigit}+"
                        + " free_pfn=0x\\p{XDigit}+ zone_end=0x4000, mode=(a)?sync status=success"));
        assertThat(fields).anyMatch(f -> f.startsWith("mm_compaction_defer_reset: node=0 zone=DMA32    order=9"));
    }

    @Test
    void proactiveness_kcompactdBacksOff_whenScoreDoesNotImprove() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 1);
        Compaction c = b.compaction();
        assertThat(c.setProactiveness(101)).isEqualTo("EINVAL");
        assertThat(c.proactiveness()).isEqualTo(20);
        assertThat(c.shouldProactiveCompactNode())
                .as("freshly booted memory is not fragmented")
                .isFalse();
        c.kcompactdRun(0);
        assertThat(c.kcompactdNextWake()).isEqualTo(500_000_000L);
        c.kcompactdRun(500_000_000L);
        assertThat(c.kcompactdNextWake()).isEqualTo(1_000_000_000L);
        assertThat(c.event(CompactionMetric.KCOMPACTD_WAKE)).isZero();
    }

    @Test
    void skipBit_setOnScannedBlocks_clearedByReset() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 9);
        Zone z = b.zoneAt(ZoneType.DMA32.ordinal());
        int skipped = 0;
        for (int pfn = z.startPfn; pfn < z.endPfn; pfn += 512) {
            if (b.pageblockSkip(pfn)) {
                skipped++;
            }
        }
        assertThat(skipped).isPositive();
        b.compaction().resetIsolationSuitable(z);
        for (int pfn = z.startPfn; pfn < z.endPfn; pfn += 512) {
            assertThat(b.pageblockSkip(pfn)).isFalse();
        }
        // the skip bit lives beside the migrate type, which it must not disturb
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void randomMixedOrders_compactMemory_bytesFollowEveryMove_noUnmovableMoved() {
        for (long seed = 1; seed <= 4; seed++) {
            java.util.SplittableRandom rnd = new java.util.SplittableRandom(seed);
            BuddyAllocator b = TestBoot.kernelLike(32L << 20, 2);
            Owner owner = new Owner();
            b.addMovableOwner(owner);
            Map<Integer, Integer> unmovable = new HashMap<>();
            List<int[]> live = new ArrayList<>();
            for (int step = 0; step < 6000; step++) {
                if (live.isEmpty() || rnd.nextInt(3) != 0) {
                    int order = rnd.nextInt(4) == 0 ? rnd.nextInt(1, 4) : 0;
                    boolean movable = rnd.nextInt(5) != 0;
                    int gfp = (movable ? Gfp.GFP_HIGHUSER_MOVABLE : Gfp.GFP_KERNEL) | Gfp.__GFP_NOWARN;
                    int cpu = rnd.nextInt(2);
                    int pfn = b.allocPages(cpu, gfp, order);
                    if (pfn == PageAllocator.NO_PAGE) {
                        continue;
                    }
                    long v = rnd.nextLong();
                    for (int p = 0; p < 1 << order; p++) {
                        b.machine().mem().writeU64(Addr.pfnToVirt(pfn + p) + 8 * (p % 500), v + p);
                    }
                    if (movable) {
                        owner.stamp.put(pfn, v);
                    } else {
                        unmovable.put(pfn, order);
                    }
                    live.add(new int[] {pfn, order, movable ? 1 : 0});
                } else {
                    int[] victim = live.remove(rnd.nextInt(live.size()));
                    // a movable page may have moved: follow it through the owner's map
                    int pfn = victim[0];
                    assertThat(b.freePages(rnd.nextInt(2), pfn, victim[1])).isTrue();
                    owner.stamp.remove(pfn);
                    unmovable.remove(pfn);
                }
                if (step % 1500 == 1499) {
                    b.compaction().compactMemory(1);
                    // compaction moved pages: rewrite the test's own pfns through the owner's moves
                    Map<Integer, Integer> moved = new HashMap<>();
                    for (int[] m : owner.moves) {
                        moved.put(m[0], m[1]);
                    }
                    owner.moves.clear();
                    for (int[] l : live) {
                        Integer to;
                        while ((to = moved.get(l[0])) != null) {
                            assertThat(l[2])
                                    .as("unmovable block moved, seed " + seed)
                                    .isOne();
                            l[0] = to;
                        }
                    }
                    for (Map.Entry<Integer, Long> e : owner.stamp.entrySet()) {
                        int pfn = e.getKey();
                        int order = b.machine().frames().order(pfn);
                        for (int p = 0; p < 1 << order; p++) {
                            assertThat(b.machine().mem().readU64(Addr.pfnToVirt(pfn + p) + 8 * (p % 500)))
                                    .as("seed " + seed + " pfn " + pfn + "+" + p)
                                    .isEqualTo(e.getValue() + p);
                        }
                    }
                    for (Map.Entry<Integer, Integer> e : unmovable.entrySet()) {
                        assertThat(b.machine().frames().refcount(e.getKey())).isEqualTo(1);
                    }
                    assertThat(b.validate()).isEmpty();
                }
            }
        }
    }

    @Test
    void proactiveCompaction_onAFragmentedNode_runsAtTheTimeout_andCountsDaemonScans() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        Compaction c = b.compaction();
        assertThat(c.fragmentationScoreNode()).isGreaterThan(90);
        assertThat(c.shouldProactiveCompactNode()).isTrue();
        List<String> lines = new ArrayList<>();
        b.machine().tracer().enable("compaction:mm_compaction_kcompactd_sleep,compaction:mm_compaction_end");
        b.machine().tracer().addSink(lines::add);
        c.kcompactdRun(0);
        assertThat(c.event(CompactionMetric.KCOMPACTD_MIGRATE_SCANNED)).isZero();
        c.kcompactdRun(500_000_000L);
        assertThat(c.event(CompactionMetric.KCOMPACTD_MIGRATE_SCANNED)).isPositive();
        assertThat(c.event(CompactionMetric.KCOMPACTD_FREE_SCANNED)).isPositive();
        assertThat(c.event(CompactionMetric.KCOMPACTD_WAKE))
                .as("proactive runs are not wake-ups")
                .isZero();
        assertThat(c.event(CompactionMetric.COMPACTMIGRATE_SCANNED))
                .isGreaterThanOrEqualTo(c.event(CompactionMetric.KCOMPACTD_MIGRATE_SCANNED));
        assertThat(lines).anyMatch(l -> l.endsWith("mm_compaction_kcompactd_sleep: nid=0"));
        assertThat(owner.moves).isNotEmpty();
        assertBytesFollowed(b, owner);
        assertThat(b.validate()).isEmpty();
        long next = c.kcompactdNextWake();
        assertThat(next).isIn(1_000_000_000L, 500_000_000L + (500_000_000L << 6));
    }

    @Test
    void directCompaction_traceGolden() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        StringBuilder sb = new StringBuilder();
        b.machine()
                .tracer()
                .enable("compaction:*,migrate:*,!compaction:mm_compaction_isolate_*,"
                        + "!compaction:mm_compaction_fast_isolate_freepages,!compaction:mm_compaction_migratepages,"
                        + "!migrate:mm_migrate_pages");
        b.machine()
                .tracer()
                .addSink(l -> sb.append(l.substring(l.indexOf(": mm_") + 2)).append('\n'));
        assertThat(b.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 9)).isNotEqualTo(PageAllocator.NO_PAGE);
        Golden.assertMatches("compaction_direct.txt", sb.toString());
    }

    @Test
    void atomicHighOrderFailure_wakesKcompactd_whichCompactsForTheNextAttempt() {
        Owner owner = new Owner();
        BuddyAllocator b = fragmented(owner, new ArrayList<>());
        Compaction c = b.compaction();
        c.setProactiveness(0);
        List<String> lines = new ArrayList<>();
        b.machine()
                .tracer()
                .enable("compaction:mm_compaction_wakeup_kcompactd,compaction:mm_compaction_kcompactd_wake");
        b.machine().tracer().addSink(lines::add);
        int atomic = Gfp.GFP_ATOMIC | Gfp.__GFP_MOVABLE | Gfp.__GFP_NOWARN;
        assertThat(b.allocPages(0, atomic, 9))
                .as("no direct compaction without direct reclaim")
                .isEqualTo(PageAllocator.NO_PAGE);
        assertThat(c.event(CompactionMetric.COMPACTSTALL)).isZero();
        assertThat(lines).hasSize(1);
        // __GFP_MOVABLE without __GFP_HIGHMEM reaches ZONE_NORMAL at most (gfp_zone)
        assertThat(lines.get(0)).endsWith("mm_compaction_wakeup_kcompactd: nid=0 order=9 classzone_idx=Normal  ");
        c.kcompactdRun(1_000_000L);
        assertThat(c.event(CompactionMetric.KCOMPACTD_WAKE)).isEqualTo(1);
        assertThat(c.event(CompactionMetric.KCOMPACTD_MIGRATE_SCANNED)).isPositive();
        assertThat(lines.get(1)).endsWith("mm_compaction_kcompactd_wake: nid=0 order=9 classzone_idx=Normal  ");
        b.drainAll();
        assertThat(b.allocPages(0, atomic, 9)).isNotEqualTo(PageAllocator.NO_PAGE);
        assertBytesFollowed(b, owner);
        assertThat(b.validate()).isEmpty();
    }
}
