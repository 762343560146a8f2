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
        assertThat(lines.subList(3, 7))
                .extracting(l -> l.split("\\s+")[0])
                .containsExactly("first", "next", "best", "worst");
        // The same sequence under every policy (the same live bytes, nothing failed); only the
        // placement differs: best fit packs tighter than worst fit.
        List<String[]> rows =
                lines.subList(3, 7).stream().map(l -> l.split("\\s+")).toList();
        List<String> header = List.of(lines.get(2).split("\\s+"));
        int pages = header.indexOf("pages");
        int live = header.indexOf("live_bytes");
        int failures = header.indexOf("failures");
        for (String[] row : rows) {
            assertThat(row[live]).isEqualTo(rows.get(0)[live]);
            assertThat(Long.parseLong(row[failures])).isZero();
        }
        assertThat(Long.parseLong(rows.get(2)[pages])).isLessThan(Long.parseLong(rows.get(3)[pages]));
        assertThat(a.err()).isEmpty();
    }

    @Test
    void slobFit_isACompareOfFourSlobMachines_soBootWordsReachEveryOne() {
        // A word the SLOB machines do not know is refused as by compare and replay.
        Cli.Run r = Cli.run("slob-fit", "--ops", "100", "slub_debug=F");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err())
                .isEqualTo(
                        "kmemlab slob-fit: boot parameter 'slub_debug=F' belongs to slab=slub, " + "not slab=slob\n");
        assertThat(Cli.run("slob-fit", "--ops", "100", "nr_cpus=4", "mem=64M").exit())
                .isZero();
    }

    @Test
    void slobFit_rejectsAnotherAllocatorWord() {
        Cli.Run r = Cli.run("slob-fit", "slab=slub");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("'slab=slub' does not apply");
    }
}
