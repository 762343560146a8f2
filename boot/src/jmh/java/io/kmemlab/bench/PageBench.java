package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.cli.BenchJit;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.page.PageAllocator;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Buddy allocator: an order-0 alloc+free pair through the per-CPU lists and an order-3 pair
 * through the free lists (order 3 is pcp-allowed too, so the order-3 figure includes refills), ns per
 * operation.
 *
 * <p>Run: {@code java -jar boot/target/kmemlab-benchmarks.jar PageBench -prof gc}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(
        value = 1,
        jvmArgsAppend = {
            BenchJit.INLINE_SMALL_CODE,
            BenchJit.QUIET,
            BenchJit.SLUB_PUT_CPU_PARTIAL,
            BenchJit.SLUB_DISCARD_SLAB,
            BenchJit.SLUB_REMOVE_PARTIAL,
            BenchJit.SLUB_LOOK_UP_OWNER,
            BenchJit.SLAB_CACHE_FLUSHARRAY,
            BenchJit.SLAB_CACHE_ALLOC_REFILL
        })
public class PageBench {
    private PageAllocator pages;

    @Setup(Level.Trial)
    public void boot() {
        Kernel k = BenchKernels.boot("mem=4G", "nr_cpus=2");
        pages = k.pageAllocator();
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int order0PairPcp() {
        int pfn = pages.allocPages(0, Gfp.GFP_KERNEL, 0);
        pages.freePages(0, pfn, 0);
        return pfn;
    }

    @Benchmark
    @OperationsPerInvocation(2)
    public int order3Pair() {
        int pfn = pages.allocPages(0, Gfp.GFP_KERNEL, 3);
        pages.freePages(0, pfn, 3);
        return pfn;
    }

    /** An order-4 pair never touches the pcp lists: the pure free-list split/merge path. */
    @Benchmark
    @OperationsPerInvocation(2)
    public int order4PairFreeLists() {
        int pfn = pages.allocPages(0, Gfp.GFP_KERNEL, 4);
        pages.freePages(0, pfn, 4);
        return pfn;
    }
}
