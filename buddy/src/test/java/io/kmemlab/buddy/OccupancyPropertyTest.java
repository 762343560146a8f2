package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ZoneType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * Random allocation and free sequences against an independent occupancy model (a bit per page):
 * the allocator never hands out a page twice, never hands out a page outside managed memory, and
 * after everything is freed and the pcp lists drained the free areas are exactly the boot ones.
 */
class OccupancyPropertyTest {
    private static final int[] GFPS = {
        Gfp.GFP_KERNEL,
        Gfp.GFP_KERNEL | Gfp.__GFP_ZERO,
        Gfp.GFP_HIGHUSER_MOVABLE,
        Gfp.GFP_ATOMIC,
        Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE,
        Gfp.GFP_DMA32 | Gfp.GFP_KERNEL,
        Gfp.GFP_DMA,
        Gfp.GFP_KERNEL | Gfp.__GFP_COMP,
        Gfp.GFP_TRANSHUGE_LIGHT | Gfp.__GFP_COMP,
        Gfp.GFP_NOWAIT,
    };

    /** One step: alloc (gfp index, order, cpu), free (victim index, cpu) or a bad free (pfn). */
    record Op(boolean alloc, boolean bad, int gfp, int order, int cpu, int victim) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> order = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(40, Arbitraries.integers().between(0, 0)),
                net.jqwik.api.Tuple.of(30, Arbitraries.integers().between(1, 3)),
                net.jqwik.api.Tuple.of(15, Arbitraries.integers().between(4, 8)),
                net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(9, 10)),
                net.jqwik.api.Tuple.of(5, Arbitraries.integers().between(11, 11)));
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 99),
                        Arbitraries.integers().between(0, GFPS.length - 1),
                        order,
                        Arbitraries.integers().between(0, 1),
                        Arbitraries.integers().between(0, 1 << 20))
                .as((kind, gfp, o, cpu, victim) -> new Op(kind < 60, kind >= 95, gfp, o, cpu, victim));
        return op.list().ofMinSize(1).ofMaxSize(300);
    }

    private record Block(int pfn, int order) {}

    @Property
    void randomAllocFree_neverOverlaps_neverLeaks_andFreeingAllRestoresBootFreeAreas(
            @ForAll("ops") List<Op> ops, @ForAll @IntRange(min = 0, max = 2) int size) {
        long mem = size == 0 ? 16L << 20 : size == 1 ? 64L << 20 : (4L << 30) + (16L << 20);
        BuddyAllocator b = TestBoot.kernelLike(mem, 2);
        PageFrames frames = b.machine().frames();
        long[][] boot = freeAreas(b);
        long bootFree = b.nrFreePages();
        BitSet used = new BitSet();
        List<Block> live = new ArrayList<>();
        int step = 0;
        for (Op op : ops) {
            if (size < 2 && ++step % 100 == 0) {
                assertThat(b.validate()).isEmpty();
            }
            if (op.alloc()) {
                int gfp = GFPS[op.gfp()] | Gfp.__GFP_NOWARN;
                int pfn = b.allocPages(op.cpu(), gfp, op.order());
                if (pfn < 0) {
                    continue;
                }
                assertThat(op.order()).isLessThanOrEqualTo(10);
                int n = 1 << op.order();
                assertThat(pfn & (n - 1)).as("alignment").isZero();
                int hit = used.nextSetBit(pfn);
                assertThat(hit < 0 || hit >= pfn + n).as("overlap at " + pfn).isTrue();
                int zone = frames.zone(pfn);
                assertThat(zone).isLessThanOrEqualTo(Gfp.gfpZone(gfp));
                for (int p = pfn; p < pfn + n; p++) {
                    assertThat(frames.test(p, PageFrames.PG_RESERVED | PageFrames.PG_BUDDY | PageFrames.PG_PCP))
                            .isFalse();
                }
                used.set(pfn, pfn + n);
                live.add(new Block(pfn, op.order()));
            } else if (op.bad()) {
                // a free of something that is not a live block head of that order: reported, no change
                int pfn = op.victim() % (frames.nrFrames() + 64);
                int order = Math.min(op.order(), 10);
                boolean liveHead = live.stream().anyMatch(l -> l.pfn() == pfn && l.order() == order);
                if (!liveHead) {
                    long free = b.nrFreePages();
                    long reports = b.machine().dmesg().reportCount(io.kmemlab.mm.ReportKind.BAD_PAGE);
                    assertThat(b.freePages(op.cpu(), pfn, order)).isFalse();
                    assertThat(b.nrFreePages()).isEqualTo(free);
                    assertThat(b.machine().dmesg().reportCount(io.kmemlab.mm.ReportKind.BAD_PAGE))
                            .isEqualTo(reports + 1);
                }
            } else if (!live.isEmpty()) {
                Block victim = live.remove(op.victim() % live.size());
                assertThat(b.freePages(op.cpu(), victim.pfn(), victim.order())).isTrue();
                used.clear(victim.pfn(), victim.pfn() + (1 << victim.order()));
            }
            assertThat(b.nrFreePages() + b.pcpPages() + used.cardinality())
                    .as("no leak")
                    .isEqualTo(bootFree);
        }
        assertThat(b.validate()).isEmpty();
        for (Block blk : live) {
            assertThat(b.freePages(0, blk.pfn(), blk.order())).isTrue();
        }
        b.drainAll();
        assertThat(b.validate()).isEmpty();
        assertThat(b.nrFreePages()).isEqualTo(bootFree);
        boolean reserved = false;
        for (int z = 0; z < ZoneType.COUNT; z++) {
            reserved |= b.zone(z).nrReservedHighatomic() > 0;
        }
        if (!reserved) {
            assertThat(freeAreas(b)).isDeepEqualTo(boot);
        } else {
            // a highatomic pageblock never merges with a buddy of another type, so the free areas
            // may stay split at order 9 until the reserve is given back under pressure
            assertThat(pagesIn(freeAreas(b))).isEqualTo(pagesIn(boot));
        }
    }

    private static long pagesIn(long[][] areas) {
        long n = 0;
        for (long[] zone : areas) {
            for (int o = 0; o < zone.length; o++) {
                n += zone[o] << o;
            }
        }
        return n;
    }

    private static long[][] freeAreas(BuddyAllocator b) {
        long[][] out = new long[ZoneType.COUNT][BuddyAllocator.NR_PAGE_ORDERS];
        for (int z = 0; z < ZoneType.COUNT; z++) {
            for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
                out[z][o] = b.zone(z).nrFree(o);
            }
        }
        return out;
    }
}
