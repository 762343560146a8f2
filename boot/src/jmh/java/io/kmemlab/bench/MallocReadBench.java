package io.kmemlab.bench;

import io.kmemlab.boot.malloc.MallocTraceFiles;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading and checking a malloc trace alone (decompression included): the reader's share of
 * {@link MallocReplayBench}. Run: {@code java -jar boot/target/kmemlab-benchmarks.jar MallocReadBench
 * -jvmArgsAppend -Dkmemlab.malloc.trace=PATH}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 10)
@Measurement(iterations = 10)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:+UseSerialGC"})
public class MallocReadBench {
    @Benchmark
    public int read() throws MallocTraceFiles.Rejected {
        return MallocTraceFiles.read(
                        System.getProperty("kmemlab.malloc.trace", MallocReplayBench.DEFAULT_TRACE), System.in, null)
                .size();
    }
}
