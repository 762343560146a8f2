package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Boot time by memory size (memblock, zones, hand-over to the buddy allocator, slab bootstrap), one
 * boot per invocation. Heap per frame is measured by {@code kmemlab bench boot} style runs with
 * {@code -prof gc} (gc.alloc.rate.norm / frames).
 *
 * <p>Run: {@code java -jar boot/target/kmemlab-benchmarks.jar BootBench -prof gc}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xmx8g"})
public class BootBench {
    @Param({"1G", "16G", "64G"})
    public String mem;

    @Benchmark
    public Kernel boot() {
        return BenchKernels.boot("mem=" + mem, "nr_cpus=2");
    }
}
