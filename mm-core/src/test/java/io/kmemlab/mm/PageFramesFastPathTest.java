package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The page allocator's one-write helpers (plainSoleRef, pcpPush, pcpPop) against the calls they
 * stand for, on frames in every state the general path meets.
 */
class PageFramesFastPathTest {
    private static final int N = 64;

    private static PageFrames frames() {
        PageFrames f = new PageFrames(N);
        f.initAll();
        return f;
    }

    /** An allocated page as prep_new_page leaves it: zone, order, one reference, its mobility. */
    private static void allocated(PageFrames f, int pfn, int order, int zone, int mt) {
        f.reset(pfn);
        f.setZone(pfn, zone);
        f.setOrderRefMt(pfn, order, 1, mt);
    }

    @Test
    void plainSoleRef_isTheFreeThatEveryCheckPassesAndThatDropsTheLastReference() {
        PageFrames f = frames();
        allocated(f, 8, 3, 2, 1);
        assertThat(f.plainSoleRef(8, 3)).isTrue();
        // the wrong order, a misaligned or out-of-range PFN
        assertThat(f.plainSoleRef(8, 2)).isFalse();
        assertThat(f.plainSoleRef(8, 4)).isFalse();
        allocated(f, 12, 3, 2, 1);
        assertThat(f.plainSoleRef(12, 3)).isFalse();
        assertThat(f.plainSoleRef(-1, 0)).isFalse();
        assertThat(f.plainSoleRef(N, 0)).isFalse();
        assertThat(f.plainSoleRef(0, -1)).isFalse();
        // a block that would run past the map
        allocated(f, 60, 3, 2, 0);
        assertThat(f.plainSoleRef(60, 2)).isFalse();
        allocated(f, 56, 3, 2, 0);
        assertThat(f.plainSoleRef(56, 3)).isTrue();
        // a shared page, a free page (refcount 0)
        allocated(f, 1, 0, 2, 0);
        f.setRefcount(1, 2);
        assertThat(f.plainSoleRef(1, 0)).isFalse();
        f.setRefcount(1, 0);
        assertThat(f.plainSoleRef(1, 0)).isFalse();
        // any PG_* bit: slab, compound head and tail, buddy, reserved, pcp, hole, large kmalloc
        int[] bits = {
            PageFrames.PG_SLAB,
            PageFrames.PG_HEAD,
            PageFrames.PG_TAIL,
            PageFrames.PG_BUDDY,
            PageFrames.PG_RESERVED,
            PageFrames.PG_PCP,
            PageFrames.PG_HOLE,
            PageFrames.PG_LARGE_KMALLOC,
            PageFrames.PG_GUARD,
            PageFrames.PG_OWNER_PRIV
        };
        for (int bit : bits) {
            allocated(f, 2, 0, 2, 0);
            assertThat(f.plainSoleRef(2, 0)).isTrue();
            f.set(2, bit);
            assertThat(f.plainSoleRef(2, 0)).as("bit %x", bit).isFalse();
            // reset keeps a hole a hole
            f.clear(2, bit);
        }
    }

    @Test
    void pcpPushAndPop_leaveTheFramesAsTheCallsTheyReplace() {
        SplittableRandom rnd = new SplittableRandom(7);
        PageFrames fast = frames();
        PageFrames slow = frames();
        int[] fastHeads = new int[8];
        int[] slowHeads = new int[8];
        Arrays.fill(fastHeads, PageFrames.NIL);
        Arrays.fill(slowHeads, PageFrames.NIL);
        boolean[] onList = new boolean[N];
        int[] listOf = new int[N];
        for (int step = 0; step < 2000; step++) {
            int pfn = rnd.nextInt(N);
            int list = rnd.nextInt(4);
            int order = rnd.nextInt(4);
            int mt = rnd.nextInt(3);
            if (!onList[pfn]) {
                // an allocated page with a stale page_private and links, freed onto a pcp list
                for (PageFrames f : new PageFrames[] {fast, slow}) {
                    allocated(f, pfn, order, pfn % 3, mt);
                    f.setPriv(pfn, 1234);
                }
                fast.pcpPush(fastHeads, list, pfn, order, mt);
                slow.reset(pfn);
                slow.setPcpEntry(pfn, order, mt);
                slow.listAddHead(slowHeads, list, pfn);
                onList[pfn] = true;
                listOf[pfn] = list;
            } else {
                int l = listOf[pfn];
                int a = fast.pcpPop(fastHeads, l, order, mt);
                int b = slow.listPollFirst(slowHeads, l);
                slow.clear(b, PageFrames.PG_PCP);
                slow.setOrderRefMt(b, order, 1, mt);
                assertThat(a).isEqualTo(b);
                onList[a] = false;
            }
            assertThat(fastHeads).isEqualTo(slowHeads);
            for (int p = 0; p < N; p++) {
                assertThat(fast.rawFlags(p))
                        .as("flags of %d at step %d", p, step)
                        .isEqualTo(slow.rawFlags(p));
                assertThat(fast.next(p)).isEqualTo(slow.next(p));
                assertThat(fast.prev(p)).isEqualTo(slow.prev(p));
                assertThat(fast.priv(p)).isEqualTo(slow.priv(p));
                assertThat(PageFrames.zoneOf(fast.rawFlags(p))).isEqualTo(fast.zone(p));
            }
        }
    }

    @Test
    void copyStateTo_copiesEveryWordOfEveryFrame() {
        PageFrames f = frames();
        allocated(f, 5, 0, 1, 2);
        f.setPriv(5, 99);
        int[] heads = {PageFrames.NIL, PageFrames.NIL};
        f.listAddHead(heads, 0, 7);
        PageFrames copy = new PageFrames(N);
        f.copyStateTo(copy);
        for (int p = 0; p < N; p++) {
            assertThat(copy.rawFlags(p)).isEqualTo(f.rawFlags(p));
            assertThat(copy.priv(p)).isEqualTo(f.priv(p));
        }
    }
}
