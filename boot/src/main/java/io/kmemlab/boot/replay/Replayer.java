package io.kmemlab.boot.replay;

import io.kmemlab.mm.trace.read.TraceLine;
import java.io.IOException;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Runs an event source through freshly booted machines, one allocator at a time: boot, replay
 * every line, finish. Wall time comes from an injected ticker so that tests stay deterministic.
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

    /** One allocator's replay: its stats, the machine it ran on, and what the input was. */
    public record Run(ReplayStats stats, ReplayTarget target, TraceSummary trace) {}

    /**
     * Boots a machine for {@code allocator} and replays the source on it.
     *
     * @param beforeReplay called with the booted machine before the first event (to attach a trace
     *     sink, say), or null
     * @throws IllegalArgumentException from the factory for bad words or a missing allocator
     * @throws TraceRejectedException if the input cannot be read or holds no events
     */
    public Run run(EventSource source, String allocator, List<String> words, Consumer<ReplayTarget> beforeReplay)
            throws TraceRejectedException {
        ReplayTarget target = factory.boot(allocator, words);
        if (beforeReplay != null) {
            beforeReplay.accept(target);
        }
        ReplayEngine engine = new ReplayEngine(target, options);
        TraceLine line = new TraceLine();
        long start = ticker.getAsLong();
        TraceSummary summary;
        try (EventSource.Stream s = source.open(target.machine().symbols())) {
            long n = 0;
            while (s.next(line)) {
                engine.apply(line);
                if (++n % PROGRESS_EVERY == 0) {
                    progress.update(allocator, s.progress(), n);
                }
            }
            summary = new TraceSummary(source.name(), source.format(), s.lineNo(), s.nonEventLines(),
                    source.cpus(), s.otherEvents());
        } catch (IOException e) {
            progress.done();
            throw new TraceRejectedException(source.name() + ": read error after line " + line.lineNo()
                    + ": " + TraceFileSource.describe(e));
        }
        progress.done();
        ReplayStats stats = engine.finish();
        stats.wallNanos = ticker.getAsLong() - start;
        if (stats.eventsRead() == 0) {
            throw new TraceRejectedException(source.name() + ": no trace events in " + summary.lines() + " lines");
        }
        return new Run(stats, target, summary);
    }
}
