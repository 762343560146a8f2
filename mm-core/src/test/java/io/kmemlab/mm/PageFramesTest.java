package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

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
}
