package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.cli.BenchJit;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The fast paths of {@link PageBench} and {@link SlabBench} (64 bytes) timed in thread CPU time
 * rather than wall time: on a host shared with other jobs a descheduled benchmark thread inflates
 * JMH's wall-clock figures several times over, while its CPU time moves by some 20 % at most. 90
 * rounds of 4·10^5 operations, the first 30 warm-up; prints the minimum, first quartile and median
 * ns per operation of the other 60. Not a JMH benchmark: run it with {@code java @bench-jit.args
 * -cp boot/target/kmemlab-benchmarks.jar io.kmemlab.bench.CpuTimeRounds CASE [ALLOCATOR]}, CASE one
 * of order0, order3, cpair, kpair, cbatch, kbatch — the JIT flags {@code kmemlab bench} and the JMH
 * forks use ({@link BenchJit}; without them C2's inlining decisions, and with them the figures,
 * differ). Started without them, it says so on standard error.
 */
public final class CpuTimeRounds {
    private static final int ROUNDS = 90;
    private static final int WARMUP = 30;
    private static final int PAIRS = 200_000;
    private static final int BATCH = 1000;

    private static long sink;

    private CpuTimeRounds() {}

    public static void main(String[] args) {
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        List<String> missing =
                BenchJit.ALL.stream().filter(f -> !jvm.contains(f)).collect(Collectors.toList());
        if (!missing.isEmpty()) {
            System.err.println("note: started without java @bench-jit.args; missing " + missing);
        }
        String what = args[0];
        String allocator = args.length > 1 ? args[1] : "slub";
        Kernel k = BenchKernels.boot("mem=4G", "nr_cpus=2", "slab=" + allocator);
        PageAllocator pages = k.pageAllocator();
        SlabLayer l = k.slab();
        KmemCache c = l.kmemCacheCreate("bench_obj", 64, 0, 0, null, 0, 0, -1);
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] nsPerOp = new double[ROUNDS - WARMUP];
        for (int round = 0; round < ROUNDS; round++) {
            long t0 = mx.getCurrentThreadCpuTime();
            switch (what) {
                case "order0" -> pagePairs(pages, 0);
                case "order3" -> pagePairs(pages, 3);
                case "cpair" -> cachePairs(l, c);
                case "kpair" -> kmallocPairs(l);
                case "cbatch" -> batches(l, c);
                case "kbatch" -> batches(l, null);
                default -> throw new IllegalArgumentException("unknown case " + what);
            }
            long t1 = mx.getCurrentThreadCpuTime();
            if (round >= WARMUP) {
                nsPerOp[round - WARMUP] = (double) (t1 - t0) / (2L * PAIRS);
            }
        }
        Arrays.sort(nsPerOp);
        System.out.printf(
                Locale.ROOT,
                "%-7s %-5s cpu ns/op min %6.2f p25 %6.2f median %6.2f (sink %d)%n",
                what,
                allocator,
                nsPerOp[0],
                nsPerOp[nsPerOp.length / 4],
                nsPerOp[nsPerOp.length / 2],
                sink & 1);
    }

    private static void pagePairs(PageAllocator pages, int order) {
        for (int i = 0; i < PAIRS; i++) {
            int pfn = pages.allocPages(0, Gfp.GFP_KERNEL, order);
            pages.freePages(0, pfn, order);
            sink += pfn;
        }
    }

    private static void cachePairs(SlabLayer l, KmemCache c) {
        for (int i = 0; i < PAIRS; i++) {
            long p = l.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            l.kmemCacheFree(0, c, p, 0);
            sink += p;
        }
    }

    private static void kmallocPairs(SlabLayer l) {
        for (int i = 0; i < PAIRS; i++) {
            long p = l.kmalloc(0, 64, Gfp.GFP_KERNEL, 0);
            l.kfree(0, p, 0);
            sink += p;
        }
    }

    /** 1000 allocations then 1000 frees, 200 times; kmalloc(64)/kfree when {@code c} is null. */
    private static void batches(SlabLayer l, KmemCache c) {
        long[] o = new long[BATCH];
        for (int b = 0; b < PAIRS / BATCH; b++) {
            for (int i = 0; i < BATCH; i++) {
                o[i] = c == null ? l.kmalloc(0, 64, Gfp.GFP_KERNEL, 0) : l.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            }
            for (int i = 0; i < BATCH; i++) {
                if (c == null) {
                    l.kfree(0, o[i], 0);
                } else {
                    l.kmemCacheFree(0, c, o[i], 0);
                }
            }
            sink += o[0];
        }
    }
}
