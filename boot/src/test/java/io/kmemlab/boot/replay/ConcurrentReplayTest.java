package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.kmemlab.boot.cli.CompareCommand;
import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.boot.cli.ReplayCommandTest.Result;
import io.kmemlab.boot.replay.source.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The allocators replay side by side, each engine on a thread of its own, and the results are
 * those of replaying them one after the other, byte for byte: tables, JSON, dmesg, emitted traces
 * and progress updates. {@code -Dkmemlab.replay.threads=1} forces the sequential replay.
 */
class ConcurrentReplayTest {
    private static final ReplayMachineFactory SIMPLE = SimpleSlabAllocator.factory(64L << 20, 2);
    private static final String P = "              sh-16387   [000] .....   480.9";

    @TempDir
    static Path tmp;

    /** The real excerpt, then a wrong-cache free and a double free (so that dmesg has lines). */
    static Path trace;

    @BeforeAll
    static void writeTrace() throws IOException {
        byte[] text;
        try (InputStream in = new org.tukaani.xz.XZInputStream(
                ConcurrentReplayTest.class.getResourceAsStream("/traces/kmem-618-excerpt8k.txt.xz"))) {
            text = in.readAllBytes();
        }
        String bad = P + "00001: kmem_cache_alloc: call_site=alloc_empty_file+0x3c/0x110 ptr=00000000e03adb79 "
                + "name=filp bytes_req=184 bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=true\n"
                + P + "00002: kmem_cache_free: call_site=__fput+0x1/0x20 ptr=00000000e03adb79 name=dentry\n"
                + P + "00003: kfree: call_site=a+0x0/0x1 ptr=00000000e03adb79\n";
        trace = tmp.resolve("excerpt-and-bad.txt");
        Files.write(trace, text);
        Files.writeString(trace, bad, java.nio.file.StandardOpenOption.APPEND);
    }

    /** Runs {@code body} with the replays' thread count set as a user would set it. */
    private static <T> T withThreads(int n, Supplier<T> body) {
        String saved = System.getProperty(Replayer.THREADS_PROPERTY);
        System.setProperty(Replayer.THREADS_PROPERTY, Integer.toString(n));
        try {
            return body.get();
        } finally {
            if (saved == null) {
                System.clearProperty(Replayer.THREADS_PROPERTY);
            } else {
                System.setProperty(Replayer.THREADS_PROPERTY, saved);
            }
        }
    }

    /** Output of replay --slab all (table and --dmesg, or JSON) and the three emitted traces. */
    private static List<String> replayOutputs(int threads, String dir, String... more) {
        return withThreads(threads, () -> {
            try {
                Path emit = Files.createDirectories(tmp.resolve(dir)).resolve("out.txt");
                List<String> args = new ArrayList<>(List.of(
                        trace.toString(), "--slab", "all", "--no-timing", "mem=128M", "--emit-trace", emit.toString()));
                args.addAll(List.of(more));
                Result r = ReplayCommandTest.run(ReplayCommandTest.replay(), args.toArray(new String[0]));
                assertThat(r.exit()).as(r.err()).isZero();
                List<String> out = new ArrayList<>(List.of(r.out()));
                for (String a : ReplayCommandTest.ALL) {
                    out.add(Files.readString(ReplaySession.emitPath(emit, a, true)));
                }
                return out;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void replayAll_concurrentAndSequential_sameTableDmesgAndEmittedTraces() {
        List<String> sequential = replayOutputs(1, "seq-table", "--dmesg");
        List<String> concurrent = replayOutputs(3, "conc-table", "--dmesg");
        assertThat(sequential.get(0))
                .contains("Wrong slab cache. dentry but object is from filp", "double free of kfree");
        assertThat(sequential.get(1)).contains("kmem_cache_alloc: ").contains("# kmemlab cache: ");
        assertThat(concurrent).hasSize(4);
        for (int i = 0; i < sequential.size(); i++) {
            assertThat(concurrent.get(i)).as("output " + i).isEqualTo(sequential.get(i));
        }
    }

    @Test
    void replayAll_concurrentAndSequential_sameJson() {
        List<String> sequential = replayOutputs(1, "seq-json", "--json");
        List<String> concurrent = replayOutputs(2, "conc-json", "--json");
        assertThat(sequential.get(0)).contains("\"wrong_cache_frees\": 1");
        assertThat(concurrent).isEqualTo(sequential);
    }

    @Test
    void compare_concurrentAndSequential_sameReport() {
        Supplier<String> compare = () -> {
            Result r = ReplayCommandTest.run(
                    new CompareCommand().withTicker(() -> 0),
                    trace.toString(),
                    "--no-chart",
                    "--no-timing",
                    "mem=128M",
                    "--dmesg");
            assertThat(r.exit()).as(r.err()).isZero();
            return r.out();
        };
        assertThat(withThreads(4, compare)).isEqualTo(withThreads(1, compare));
    }

    /** The machine's tracer calls its sinks on the thread that runs the engine. */
    private static Set<String> engineThreads(int threads) throws Exception {
        Set<String> names = Collections.synchronizedSet(new TreeSet<>());
        new Replayer(ReplayCommandTest.KERNEL, ReplayOptions.DEFAULT, () -> 0, ProgressListener.NONE)
                .withThreads(threads)
                .runAll(Workload.MIXED.source(1, 2000, 2), ReplayCommandTest.ALL, List.of("mem=64M"), t -> {
                    t.machine().tracer().enable("kmem:kmalloc");
                    t.machine()
                            .tracer()
                            .addSink(
                                    line -> names.add(t.allocatorName() + " on "
                                            + Thread.currentThread().getName()),
                                    false);
                });
        return names;
    }

    @Test
    void threads_eachEngineOnAThreadOfItsOwn_orAllOnTheCaller() throws Exception {
        assertThat(engineThreads(3))
                .containsExactly(
                        "slab on kmemlab-replay slab", "slob on kmemlab-replay slob", "slub on kmemlab-replay slub");
        String me = Thread.currentThread().getName();
        assertThat(engineThreads(1)).containsExactly("slab on " + me, "slob on " + me, "slub on " + me);
    }

    /** A listener that records every update. */
    private static final class Recording implements ProgressListener {
        final List<String> updates = new ArrayList<>();

        @Override
        public void update(String allocator, double fraction, long events) {
            updates.add(allocator + " " + fraction + " " + events);
        }

        @Override
        public void done() {
            updates.add("done");
        }
    }

    @Test
    void progress_concurrent_sameUpdatesInTheSameOrder() throws Exception {
        List<List<String>> runs = new ArrayList<>();
        for (int threads : new int[] {1, 3}) {
            Recording progress = new Recording();
            new Replayer(SIMPLE, ReplayOptions.DEFAULT, () -> 0, progress)
                    .withThreads(threads)
                    .runAll(Workload.MIXED.source(3, 300_000, 2), List.of("a", "b", "c"), List.of(), null);
            runs.add(progress.updates);
        }
        assertThat(runs.get(0)).hasSizeGreaterThanOrEqualTo(5).endsWith("done");
        assertThat(runs.get(0).get(0)).startsWith("a+b+c 0.").endsWith(" 65536");
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
    }

    @Test
    void concurrent_anEngineFails_itsFailureRethrown_andNothingHangs() {
        IllegalStateException bug = new IllegalStateException("engine b bug");
        AtomicInteger seen = new AtomicInteger();
        assertTimeoutPreemptively(
                Duration.ofSeconds(60),
                () -> assertThatThrownBy(() -> new Replayer(
                                        SIMPLE, ReplayOptions.DEFAULT, () -> 0, ProgressListener.NONE)
                                .withThreads(3)
                                .runAll(Workload.MIXED.source(1, 200_000, 2), List.of("a", "b", "c"), List.of(), t -> {
                                    if (t.allocatorName().equals("b")) {
                                        t.machine().tracer().enable("kmem:kmalloc");
                                        t.machine()
                                                .tracer()
                                                .addSink(
                                                        line -> {
                                                            if (seen.incrementAndGet() == 5000) {
                                                                throw bug;
                                                            }
                                                        },
                                                        false);
                                    }
                                }))
                        .isSameAs(bug));
        assertThat(seen.get()).isEqualTo(5000);
    }

    @Test
    void concurrent_readErrorAfterSomeBlocks_rejectedAsInSequence() throws Exception {
        // gzip decodes as it reads: the cut shows only after the probe, in the middle of the replay.
        Path bad = tmp.resolve("truncated.txt.gz");
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream out = new java.util.zip.GZIPOutputStream(gz)) {
            out.write(Files.readAllBytes(trace));
        }
        Files.write(bad, java.util.Arrays.copyOf(gz.toByteArray(), gz.size() - 1000));
        List<String> messages = new ArrayList<>();
        for (int threads : new int[] {1, 3}) {
            try {
                new Replayer(SIMPLE, ReplayOptions.DEFAULT, () -> 0, ProgressListener.NONE)
                        .withThreads(threads)
                        .runAll(
                                new io.kmemlab.boot.replay.source.TraceFileSource(bad, null),
                                List.of("a", "b", "c"),
                                List.of(),
                                null);
                messages.add("no error");
            } catch (io.kmemlab.boot.replay.source.TraceRejectedException e) {
                messages.add(e.getMessage());
            }
        }
        assertThat(messages.get(0)).startsWith(bad + ": read error after line ");
        assertThat(messages.get(1)).isEqualTo(messages.get(0));
    }
}
