package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The page-allocator level: kmemlab's buddy passes its own check; the model catches broken ones. */
class PageLabTest {

    @Test
    void referenceBuddy_passesEveryCheckTrace() {
        List<PageLab.Finding> findings = new PageLab().check(PageLab.reference(), PageTrace.checkSet());
        for (PageLab.Finding f : findings) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
            assertThat(f.result().notes()).as(f.result().trace().name()).isEmpty();
        }
    }

    @Test
    void referenceBuddy_scores() {
        List<PageRun.Result> r = new PageLab().score(PageLab.reference(), PageTrace.scoreSet());
        String table = PageLab.scoreTable("buddy", r, r);
        System.out.println(table);
        r.stream().filter(x -> !x.ok()).forEach(x -> System.out.println(x.failure()));
        assertThat(table).contains("Perf index = 60 (satisfied) + 40 (usable) = 100/100");
    }
}
