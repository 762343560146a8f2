package io.kmemlab.bench;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.FtraceLineParser;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
import org.tukaani.xz.XZInputStream;

/**
 * The ftrace kmem parser on a real capture held in memory (no xz, no disk in the measured part),
 * ns per line. Each invocation parses the next {@value #CHUNK} lines of the capture into one
 * {@link TraceLine} flyweight, wrapping around at its end, so every line of the capture is
 * measured and the interners are as warm as in a replay's steady state.
 *
 * <ul>
 *   <li>{@code parser}: {@link FtraceLineParser#parse} alone, over line bounds split once in setup;
 *   <li>{@code reader}: {@link KmemTraceReader#next} over a {@code ByteArrayInputStream}, i.e. line
 *       splitting and the header/comment handling included (what a replay pays).
 * </ul>
 *
 * <p>The capture is {@code -Dkmemlab.trace=FILE} ({@code .xz} or plain), default
 * {@code ../shared/traces/kmem-fork-net-6.18.txt.xz} (relative to the working directory). Run:
 * {@code java -jar boot/target/kmemlab-benchmarks.jar ParseBench -wi 3 -w 1s -i 5 -r 1s -f 1 -prof gc}
 *
 * <p>On a shared host the wall-clock figures swing with the other jobs; {@link #main} measures the
 * parser's thread CPU time per line instead, pass by pass over the whole capture:
 * {@code java -cp boot/target/kmemlab-benchmarks.jar io.kmemlab.bench.ParseBench [passes]}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ParseBench {
    /** Lines per invocation. */
    static final int CHUNK = 4096;

    private byte[] text;
    private int[] starts;
    private int[] ends;
    private int next;
    private FtraceLineParser parser;
    private KmemTraceReader reader;
    private final TraceLine line = new TraceLine();

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path path = Path.of(System.getProperty("kmemlab.trace", ReplayBench.DEFAULT_TRACE));
        try (InputStream raw = Files.newInputStream(path);
                InputStream in = path.toString().endsWith(".xz") ? new XZInputStream(raw) : raw) {
            text = in.readAllBytes();
        }
        int n = 0;
        int[] s = new int[1 << 16];
        int[] e = new int[1 << 16];
        int from = 0;
        for (int i = 0; i <= text.length; i++) {
            if (i == text.length ? i > from : text[i] == '\n') {
                if (n == s.length) {
                    s = Arrays.copyOf(s, n * 2);
                    e = Arrays.copyOf(e, n * 2);
                }
                s[n] = from;
                e[n] = i;
                n++;
                from = i + 1;
            }
        }
        starts = Arrays.copyOf(s, n);
        ends = Arrays.copyOf(e, n);
        parser = new FtraceLineParser(new Symbols());
        reader = newReader();
    }

    private KmemTraceReader newReader() {
        return new KmemTraceReader(new ByteArrayInputStream(text), TraceInputFormat.FTRACE, new Symbols());
    }

    /**
     * Thread CPU ns per line of {@code parser}, pass by pass over the whole capture (the first
     * third of the passes are warm-up); prints the minimum, median and maximum of the rest.
     */
    public static void main(String[] args) throws IOException {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        ParseBench b = new ParseBench();
        b.load();
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        double[] perLine = new double[passes];
        long acc = 0;
        for (int k = 0; k < passes; k++) {
            long t0 = mx.getCurrentThreadCpuTime();
            for (int i = 0; i < b.starts.length; i++) {
                b.parser.parse(b.text, b.starts[i], b.ends[i], i + 1, b.line);
                acc += b.line.ptr();
            }
            perLine[k] = (mx.getCurrentThreadCpuTime() - t0) / (double) b.starts.length;
        }
        double[] steady = Arrays.copyOfRange(perLine, passes / 3, passes);
        Arrays.sort(steady);
        System.out.printf(
                "parser: %d lines, thread CPU ns/line over %d passes: min %.1f median %.1f max %.1f (%d)%n",
                b.starts.length,
                steady.length,
                steady[0],
                steady[steady.length / 2],
                steady[steady.length - 1],
                acc & 1);
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long parser() {
        long acc = 0;
        int i = next;
        for (int k = 0; k < CHUNK; k++) {
            if (i == starts.length) {
                i = 0;
            }
            parser.parse(text, starts[i], ends[i], i + 1, line);
            acc += line.ptr() + line.pfn();
            i++;
        }
        next = i;
        return acc;
    }

    @Benchmark
    @OperationsPerInvocation(CHUNK)
    public long reader() {
        long acc = 0;
        try {
            for (int k = 0; k < CHUNK; k++) {
                if (!reader.next(line)) {
                    // Once per pass over the capture: a fresh reader (its interners start cold).
                    reader = newReader();
                    reader.next(line);
                }
                acc += line.ptr() + line.pfn();
            }
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return acc;
    }
}
