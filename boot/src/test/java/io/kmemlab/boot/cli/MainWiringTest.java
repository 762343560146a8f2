package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.StandardComponents;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The commands as registered under {@code kmemlab}: no option clashes with Main's inherited ones
 * (--seed, --trace-file), output goes to Main's streams.
 */
class MainWiringTest {
    @TempDir
    Path tmp;

    @Test
    void registeredUnderMain_helpAndACompareRun() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Main main = new Main(
                StandardComponents::get,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                new ByteArrayInputStream(new byte[0]));
        CommandLine cl = main.commandLine();
        assertThat(cl.getSubcommands()).containsKeys("replay", "compare", "report");
        assertThat(cl.execute("replay", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("Usage: kmemlab replay");
        int exit = cl.execute(
                "compare", "--workload", "fork", "--events", "3000", "--no-chart", "--no-timing", "mem=128M");
        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("input: workload:fork", "slab", "slub", "slob");
        assertThat(cl.execute("replay", tmp.resolve("none.txt").toString())).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such file");
    }
}
