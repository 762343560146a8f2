package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.cli.BenchJit;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
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
 * Object allocator fast and slow paths, the same patterns as ../shared/bench/native-anchor.sh so the
 * figures compare per operation (one alloc or one free): pairs, batches of 1000, and a slow-path
 * pattern (10^5 allocations then free all). Tracing and debugging are off. The kmem_cache pair and
 * batch also take the object size ({@link Sized}: 64, 192, 1024, 4096 bytes, as the anchor's batch).
 *
 * <p>Run: {@code mvn -q -Pbench -DskipTests package && java -jar boot/target/kmemlab-benchmarks.jar SlabBench -prof gc}
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
public class SlabBench {
    static final int BATCH = 1000;
    static final int SLOW = 100_000;

    /** An allocator, or {@code slub-7.1}: SLUB with {@code slub_version=7.1} (sheaves on every cache). */
    @Param({"slub", "slub-7.1", "slab", "slob"})
    public String allocator;

    private SlabLayer slab;
    private KmemCache cache;
    private final long[] objs = new long[SLOW];

    @Setup(Level.Trial)
    public void boot() {
        Kernel k = allocator.equals("slub-7.1")
                ? BenchKernels.boot("mem=4G", "nr_cpus=2", "slab=slub", "slub_version=7.1")
                : BenchKernels.boot("mem=4G", "nr_cpus=2", "slab=" + allocator);
        slab = k.slab();
        cache = slab.kmemCacheCreate("bench_obj", 64, 0, 0, null, 0, 0, -1);
    }

    /**
     * The kmem_cache of the pair and batch benchmarks, one per object size: the native anchor's
     * batch sizes, so each figure has a glibc figure of the same size. {@code -p objectSize=64}
     * runs only the 64-byte case.
     */
    @State(Scope.Thread)
    public static class Sized {
        @Param({"64", "192", "1024", "4096"})
        public int objectSize;

        SlabLayer slab;
        KmemCache cache;

        /**
         * JMH may hand this setup a SlabBench instance of its own (booted with the same allocator)
         * rather than the one running the benchmark, so the cache and its slab layer travel together.
         */
        @Setup(Level.Trial)
        public void create(SlabBench bench) {
            slab = bench.slab;
            cache = objectSize == 64
                    ? bench.cache
                    : slab.kmemCacheCreate("bench_obj_" + objectSize, objectSize, 0, 0, null, 0, 0, -1);
        }
    }

    /** kmem_cache_alloc + kmem_cache_free, ns per operation (2 operations per pair). */
    @Benchmark
    @OperationsPerInvocation(2)
    public long kmemCachePair(Sized sized) {
        SlabLayer l = sized.slab;
        KmemCache c = sized.cache;
        long p = l.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        l.kmemCacheFree(0, c, p, 0);
        return p;
    }

    /** 1000 kmem_cache_alloc then 1000 kmem_cache_free in order, ns per operation. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public long kmemCacheBatch(Sized sized) {
        SlabLayer l = sized.slab;
        KmemCache c = sized.cache;
        long[] o = objs;
        for (int i = 0; i < BATCH; i++) {
            o[i] = l.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < BATCH; i++) {
            l.kmemCacheFree(0, c, o[i], 0);
        }
        return o[0];
    }

    /** kmalloc(64) + kfree, ns per operation. */
    @Benchmark
    @OperationsPerInvocation(2)
    public long kmalloc64Pair() {
        long p = slab.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        slab.kfree(0, p, 0);
        return p;
    }

    /** 1000 kmalloc(64) then 1000 kfree, ns per operation. */
    @Benchmark
    @OperationsPerInvocation(2 * BATCH)
    public long kmalloc64Batch() {
        long[] o = objs;
        for (int i = 0; i < BATCH; i++) {
            o[i] = slab.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < BATCH; i++) {
            slab.kfree(0, o[i], 0);
        }
        return o[0];
    }

    /** Slow path: 10^5 kmem_cache_alloc (new slabs) then free all, ns per operation. */
    @Benchmark
    @OperationsPerInvocation(2 * SLOW)
    public long slowPath() {
        long[] o = objs;
        for (int i = 0; i < SLOW; i++) {
            o[i] = slab.kmemCacheAlloc(0, cache, Gfp.GFP_KERNEL, 0);
        }
        for (int i = 0; i < SLOW; i++) {
            slab.kmemCacheFree(0, cache, o[i], 0);
        }
        slab.kmemCacheShrink(cache);
        return o[0];
    }
}
