package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.MallocRun;
import io.kmemlab.boot.malloc.MallocTraceFiles;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.mm.user.trace.MallocTrace;
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
 * A malloc trace, read and checked once, replayed through one user-space allocator in a fresh
 * process of a kernel booted for each invocation (the boot is not timed; the spawn and exit are).
 * The score is milliseconds per replay; ops/s = ops / score (the trial setup prints the count).
 *
 * <p>Run: {@code java -jar boot/target/kmemlab-benchmarks.jar MallocReplayBench
 * -jvmArgsAppend -Dkmemlab.malloc.trace=PATH} (default {@code ../shared/malloc-traces/bash.rep.xz}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC"})
public class MallocReplayBench {
    static final String DEFAULT_TRACE = "../shared/malloc-traces/bash.rep.xz";

    @Param({"bump", "first-fit", "best-fit"})
    public String allocator;

    private final UserAllocators allocators = UserAllocators.load();
    private MallocTrace trace;
    private Kernel kernel;

    @Setup(Level.Trial)
    public void load() throws MallocTraceFiles.Rejected {
        trace = MallocTraceFiles.read(System.getProperty("kmemlab.malloc.trace", DEFAULT_TRACE), System.in, null);
        System.out.println("MallocReplayBench: " + trace.name() + ": " + trace.size() + " ops per replay");
    }

    @Setup(Level.Invocation)
    public void bootMachine() {
        kernel = BenchKernels.boot("mem=256M");
    }

    @Benchmark
    public long replay() {
        return MallocRun.run(kernel, trace, allocators, UserAllocators.Spec.parse(allocator), false)
                .figures()
                .peakHeapBytes();
    }
}
