package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.replay.source.LoadedTrace;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The replay loop allocates no Java object per applied event: two replays of one steady pattern,
 * the second twice as long, allocate the same bytes up to a small slack (what a replay allocates
 * once, cache creation, first touches of frames, map sizes, is the same in both).
 */
class ReplayAllocationTest {
    private static final int EVENTS = 10_000;

    /**
     * {@code events} lines on two CPUs, 1 µs apart: a kmem_cache_alloc or kmalloc at one of 64
     * pointers, and the matching kmem_cache_free or kfree of the object allocated 32 lines before.
     */
    static byte[] steadyTrace(int events) {
        StringBuilder sb = new StringBuilder("# tracer: nop\n#\n# entries-in-buffer/entries-written: 0/0   #P:2\n#\n");
        int k = 0;
        for (int n = 0; n < events; k++) {
            long t = 1_000_000L + k;
            int cpu = k % 2;
            boolean cache = k % 2 == 0;
            long ptr = 0x1000L + (k % 64) * 0x100L;
            sb.append(String.format(
                    Locale.ROOT, "  sh-%d [%03d] ..... %d.%06d: ", 100 + cpu, cpu, t / 1_000_000, t % 1_000_000));
            sb.append(
                    cache
                            ? String.format(
                                    Locale.ROOT,
                                    "kmem_cache_alloc: call_site=alloc_a+0x1/0x10 ptr=%016x name=steady_cache "
                                            + "bytes_req=96 bytes_alloc=96 gfp_flags=GFP_KERNEL node=-1 accounted=false\n",
                                    ptr)
                            : String.format(
                                    Locale.ROOT,
                                    "kmalloc: call_site=alloc_b+0x2/0x10 ptr=%016x bytes_req=%d "
                                            + "bytes_alloc=%d gfp_flags=GFP_KERNEL node=-1 accounted=false\n",
                                    ptr,
                                    40 + 8 * (k % 5),
                                    64));
            n++;
            if (k >= 32 && n < events) {
                long old = 0x1000L + ((k - 32) % 64) * 0x100L;
                sb.append(String.format(
                        Locale.ROOT, "  sh-%d [%03d] ..... %d.%06d: ", 100 + cpu, cpu, t / 1_000_000, t % 1_000_000));
                sb.append(
                        cache
                                ? String.format(
                                        Locale.ROOT,
                                        "kmem_cache_free: call_site=free_a+0x3/0x10 ptr=%016x name=steady_cache\n",
                                        old)
                                : String.format(Locale.ROOT, "kfree: call_site=free_b+0x4/0x10 ptr=%016x\n", old));
                n++;
            }
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static long replayAllocatedBytes(com.sun.management.ThreadMXBean mx, LoadedTrace trace, String allocator) {
        ReplayTarget target = new KernelReplayFactory().boot(allocator, List.of("mem=128M", "nr_cpus=2"));
        ReplayEngine engine = trace.engine(target, ReplayOptions.DEFAULT);
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        trace.replay(engine);
        long bytes = mx.getThreadAllocatedBytes(tid) - before;
        ReplayStats s = engine.finish();
        assertThat(s.malformed()).isZero();
        assertThat(s.unmatchedFrees()).isZero();
        assertThat(s.applied()).isEqualTo(trace.events());
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(strings = {"slab", "slub", "slob"})
    void steadyReplay_allocatesNothingPerEvent(String allocator) {
        var bean = ManagementFactory.getThreadMXBean();
        if (!(bean instanceof com.sun.management.ThreadMXBean mx) || !mx.isThreadAllocatedMemorySupported()) {
            return;
        }
        LoadedTrace shorter = LoadedTrace.parse(steadyTrace(EVENTS), TraceInputFormat.FTRACE, "steady", 2);
        LoadedTrace longer = LoadedTrace.parse(steadyTrace(2 * EVENTS), TraceInputFormat.FTRACE, "steady", 2);
        assertThat(longer.events()).isEqualTo(2L * EVENTS);
        // Warm up (class loading, first compilations), then measure.
        replayAllocatedBytes(mx, longer, allocator);
        long once = replayAllocatedBytes(mx, shorter, allocator);
        long twice = replayAllocatedBytes(mx, longer, allocator);
        // 10 000 more events; one small object per event would be over a hundred kilobytes
        assertThat(twice - once)
                .as("bytes allocated by %d more events (replay of %d: %d bytes)", EVENTS, EVENTS, once)
                .isLessThan(4 * 1024);
    }
}
