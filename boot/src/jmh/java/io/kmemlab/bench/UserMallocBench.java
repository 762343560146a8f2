package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.proc.Process;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The user-space allocators of module malloc over a real process, found by name as boot finds
 * them: malloc + free pairs of 64 bytes, and a churn of 1000 random malloc/free operations over
 * 256 live slots (sizes 1 … 512). Per operation, in wall-clock nanoseconds of the emulator. The
 * bump allocator is left out: it never reuses memory, so it has no steady state to measure.
 *
 * <p>Run: {@code mvn -q -Pbench -DskipTests package && java -jar boot/target/kmemlab-benchmarks.jar UserMallocBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UserMallocBench {
    static final int CHURN = 1000;

    @Param({"first-fit", "next-fit", "best-fit", "worst-fit", "segregated"})
    public String allocator;

    private UserAllocator a;
    private final long[] slots = new long[256];
    private final int[] slotOf = new int[CHURN];
    private final long[] sizeOf = new long[CHURN];

    @Setup(Level.Trial)
    public void boot() {
        Kernel k = BenchKernels.boot("mem=4G", "nr_cpus=2", "norandmaps");
        Process p = k.processes().spawn("bench");
        for (UserAllocatorProvider prov : ServiceLoader.load(UserAllocatorProvider.class)) {
            if (prov.name().equals(allocator)) {
                a = prov.create(p, Map.of());
            }
        }
        SplittableRandom r = new SplittableRandom(42);
        for (int i = 0; i < CHURN; i++) {
            slotOf[i] = r.nextInt(slots.length);
            sizeOf[i] = 1 + r.nextInt(512);
        }
    }

    /** malloc(64) + free, ns per operation (2 per pair). */
    @Benchmark
    @OperationsPerInvocation(2)
    public void pair() {
        a.free(a.malloc(64));
    }

    /** 1000 operations: an empty slot is filled by malloc, a full one emptied by free. */
    @Benchmark
    @OperationsPerInvocation(CHURN)
    public void churn() {
        for (int i = 0; i < CHURN; i++) {
            int s = slotOf[i];
            if (slots[s] == 0) {
                slots[s] = a.malloc(sizeOf[i]);
            } else {
                a.free(slots[s]);
                slots[s] = 0;
            }
        }
    }
}
