package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 5: the fit policies reported side by side on the same workload, from the CLI. */
class SlobFitAcceptanceTest {

    @Test
    void slobFit_printsOneRowPerPolicy_deterministically() {
        Cli.Run a = Cli.run("slob-fit", "--ops", "3000", "--max-size", "600", "mem=256M");
        Cli.Run b = Cli.run("slob-fit", "--ops", "3000", "--max-size", "600", "mem=256M");
        assertThat(a.exit()).as(a.err()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
        List<String> lines = a.out().lines().toList();
        assertThat(lines.get(0)).isEqualTo("workload: 3000 kmalloc/kfree operations, sizes 1…600, seed 1");
        assertThat(lines.get(2)).startsWith("fit ").contains("pages", "ext_frag", "failures");
        assertThat(lines.subList(3, 7)).extracting(l -> l.split("\\s+")[0]).containsExactly("first", "next", "best", "worst");
    }

    @Test
    void slobFit_rejectsAnotherAllocatorWord() {
        Cli.Run r = Cli.run("slob-fit", "slab=slub");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'slab=slub' does not apply");
    }
}
