package io.kmemlab.malloc.bench;

import io.kmemlab.malloc.glibc.GlibcMalloc;
import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.malloc.testkit.RepTrace;
import java.io.IOException;
import java.io.InputStream;
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
import org.tukaani.xz.XZInputStream;

/**
 * glibc 2.36's malloc replaying a 1.5 M-op trace: a real program's trace (bash, git or perl from
 * the exactness tests) replayed round after round in one process, every round ending with the
 * frees of what it left live (and a block allocated to an id still live freed first), until
 * {@link #OPS} operations, then a fresh process. The score is
 * operations per second (malloc, realloc, free and each result's malloc_usable_size, as the
 * recorder's replay.c does). The target: 5 M ops/s in steady state.
 *
 * <pre>
 *   mvn -q -Pbench -DskipTests package -pl malloc -am
 *   java -jar malloc/target/kmemlab-malloc-benchmarks.jar GlibcReplayBench
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class GlibcReplayBench {
    static final int OPS = 1_500_000;

    @Param({"bash", "git", "perl"})
    public String trace;

    private byte[] op;
    private int[] id;
    private long[] size;
    private long[] ptr;
    private final FastUserSpace space = new FastUserSpace();
    private GlibcMalloc g;

    @Setup(Level.Trial)
    public void load() throws IOException {
        RepTrace t;
        try (InputStream in =
                new XZInputStream(GlibcReplayBench.class.getResourceAsStream("/glibc/" + trace + ".rep.xz"))) {
            t = RepTrace.read(in);
        }
        op = new byte[OPS];
        id = new int[OPS];
        size = new long[OPS];
        ptr = new long[t.ids + 1];
        // rounds of the trace, each followed by frees of the ids it leaves live
        boolean[] live = new boolean[t.ids + 1];
        int n = 0;
        while (n < OPS) {
            for (int i = 0; i < t.ops && n < OPS; i++, n++) {
                if (t.op[i] == 'a' && live[t.id[i]] && n + 1 < OPS) {
                    // an allocation to an id still live (bash's trace has 8,440): free the old
                    // block first, so that the heap stays bounded over the rounds
                    op[n] = 'f';
                    id[n++] = t.id[i];
                }
                op[n] = t.op[i];
                id[n] = t.id[i];
                size[n] = t.size[i];
                live[t.id[i]] = t.op[i] != 'f' && !(t.op[i] == 'r' && t.size[i] == 0);
            }
            for (int k = 0; k < live.length && n < OPS; k++) {
                if (live[k]) {
                    op[n] = 'f';
                    id[n++] = k;
                    live[k] = false;
                }
            }
        }
    }

    @Setup(Level.Invocation)
    public void freshProcess() {
        space.reset();
        g = GlibcMalloc.create(space);
        java.util.Arrays.fill(ptr, 0);
    }

    @Benchmark
    @OperationsPerInvocation(OPS)
    public long replay() {
        long sum = 0;
        GlibcMalloc a = g;
        long[] p = ptr;
        for (int i = 0; i < OPS; i++) {
            int k = id[i];
            switch (op[i]) {
                case 'a' -> {
                    long q = p[k] = a.malloc(size[i]);
                    sum += a.usableSize(q);
                }
                case 'r' -> {
                    long q = p[k] = a.realloc(p[k], size[i]);
                    sum += a.usableSize(q);
                }
                default -> {
                    a.free(p[k]);
                    p[k] = 0;
                }
            }
        }
        return sum;
    }
}
