package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kmemlab populate-demo}: the report, the chart, and refused sizes. */
class PopulateDemoCommandTest {
    @Test
    void smallArena_reportAndChart(@TempDir Path dir) {
        Cli.Run r = Cli.run("populate-demo", "--size", "2M", "--out", dir.toString(), "mem=256M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("MAP_POPULATE and a 2 MiB anonymous arena (512 pages), on mem=256M nr_cpus=2");
        assertThat(r.out()).containsPattern("MAP_POPULATE, PROT_READ +[0-9.]+ µs +512 +0 kB");
        assertThat(Files.exists(dir.resolve("populate-rss.png"))).isTrue();
        assertThat(Files.exists(dir.resolve("populate-rss.svg"))).isTrue();
    }

    @Test
    void badSizes_areUsageErrors() {
        assertThat(Cli.run("populate-demo", "--size", "1000", "--no-chart").exit())
                .isEqualTo(Main.EXIT_USAGE);
        Cli.Run big = Cli.run("populate-demo", "--size", "1G", "--no-chart", "mem=256M");
        assertThat(big.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(big.err()).contains("does not fit in this machine's free memory");
    }
}
