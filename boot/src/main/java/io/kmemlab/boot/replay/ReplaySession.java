package io.kmemlab.boot.replay;

import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.step.StepOptions;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.CacheDefinition;
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
public final class ReplaySession {
    /** Order of columns: the historical order of the allocators. */
    static final List<String> ALLOCATOR_ORDER = List.of("slab", "slub", "slob");

    private ReplaySession() {}

    /** The user's words plus nr_cpus= (from the trace) where the user gave none. */
    public static List<String> bootWords(List<String> words, int traceCpus) {
        List<String> w = new ArrayList<>(words);
        if (traceCpus > 0 && w.stream().noneMatch(s -> s.startsWith("nr_cpus="))) {
            w.add("nr_cpus=" + Math.min(traceCpus, 512));
        }
        return w;
    }

    /** The emitted-trace path for one allocator of several: {@code out.txt} → {@code out.slub.txt}. */
    public static Path emitPath(Path base, String allocator, boolean several) {
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
    public static List<Replayer.Run> runAll(
            ReplayMachineFactory factory,
            ReplayOptions options,
            LongSupplier ticker,
            ProgressListener progress,
            EventSource source,
            List<String> allocators,
            List<String> words,
            Path emitTrace)
            throws TraceRejectedException, IOException {
        return runAll(factory, options, ticker, progress, source, allocators, words, emitTrace, null);
    }

    /** As above, calling {@code onPeak} at each machine's new peaks ({@link Replayer#withPeakProbe}). */
    public static List<Replayer.Run> runAll(
            ReplayMachineFactory factory,
            ReplayOptions options,
            LongSupplier ticker,
            ProgressListener progress,
            EventSource source,
            List<String> allocators,
            List<String> words,
            Path emitTrace,
            Consumer<ReplayTarget> onPeak)
            throws TraceRejectedException, IOException {
        return runAll(factory, options, ticker, progress, source, allocators, words, emitTrace, onPeak, null, null);
    }

    /** As above, printing every step to {@code stepOut} under {@code steps} ({@link Replayer#withSteps}; null: none). */
    public static List<Replayer.Run> runAll(
            ReplayMachineFactory factory,
            ReplayOptions options,
            LongSupplier ticker,
            ProgressListener progress,
            EventSource source,
            List<String> allocators,
            List<String> words,
            Path emitTrace,
            Consumer<ReplayTarget> onPeak,
            StepOptions steps,
            Appendable stepOut)
            throws TraceRejectedException, IOException {
        Replayer replayer = new Replayer(factory, options, ticker, progress)
                .withPeakProbe(onPeak)
                .withSteps(steps, stepOut);
        List<BufferedWriter> writers = new ArrayList<>();
        Consumer<ReplayTarget> hook = null;
        if (emitTrace != null) {
            hook = t -> {
                try {
                    BufferedWriter w = Files.newBufferedWriter(
                            emitPath(emitTrace, t.allocatorName(), allocators.size() > 1), StandardCharsets.UTF_8);
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

    /**
     * Enables every kmem event on the machine and writes its lines, after an ftrace header and a
     * {@code # kmemlab cache:} comment for each cache that exists now and was not made by the
     * boot (see {@link #createdCaches}); later creations get theirs from the tracer.
     */
    static void attachTrace(ReplayTarget t, BufferedWriter w) {
        Tracer tracer = t.machine().tracer();
        Consumer<String> sink = line -> {
            try {
                w.write(line);
                w.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        };
        sink.accept("# tracer: nop\n#\n# kmemlab replay on slab=" + t.allocatorName() + "   #P:"
                + t.machine().cpus().nrCpus() + "\n#");
        tracer.enable("kmem:*");
        tracer.addSink(sink, true);
        for (CacheDefinition d : createdCaches(t.slab())) {
            tracer.cacheComment(d);
        }
    }

    /**
     * The caches on slab_caches that a kmem_cache_create made, oldest first, as definitions that
     * recreate them: the kmalloc caches, kmem_buckets_cache and the allocator's own boot caches
     * (refcount -1, create_boot_cache) are left out, since every booted kernel makes its own. An alias shows
     * through its root's object_size, which it raised.
     */
    public static List<CacheDefinition> createdCaches(SlabLayer slab) {
        List<CacheDefinition> defs = new ArrayList<>();
        List<KmemCache> caches = slab.caches();
        for (int i = caches.size() - 1; i >= 0; i--) {
            KmemCache c = caches.get(i);
            if (c.refcount() < 0
                    || slab.isKmallocCache(c)
                    || c.hasFlag(SlabFlags.KMALLOC)
                    || c == slab.kmemBucketsCache()) {
                continue;
            }
            defs.add(new CacheDefinition(
                    c.name(),
                    c.objectSize(),
                    c.align(),
                    c.flags(),
                    c.ctor() != null,
                    c.useroffset(),
                    c.usersize(),
                    c.freeptrOffset(),
                    0,
                    c.sheafCapacity()));
        }
        return defs;
    }
}
