package io.kmemlab.bench;

import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ReplayEngine;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.source.LoadedTrace;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Steady-state replay of a whole trace, parsed into memory once: each invocation replays every
 * event on a machine booted for it (the boot is in the per-invocation setup, not timed). The
 * score is milliseconds per replay; events/s = events / score (the trial setup prints the event
 * count). {@code kmemlab bench replay} measures the same loop from the command line.
 *
 * <p>Run: {@code java -jar boot/target/kmemlab-benchmarks.jar ReplayBench
 * -jvmArgsAppend -Dkmemlab.trace=PATH} (default: the shared capture,
 * {@code ../shared/traces/kmem-fork-net-6.18.txt.xz} from the project directory).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC"})
public class ReplayBench {
    static final String DEFAULT_TRACE = "../shared/traces/kmem-fork-net-6.18.txt.xz";

    @Param({"slab", "slub", "slob"})
    public String allocator;

    private final KernelReplayFactory factory = new KernelReplayFactory();
    private LoadedTrace trace;
    private List<String> words;
    private ReplayEngine engine;

    @Setup(Level.Trial)
    public void load() throws IOException, TraceRejectedException {
        Path path = Path.of(System.getProperty("kmemlab.trace", DEFAULT_TRACE));
        if (!Files.isReadable(path)) {
            throw new IllegalStateException(path + " is not readable: set -Dkmemlab.trace=PATH "
                    + "(with -jvmArgsAppend, as the benchmark runs in a fork)");
        }
        TraceFileSource source = new TraceFileSource(path, null);
        trace = LoadedTrace.parse(LoadedTrace.readText(source), source.traceFormat(), source.name(), source.cpus());
        words = source.cpus() > 0 ? List.of("nr_cpus=" + source.cpus()) : List.of();
        System.out.println("ReplayBench: " + path + ": " + trace.events() + " events per replay");
    }

    @Setup(Level.Invocation)
    public void bootMachine() {
        engine = trace.engine(factory.boot(allocator, words), ReplayOptions.DEFAULT);
    }

    @Benchmark
    public long replay() {
        trace.replay(engine);
        return engine.slabBytes();
    }
}
