package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.Workload;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.lifecycle.AfterProperty;

/**
 * The round trip for any workload, seed, CPU count and allocator: replaying the trace a run
 * emitted ends in that run's state (buddyinfo, meminfo, slabinfo, peak) and emits the same trace
 * again. A 15,000-event sweep of every workload × 2 seeds × 3 allocators × 1 and 4 CPUs held too
 * when this was written; the property samples that space.
 */
class RoundTripPropertyTest {
    private final Path dir;

    RoundTripPropertyTest() throws IOException {
        dir = Files.createTempDirectory("kmemlab-roundtrip");
    }

    @AfterProperty
    void cleanUp() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    @Property(tries = 12)
    void emittedTrace_replaysToTheSameStateAndTrace(
            @ForAll Workload workload,
            @ForAll @LongRange(min = 1, max = 1000) long seed,
            @ForAll @IntRange(min = 1, max = 4) int cpus,
            @ForAll @IntRange(min = 0, max = 2) int allocatorIndex,
            @ForAll @IntRange(min = 200, max = 4000) int events)
            throws Exception {
        String allocator = ReplayCommandTest.ALL.get(allocatorIndex);
        Path first = Files.createTempFile(dir, "first", ".txt");
        Path second = Files.createTempFile(dir, "second", ".txt");
        List<String> words = List.of("mem=96M");
        Replayer.Run r1 = ReplaySession.runAll(
                        ReplayCommandTest.KERNEL,
                        ReplayOptions.DEFAULT,
                        () -> 0,
                        ProgressListener.NONE,
                        workload.source(seed, events, cpus),
                        List.of(allocator),
                        words,
                        first)
                .get(0);
        Replayer.Run r2 = ReplaySession.runAll(
                        ReplayCommandTest.KERNEL,
                        ReplayOptions.DEFAULT,
                        () -> 0,
                        ProgressListener.NONE,
                        new TraceFileSource(first, null),
                        List.of(allocator),
                        words,
                        second)
                .get(0);
        for (String f : List.of("/proc/buddyinfo", "/proc/meminfo", "/sys/kernel/debug/extfrag/unusable_index")) {
            assertThat(r2.target().machine().vfs().read(f))
                    .as(f)
                    .isEqualTo(r1.target().machine().vfs().read(f));
        }
        if (r1.target().machine().vfs().exists("/proc/slabinfo")) {
            assertThat(r2.target().machine().vfs().read("/proc/slabinfo"))
                    .isEqualTo(r1.target().machine().vfs().read("/proc/slabinfo"));
        }
        assertThat(r2.stats().peakSlabBytes()).isEqualTo(r1.stats().peakSlabBytes());
        assertThat(r2.stats().bytesAlloc()).isEqualTo(r1.stats().bytesAlloc());
        assertThat(r2.stats().malformed()).isZero();
        assertThat(Files.readAllLines(second)).isEqualTo(Files.readAllLines(first));
    }
}
