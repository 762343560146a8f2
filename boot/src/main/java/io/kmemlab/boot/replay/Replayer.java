package io.kmemlab.boot.replay;

import io.kmemlab.boot.replay.source.BlockPipeline;
import io.kmemlab.boot.replay.source.CallSiteNames;
import io.kmemlab.boot.replay.source.EventBlock;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.boot.step.StepOptions;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs an event source through freshly booted machines, one per allocator, reading it once: boot,
 * replay every line on each (side by side, on a thread per engine, where there are CPUs for it),
 * finish. Wall time comes from an injected ticker so that tests stay deterministic.
 */
public final class Replayer {
    private static final int PROGRESS_EVERY = 1 << 16;
    /**
     * The system property that sets {@link #withThreads} for every replay ({@code 1}: sequential,
     * as {@code KMEMLAB_JAVA_OPTS=-Dkmemlab.replay.threads=1 ./kmemlab replay …}); by default the
     * CPUs the JVM may use.
     */
    public static final String THREADS_PROPERTY = "kmemlab.replay.threads";

    private final ReplayMachineFactory factory;
    private final ReplayOptions options;
    private final LongSupplier ticker;
    private final ProgressListener progress;
    private Consumer<ReplayTarget> onPeak;
    private StepOptions steps;
    private Appendable stepOut;
    private int threads =
            Integer.getInteger(THREADS_PROPERTY, Runtime.getRuntime().availableProcessors());

    /**
     * @param ticker wall-clock nanoseconds (System::nanoTime), or {@code () -> 0} for no timing
     */
    public Replayer(
            ReplayMachineFactory factory, ReplayOptions options, LongSupplier ticker, ProgressListener progress) {
        this.factory = factory;
        this.options = options;
        this.ticker = ticker;
        this.progress = progress;
    }

    /**
     * Boots one machine per allocator, each on a thread of its own (machines share nothing), and
     * returns them in the allocators' order; a boot failure is rethrown as the factory threw it,
     * the first allocator's first.
     */
    private List<ReplayTarget> bootAll(List<String> allocators, List<String> words) {
        int n = allocators.size();
        ReplayTarget[] booted = new ReplayTarget[n];
        Throwable[] failed = new Throwable[n];
        Thread[] threads = new Thread[n];
        for (int i = 1; i < n; i++) {
            int k = i;
            threads[i] = new Thread(
                    () -> {
                        try {
                            booted[k] = factory.boot(allocators.get(k), words);
                        } catch (RuntimeException | Error e) {
                            failed[k] = e;
                        }
                    },
                    "kmemlab-boot " + allocators.get(i));
            threads[i].setDaemon(true);
            threads[i].start();
        }
        if (n > 0) {
            try {
                booted[0] = factory.boot(allocators.get(0), words);
            } catch (RuntimeException | Error e) {
                failed[0] = e;
            }
        }
        joinAll(Arrays.asList(threads).subList(Math.min(1, n), n));
        for (Throwable t : failed) {
            rethrowUnchecked(t);
        }
        return List.of(booted);
    }

    /** One allocator's replay: its stats, the machine it ran on, and what the input was. */
    public record Run(ReplayStats stats, ReplayTarget target, TraceSummary trace) {}

    /**
     * Calls {@code probe} with a machine at each new peak of its slab memory (see
     * {@link ReplayEngine#onPeak}); from the engine's thread, so a probe that keeps state per
     * machine needs no lock if it keys it by machine. Null for none.
     */
    public Replayer withPeakProbe(Consumer<ReplayTarget> probe) {
        this.onPeak = probe;
        return this;
    }

    /**
     * {@code --step}: after every event, each machine's state it changed goes to {@code out}
     * ({@link ReplayStepper}); the engines then replay line by line in turn on the calling thread,
     * so that the steps of one line come together, in the allocators' order. Null for none.
     */
    public Replayer withSteps(StepOptions options, Appendable out) {
        this.steps = options;
        this.stepOut = out;
        return this;
    }

    /**
     * Replays with every engine on a thread of its own when this is above 1 (and there are
     * several allocators), else all engines in turn on the calling thread.
     */
    public Replayer withThreads(int threads) {
        this.threads = threads;
        return this;
    }

    /**
     * Boots one machine per allocator and replays the source on all of them from a single
     * reading: a reading thread fills blocks of lines ({@link BlockPipeline}), and each engine
     * replays every block in reading order, on a thread of its own where there are cores for it
     * ({@link #withThreads}): the machines share nothing but the read-only blocks, so the results
     * are those of replaying one allocator after the other. Each allocator's wall time covers its
     * own replay of the blocks (the shared reading is not in it).
     *
     * @param beforeReplay called per booted machine before the first event, or null
     */
    public List<Run> runAll(
            EventSource source, List<String> allocators, List<String> words, Consumer<ReplayTarget> beforeReplay)
            throws TraceRejectedException {
        Symbols readerSymbols = new Symbols();
        EventSource.Stream s;
        try {
            s = source.open(readerSymbols);
        } catch (IOException e) {
            progress.done();
            throw new TraceRejectedException(
                    source.name() + ": read error after line 0: " + TraceFileSource.describe(e));
        }
        long[] wall = new long[allocators.size()];
        TraceSummary summary;
        long[] lineNo = new long[1];
        List<ReplayTarget> targets;
        List<ReplayEngine> engines = new ArrayList<>();
        // The source is read and parsed on its own thread (from now on, while the machines boot)
        // and the engines replay the blocks read.
        try (BlockPipeline pipeline = new BlockPipeline(s, readerSymbols, source.name())) {
            targets = bootAll(allocators, words);
            for (int i = 0; i < targets.size(); i++) {
                ReplayTarget t = targets.get(i);
                if (beforeReplay != null) {
                    beforeReplay.accept(t);
                }
                engines.add(new ReplayEngine(t, options, allocators.get(i)).onPeak(onPeak));
            }
            if (steps != null) {
                replayStepping(pipeline, engines, allocators, wall, lineNo);
            } else if (threads > 1 && engines.size() > 1) {
                replayConcurrently(pipeline, engines, allocators, wall, lineNo);
            } else {
                replayInTurn(pipeline, engines, allocators, wall, lineNo);
            }
            summary = new TraceSummary(
                    source.name(), source.format(), s.lineNo(), s.nonEventLines(), source.cpus(), s.otherEvents());
        } catch (IOException e) {
            progress.done();
            throw new TraceRejectedException(
                    source.name() + ": read error after line " + lineNo[0] + ": " + TraceFileSource.describe(e));
        }
        progress.done();
        List<Run> runs = new ArrayList<>();
        for (int e = 0; e < engines.size(); e++) {
            ReplayStats stats = engines.get(e).finish();
            stats.wallNanos = wall[e];
            if (stats.eventsRead() == 0) {
                throw new TraceRejectedException(source.name() + ": no trace events in " + summary.lines() + " lines");
            }
            String rejected = rejection(source.name(), summary.format(), stats);
            if (rejected != null) {
                throw new TraceRejectedException(rejected);
            }
            runs.add(new Run(stats, targets.get(e), summary));
        }
        return runs;
    }

    /**
     * Why a replay's result is no result, or null: every event line malformed (the wrong format,
     * forced or guessed, or not a trace), most of them malformed (a form kmemlab misreads: its
     * figures would be those of the few lines it could read), or no event applied at all. A run
     * that applied nothing never passes for a replay.
     */
    public static String rejection(String name, String format, ReplayStats stats) {
        long read = stats.eventsRead();
        long bad = stats.malformed();
        if (bad == read) {
            return name + ": not a " + format + " trace: all " + read + " event lines are malformed (first: "
                    + stats.malformedSamples().get(0) + "); --format chooses another format; kmemlab reads: "
                    + TraceInputFormat.FORMS;
        }
        if (bad * 2 > read) {
            return name + ": not a " + format + " trace kmemlab can replay: " + bad + " of " + read
                    + " event lines are malformed (first: "
                    + stats.malformedSamples().get(0) + "); kmemlab reads: " + TraceInputFormat.FORMS;
        }
        if (stats.applied() == 0) {
            StringBuilder why = new StringBuilder();
            stats.skipReasons().forEach((r, n) -> {
                if (n > 0) {
                    why.append(why.length() == 0 ? "" : ", ")
                            .append(n)
                            .append(' ')
                            .append(r.description());
                }
            });
            return name + ": no event applied: " + read + " event lines, " + bad + " malformed"
                    + (why.length() == 0 ? "" : "; skipped: " + why);
        }
        return null;
    }

    /** Every engine replays each block in turn, on this thread. */
    private void replayInTurn(
            BlockPipeline pipeline, List<ReplayEngine> engines, List<String> allocators, long[] wall, long[] lineNo)
            throws IOException {
        CallSiteNames siteNames = new CallSiteNames();
        for (ReplayEngine e : engines) {
            e.setCallSiteNames(siteNames);
        }
        long n = 0;
        long nextProgress = PROGRESS_EVERY;
        EventBlock block;
        while ((block = pipeline.take()) != null) {
            block.defineSites(siteNames);
            for (int e = 0; e < engines.size(); e++) {
                wall[e] += replayBlock(engines.get(e), block);
            }
            n += block.size();
            lineNo[0] = block.readerLineNo();
            double fraction = block.readerProgress();
            pipeline.release(block);
            if (n >= nextProgress) {
                nextProgress += PROGRESS_EVERY;
                progress.update(String.join("+", allocators), fraction, n);
            }
        }
    }

    /** {@link #withSteps}: each line through every engine's {@link ReplayStepper}, in turn. */
    private void replayStepping(
            BlockPipeline pipeline, List<ReplayEngine> engines, List<String> allocators, long[] wall, long[] lineNo)
            throws IOException {
        CallSiteNames siteNames = new CallSiteNames();
        List<ReplayStepper> steppers = new ArrayList<>();
        for (int e = 0; e < engines.size(); e++) {
            engines.get(e).setCallSiteNames(siteNames);
            steppers.add(new ReplayStepper(
                    engines.get(e), steps, stepOut, engines.size() > 1 ? allocators.get(e) : null, e == 0));
        }
        EventBlock block;
        while ((block = pipeline.take()) != null) {
            block.defineSites(siteNames);
            for (int i = 0, size = block.size(); i < size; i++) {
                for (int e = 0; e < steppers.size(); e++) {
                    long t0 = ticker.getAsLong();
                    steppers.get(e).apply(block.line(i));
                    wall[e] += ticker.getAsLong() - t0;
                }
            }
            lineNo[0] = block.readerLineNo();
            pipeline.release(block);
        }
        for (ReplayStepper s : steppers) {
            s.finish();
        }
    }

    /** Applies a block's lines to {@code engine}; returns the wall time it took. */
    private long replayBlock(ReplayEngine engine, EventBlock block) {
        long t0 = ticker.getAsLong();
        for (int i = 0, size = block.size(); i < size; i++) {
            engine.apply(block.line(i));
        }
        return ticker.getAsLong() - t0;
    }

    /** A block handed to every engine's thread; the last of them to finish it recycles it. */
    private record Handout(EventBlock block, AtomicInteger left) {}

    private static final Handout NO_MORE = new Handout(null, null);

    /**
     * Each engine on a thread of its own, fed the blocks in reading order through a queue of its
     * own; this thread hands them out and reports progress (the same updates, in the same order, as
     * {@link #replayInTurn}). A failure of an engine (a bug, or the heap running out) stops every
     * engine at its next block and is rethrown here (of several, the first allocator's).
     */
    private void replayConcurrently(
            BlockPipeline pipeline, List<ReplayEngine> engines, List<String> allocators, long[] wall, long[] lineNo)
            throws IOException {
        int k = engines.size();
        Throwable[] failed = new Throwable[k];
        AtomicBoolean stop = new AtomicBoolean();
        List<BlockingQueue<Handout>> queues = new ArrayList<>();
        Thread[] threads = new Thread[k];
        for (int e = 0; e < k; e++) {
            // Never more than BLOCKS blocks exist, so a queue never fills.
            BlockingQueue<Handout> q = new ArrayBlockingQueue<>(BlockPipeline.BLOCKS + 1);
            queues.add(q);
            ReplayEngine engine = engines.get(e);
            CallSiteNames names = new CallSiteNames();
            engine.setCallSiteNames(names);
            int slot = e;
            threads[e] = new Thread(
                    () -> {
                        while (true) {
                            Handout h;
                            try {
                                h = q.take();
                            } catch (InterruptedException ie) {
                                failed[slot] = ie;
                                stop.set(true);
                                return;
                            }
                            if (h == NO_MORE) {
                                return;
                            }
                            if (!stop.get()) {
                                try {
                                    h.block().defineSites(names);
                                    wall[slot] += replayBlock(engine, h.block());
                                } catch (RuntimeException | Error t) {
                                    failed[slot] = t;
                                    stop.set(true);
                                }
                            }
                            if (h.left().decrementAndGet() == 0) {
                                pipeline.release(h.block());
                            }
                        }
                    },
                    "kmemlab-replay " + allocators.get(e));
            threads[e].setDaemon(true);
            threads[e].start();
        }
        try {
            long n = 0;
            long nextProgress = PROGRESS_EVERY;
            EventBlock block;
            while (!stop.get() && (block = pipeline.take()) != null) {
                // Read before handing out: the block may be recycled as soon as the engines are done.
                n += block.size();
                lineNo[0] = block.readerLineNo();
                double fraction = block.readerProgress();
                Handout h = new Handout(block, new AtomicInteger(k));
                for (BlockingQueue<Handout> q : queues) {
                    q.add(h);
                }
                if (n >= nextProgress) {
                    nextProgress += PROGRESS_EVERY;
                    progress.update(String.join("+", allocators), fraction, n);
                }
            }
        } finally {
            for (BlockingQueue<Handout> q : queues) {
                q.add(NO_MORE);
            }
            joinAll(Arrays.asList(threads));
        }
        for (Throwable t : failed) {
            rethrowUnchecked(t);
            if (t != null) {
                throw new InterruptedIOException("interrupted while replaying");
            }
        }
    }

    /** Waits for every thread to end, even when interrupted (the interrupt is kept for the caller). */
    private static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Rethrows {@code t} as it was thrown if it is unchecked; does nothing for null or a checked one. */
    private static void rethrowUnchecked(Throwable t) {
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
    }
}
