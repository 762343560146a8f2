package io.kmemlab.boot.replay;

import io.kmemlab.mm.trace.Tracer;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What the replay and compare commands share: which allocators exist, the default boot words,
 * running one source through several allocators, and writing the emitted trace.
 */
final class ReplaySession {
    /** Order of columns: the historical order of the allocators. */
    static final List<String> ALLOCATOR_ORDER = List.of("slab", "slub", "slob");

    private ReplaySession() {}

    /** The user's words plus nr_cpus= (from the trace) where the user gave none. */
    static List<String> bootWords(List<String> words, int traceCpus) {
        List<String> w = new ArrayList<>(words);
        if (traceCpus > 0 && w.stream().noneMatch(s -> s.startsWith("nr_cpus="))) {
            w.add("nr_cpus=" + Math.min(traceCpus, 512));
        }
        return w;
    }

    /** The emitted-trace path for one allocator of several: {@code out.txt} → {@code out.slub.txt}. */
    static Path emitPath(Path base, String allocator, boolean several) {
        if (!several) {
            return base;
        }
        String name = base.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String n = dot > 0 ? name.substring(0, dot) + "." + allocator + name.substring(dot) : name + "." + allocator;
        return base.resolveSibling(n);
    }

    /**
     * Replays the source on every allocator from one reading; emits a trace per allocator if
     * {@code emitTrace} is set.
     */
    static List<Replayer.Run> runAll(ReplayMachineFactory factory, ReplayOptions options, LongSupplier ticker,
            ProgressListener progress, EventSource source, List<String> allocators, List<String> words,
            Path emitTrace) throws TraceRejectedException, IOException {
        Replayer replayer = new Replayer(factory, options, ticker, progress);
        List<BufferedWriter> writers = new ArrayList<>();
        Consumer<ReplayTarget> hook = null;
        if (emitTrace != null) {
            hook = t -> {
                try {
                    BufferedWriter w = Files.newBufferedWriter(emitPath(emitTrace, t.allocatorName(),
                            allocators.size() > 1), StandardCharsets.UTF_8);
                    writers.add(w);
                    attachTrace(t, w);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
        try {
            return replayer.runAll(source, allocators, words, hook);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } finally {
            for (BufferedWriter w : writers) {
                w.close();
            }
        }
    }

    /** Enables every kmem event on the machine and writes its lines, after an ftrace header. */
    static void attachTrace(ReplayTarget t, BufferedWriter w) {
        Tracer tracer = t.machine().tracer();
        try {
            w.write("# tracer: nop\n#\n# kmemlab replay on slab=" + t.allocatorName() + "   #P:"
                    + t.machine().cpus().nrCpus() + "\n#\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tracer.enable("kmem:*");
        tracer.addSink(line -> {
            try {
                w.write(line);
                w.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
