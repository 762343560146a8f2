package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PageFramesTest {
    private final PageFrames frames = new PageFrames(64);

    /** The answer the common layer's virt_to_slab gave before slabHead existed. */
    private int slabHeadByParts(int pfn) {
        if (!frames.valid(pfn)) {
            return PageFrames.NIL;
        }
        int head = frames.compoundHead(pfn);
        return frames.test(head, PageFrames.PG_SLAB) ? head : PageFrames.NIL;
    }

    @Test
    void slabHead_agreesWithValidCompoundHeadAndPgSlab_onEveryFrame() {
        frames.prepCompound(8, 2);
        frames.set(8, PageFrames.PG_SLAB);
        frames.set(20, PageFrames.PG_SLAB);
        frames.prepCompound(32, 3);
        frames.set(40, PageFrames.PG_HOLE | PageFrames.PG_SLAB);
        for (int pfn = -2; pfn < 70; pfn++) {
            assertThat(frames.slabHead(pfn)).as("pfn %d", pfn).isEqualTo(slabHeadByParts(pfn));
        }
        assertThat(frames.slabHead(11)).isEqualTo(8);
        assertThat(frames.slabHead(20)).isEqualTo(20);
        assertThat(frames.slabHead(33)).as("compound but not a slab").isEqualTo(PageFrames.NIL);
        assertThat(frames.slabHead(40)).as("a hole").isEqualTo(PageFrames.NIL);
        assertThat(frames.slabHead(Integer.MIN_VALUE)).isEqualTo(PageFrames.NIL);
    }

    /** A frame word with random PG bits, order, zone, pcp migratetype and refcount. */
    private static void randomize(PageFrames f, int pfn, SplittableRandom r) {
        f.set(pfn, r.nextInt(1 << 10) & ~PageFrames.PG_HOLE);
        f.setOrder(pfn, r.nextInt(11));
        f.setZone(pfn, r.nextInt(4));
        f.setPcpMigratetype(pfn, r.nextInt(6));
        f.setRefcount(pfn, r.nextInt(1024));
    }

    @Test
    void combinedWrites_equalTheSeparateSetters_onRandomWords() {
        SplittableRandom r = new SplittableRandom(17);
        PageFrames a = new PageFrames(2);
        PageFrames b = new PageFrames(2);
        for (int i = 0; i < 10_000; i++) {
            long seed = r.nextLong();
            randomize(a, 0, new SplittableRandom(seed));
            randomize(b, 0, new SplittableRandom(seed));
            randomize(a, 1, new SplittableRandom(seed));
            randomize(b, 1, new SplittableRandom(seed));
            int order = r.nextInt(11);
            int mt = r.nextInt(6);
            int ref = r.nextInt(1024);
            a.setOrderRefMt(0, order, ref, mt);
            b.setOrder(0, order);
            b.setRefcount(0, ref);
            b.setPcpMigratetype(0, mt);
            a.setPcpEntry(1, order, mt);
            b.set(1, PageFrames.PG_PCP);
            b.setOrder(1, order);
            b.setPcpMigratetype(1, mt);
            assertThat(a.rawFlags(0)).isEqualTo(b.rawFlags(0));
            assertThat(a.rawFlags(1)).isEqualTo(b.rawFlags(1));
            assertThat(a.refcount(0)).isEqualTo(ref);
            assertThat(a.order(1)).isEqualTo(order);
            assertThat(a.pcpMigratetype(1)).isEqualTo(mt);
        }
    }
}
