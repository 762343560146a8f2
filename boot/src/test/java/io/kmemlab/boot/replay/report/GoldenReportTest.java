package io.kmemlab.boot.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommand;
import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ProgressListener;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.source.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report texts, pinned: the first 300 events of the 6.18 capture (gzip-compressed, which also
 * covers the .gz reader) through SLAB, SLUB and SLOB on a 128 MiB, 2-CPU machine. Regenerate
 * after a deliberate allocator change with {@code -Dkmemlab.updateGolden=true} and review the diff.
 */
class GoldenReportTest {
    private static final boolean UPDATE = Boolean.getBoolean("kmemlab.updateGolden");

    @TempDir
    Path tmp;

    private String run(String... extra) throws IOException {
        Path trace = tmp.resolve("kmem-618-head300.txt.gz");
        try (InputStream in = getClass().getResourceAsStream("/traces/kmem-618-head300.txt.gz")) {
            Files.copy(in, trace);
        }
        String[] args = new String[extra.length + 5];
        args[0] = trace.toString();
        args[1] = "--slab";
        args[2] = "all";
        args[3] = "--no-timing";
        args[4] = "mem=128M";
        System.arraycopy(extra, 0, args, 5, extra.length);
        ReplayCommandTest.Result r = ReplayCommandTest.run(new ReplayCommand(), args);
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().replace(trace.toString(), "TRACE");
    }

    private static void assertGolden(String actual, String name) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        String expected;
        try (InputStream in = GoldenReportTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void table_head300_allAllocators() throws IOException {
        assertGolden(run(), "replay-head300-all.txt");
    }

    @Test
    void json_head300_allAllocators() throws IOException {
        assertGolden(run("--json"), "replay-head300-all.json");
    }

    /**
     * kmemlab's own trace, pinned: the fork workload's first events under SLUB with the
     * {@code # kmemlab cache:} comment of each cache right before the line that first used it.
     */
    @Test
    void emittedTrace_forkWorkload_slub_withCacheComments() throws Exception {
        Path out = tmp.resolve("fork.txt");
        ReplaySession.runAll(
                new KernelReplayFactory(),
                ReplayOptions.DEFAULT,
                () -> 0,
                ProgressListener.NONE,
                Workload.FORK.source(1, 40, 2),
                java.util.List.of("slub"),
                java.util.List.of("mem=128M"),
                out);
        String text = Files.readString(out);
        assertThat(text).contains("# kmemlab cache: name=task_struct ");
        assertGolden(text, "emit-fork40-slub.txt");
    }
}
