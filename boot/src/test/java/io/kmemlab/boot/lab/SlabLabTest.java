package io.kmemlab.boot.lab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** The slab level: kmemlab's SLUB passes its own check and scores. */
class SlabLabTest {
    static final Supplier<Kernel> BOOT = () -> {
        List<String> w = new ArrayList<>(List.of("mem=256M", "norandmaps", "seed=1"));
        w.addAll(SlabLab.BOOT_WORDS);
        return Kernel.boot(w).kernel();
    };

    @Test
    void referenceSlub_passesEveryCheckTrace() {
        List<SlabLab.Finding> findings = new SlabLab(BOOT).check(SlabLab.reference(), SlabTrace.checkSet());
        for (SlabLab.Finding f : findings) {
            assertThat(f.result().failure()).as(f.result().trace().name()).isNull();
        }
    }

    @Test
    void referenceSlub_scores() {
        List<SlabRun.Result> r = new SlabLab(BOOT).score(SlabLab.reference(), SlabTrace.scoreSet());
        String table = SlabLab.scoreTable("slub", r, r, "slub");
        System.out.println(table);
        r.stream().filter(x -> !x.ok()).forEach(x -> System.out.println(x.failure()));
        assertThat(table).contains("Perf index = 100 (util");
    }
}
