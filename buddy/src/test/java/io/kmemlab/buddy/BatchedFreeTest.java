package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ReportKind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** free_unref_folios(): the batched free path and its mm_page_free_batched events. */
class BatchedFreeTest {
    private BuddyAllocator b;
    private final List<String> lines = new ArrayList<>();

    @BeforeEach
    void boot() {
        b = TestBoot.kernelLike(64L << 20, 2);
        b.machine().tracer().addSink(lines::add);
        b.machine().tracer().enable("kmem:mm_page_free,kmem:mm_page_free_batched");
    }

    @Test
    void batchOfOrder0Pages_preparesEachThenCommitsEachToThePcpWithABatchedEvent() {
        int[] pfns = new int[3];
        for (int i = 0; i < 3; i++) {
            pfns[i] = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        }
        long pcpBefore = b.pcpPages();
        long freeBefore = b.nrFreePages();

        assertThat(b.freePagesBatch(0, pfns, new int[3], 3)).isEqualTo(3);

        assertThat(lines).hasSize(6);
        for (int i = 0; i < 3; i++) {
            assertThat(lines.get(i))
                    .contains("mm_page_free: ")
                    .contains("pfn=0x" + Integer.toHexString(pfns[i]) + " order=0");
            assertThat(lines.get(3 + i))
                    .contains("mm_page_free_batched: ")
                    .endsWith("pfn=0x" + Integer.toHexString(pfns[i]) + " order=0");
        }
        assertThat(b.pcpPages()).isEqualTo(pcpBefore + 3);
        assertThat(b.nrFreePages()).as("pages on pcp lists are not free").isEqualTo(freeBefore);
        assertThat(b.validate()).isEmpty();
    }

    @Test
    void badPageInABatch_isReportedAndSkipped_theRestAreFreed() {
        int good = b.allocPages(0, Gfp.GFP_KERNEL, 0);
        int big = b.allocPages(0, Gfp.GFP_KERNEL, 5);
        long bad = b.machine().dmesg().reportCount(ReportKind.BAD_PAGE);

        int freed = b.freePagesBatch(0, new int[] {good, good, big}, new int[] {0, 0, 5}, 3);

        assertThat(freed).as("the second free of the same page is a bad page").isEqualTo(2);
        assertThat(b.machine().dmesg().reportCount(ReportKind.BAD_PAGE)).isEqualTo(bad + 1);
        assertThat(lines.stream()
                        .filter(l -> l.contains("mm_page_free_batched"))
                        .count())
                .as("order 5 is not a pcp order: no batched event")
                .isEqualTo(1);
        assertThat(b.validate()).isEmpty();
    }
}
