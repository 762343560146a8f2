package io.kmemlab.boot.replay;

import io.kmemlab.boot.replay.source.CallSiteNames;
import io.kmemlab.boot.replay.source.BlockPipeline;
import io.kmemlab.boot.replay.source.EventBlock;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.TraceSummary;
import io.kmemlab.mm.trace.Symbols;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs an event source through freshly booted machines, one per allocator, reading it once: boot,
 * replay every line on each, finish. Wall time comes from an injected ticker so that tests stay
 * deterministic.
 */
public final class Replayer {
    private static final int PROGRESS_EVERY = 1 << 16;

    private final ReplayMachineFactory factory;
    private final ReplayOptions options;
    private final LongSupplier ticker;
    private final ProgressListener progress;

    /**
     * @param ticker wall-clock nanoseconds (System::nanoTime), or {@code () -> 0} for no timing
     */
    public Replayer(ReplayMachineFactory factory, ReplayOptions options, LongSupplier ticker,
            ProgressListener progress) {
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
            threads[i] = new Thread(() -> {
                try {
                    booted[k] = factory.boot(allocators.get(k), words);
                } catch (RuntimeException | Error e) {
                    failed[k] = e;
                }
            }, "kmemlab-boot " + allocators.get(i));
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
        boolean interrupted = false;
        for (int i = 1; i < n; i++) {
            while (true) {
                try {
                    threads[i].join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        for (Throwable t : failed) {
            if (t instanceof RuntimeException re) {
                throw re;
            }
            if (t instanceof Error err) {
                throw err;
            }
        }
        return List.of(booted);
    }

    /** One allocator's replay: its stats, the machine it ran on, and what the input was. */
    public record Run(ReplayStats stats, ReplayTarget target, TraceSummary trace) {}

    /**
     * Boots one machine per allocator and replays the source on all of them from a single
     * reading: a reading thread fills blocks of lines ({@link BlockPipeline}), and each engine
     * replays every block in turn on this thread. Each
     * allocator's wall time covers its own replay of the blocks (the shared reading is not in it).
     *
     * @param beforeReplay called per booted machine before the first event, or null
     */
    public List<Run> runAll(EventSource source, List<String> allocators, List<String> words,
            Consumer<ReplayTarget> beforeReplay) throws TraceRejectedException {
        Symbols readerSymbols = new Symbols();
        CallSiteNames siteNames = new CallSiteNames();
        EventSource.Stream s;
        try {
            s = source.open(readerSymbols);
        } catch (IOException e) {
            progress.done();
            throw new TraceRejectedException(source.name() + ": read error after line 0: "
                    + TraceFileSource.describe(e));
        }
        long[] wall = new long[allocators.size()];
        TraceSummary summary;
        long lineNo = 0;
        List<ReplayTarget> targets;
        List<ReplayEngine> engines = new ArrayList<>();
        // The source is read and parsed on its own thread (from now on, while the machines boot)
        // and the engines replay the blocks read.
        try (BlockPipeline pipeline = new BlockPipeline(s, readerSymbols, source.name())) {
            targets = bootAll(allocators, words);
            for (ReplayTarget t : targets) {
                if (beforeReplay != null) {
                    beforeReplay.accept(t);
                }
                ReplayEngine e = new ReplayEngine(t, options);
                e.setCallSiteNames(siteNames);
                engines.add(e);
            }
            long n = 0;
            long nextProgress = PROGRESS_EVERY;
            EventBlock block;
            while ((block = pipeline.take()) != null) {
                block.defineSites(siteNames);
                for (int e = 0; e < engines.size(); e++) {
                    ReplayEngine engine = engines.get(e);
                    long t0 = ticker.getAsLong();
                    for (int i = 0; i < block.size(); i++) {
                        engine.apply(block.line(i));
                    }
                    wall[e] += ticker.getAsLong() - t0;
                }
                n += block.size();
                lineNo = block.readerLineNo();
                double fraction = block.readerProgress();
                pipeline.release(block);
                if (n >= nextProgress) {
                    nextProgress += PROGRESS_EVERY;
                    progress.update(String.join("+", allocators), fraction, n);
                }
            }
            summary = new TraceSummary(source.name(), source.format(), s.lineNo(), s.nonEventLines(),
                    source.cpus(), s.otherEvents());
        } catch (IOException e) {
            progress.done();
            throw new TraceRejectedException(source.name() + ": read error after line " + lineNo + ": "
                    + TraceFileSource.describe(e));
        }
        progress.done();
        List<Run> runs = new ArrayList<>();
        for (int e = 0; e < engines.size(); e++) {
            ReplayStats stats = engines.get(e).finish();
            stats.wallNanos = wall[e];
            if (stats.eventsRead() == 0) {
                throw new TraceRejectedException(source.name() + ": no trace events in " + summary.lines() + " lines");
            }
            if (stats.malformed() == stats.eventsRead()) {
                // Nothing could be read as an event: the wrong format (forced or guessed), or not a
                // trace at all. Replaying nothing is not a result.
                throw new TraceRejectedException(source.name() + ": not a " + summary.format() + " trace: all "
                        + stats.eventsRead() + " event lines are malformed (first: " + stats.malformedSamples().get(0)
                        + "); --format chooses another format");
            }
            runs.add(new Run(stats, targets.get(e), summary));
        }
        return runs;
    }
}
