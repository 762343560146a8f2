package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.ReportKind;
import org.junit.jupiter.api.Test;

/** Issue 2 §2: mm_page_free_batched comes from the batched free path, reachable from the shell. */
class ReleasePagesAcceptanceTest {

    @Test
    void releasePages_emitsOneBatchedEventPerPage_andReportsABadPage() {
        Session s = new Session("mem=256M", "trace_event=kmem:mm_page_free_batched");
        s.run("$a = alloc_pages 0; $b = alloc_pages 0; release_pages $a $b; cat /sys/kernel/tracing/trace");
        assertThat(s.out()
                        .lines()
                        .filter(l -> l.contains(": mm_page_free_batched: page="))
                        .count())
                .isEqualTo(2);
        assertThat(s.err()).isEmpty();

        s.run("release_pages $a");
        assertThat(s.err()).contains("release_pages: 1 of 1 pages not freed (see report)");
        assertThat(s.kernel.machine().dmesg().reportCount(ReportKind.BAD_PAGE)).isEqualTo(1);
        assertThat(s.kernel.pageAllocator().validate()).isEmpty();
        s.assertNoJavaTrace();
    }
}
