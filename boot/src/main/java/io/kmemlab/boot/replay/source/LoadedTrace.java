package io.kmemlab.boot.replay.source;

import io.kmemlab.boot.replay.ReplayEngine;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * A whole trace parsed into memory ({@link EventBlock}s), for measuring the replay alone: the
 * bench command and the JMH {@code ReplayBench} read and parse a trace once, then replay the same
 * blocks on as many fresh machines as they like, with no reading or parsing in the timed loop.
 *
 * <p>The decompressed text is kept too, so that parsing itself can be timed again and again
 * ({@link #parse(byte[], TraceInputFormat, String, int)} from memory, no decompression).
 */
public final class LoadedTrace {
    private final List<EventBlock> blocks;
    private final CallSiteNames siteNames;
    private final TraceSummary summary;
    private final long events;

    private LoadedTrace(List<EventBlock> blocks, CallSiteNames siteNames, TraceSummary summary, long events) {
        this.blocks = blocks;
        this.siteNames = siteNames;
        this.summary = summary;
        this.events = events;
    }

    /** The decompressed bytes of a trace (plain, .gz or .xz; a file or a pipe). */
    public static byte[] readText(TraceFileSource source) throws IOException {
        try (InputStream in = source.openText()) {
            return in.readAllBytes();
        }
    }

    /**
     * Parses {@code text} (a whole trace in {@code format}) into blocks.
     *
     * @param name the trace's name for reports
     * @param cpus CPUs the trace was recorded on, or -1
     */
    public static LoadedTrace parse(byte[] text, TraceInputFormat format, String name, int cpus) {
        Symbols symbols = new Symbols();
        KmemTraceReader reader = new KmemTraceReader(new ByteArrayInputStream(text), format, symbols);
        EventSource.Stream stream = EventSource.Stream.of(reader, () -> -1);
        List<EventBlock> blocks = new ArrayList<>();
        CallSiteNames siteNames = new CallSiteNames();
        TraceLine line = new TraceLine();
        BitSet seenSites = new BitSet();
        long events = 0;
        try (stream) {
            while (true) {
                EventBlock b = new EventBlock();
                if (b.fill(stream, line, symbols, seenSites) == 0) {
                    break;
                }
                b.defineSites(siteNames);
                events += b.size();
                blocks.add(b);
            }
        } catch (IOException e) {
            // A byte array cannot fail to read.
            throw new UncheckedIOException(e);
        }
        TraceSummary summary = new TraceSummary(
                name, format.cliName(), reader.lineNo(), reader.nonEventLines(), cpus, reader.otherEvents());
        return new LoadedTrace(List.copyOf(blocks), siteNames, summary, events);
    }

    /** What the input was, as replay reports print it. */
    public TraceSummary summary() {
        return summary;
    }

    /** Event lines (kmem events, other events and malformed lines): what one replay reads. */
    public long events() {
        return events;
    }

    /** A replay engine for {@code target}, ready for {@link #replay(ReplayEngine)}. */
    public ReplayEngine engine(ReplayTarget target, ReplayOptions options) {
        ReplayEngine e = new ReplayEngine(target, options);
        e.setCallSiteNames(siteNames);
        return e;
    }

    /** Applies every line of the trace, in order, to {@code engine}: the loop the bench times. */
    public void replay(ReplayEngine engine) {
        for (int b = 0; b < blocks.size(); b++) {
            EventBlock block = blocks.get(b);
            for (int i = 0, n = block.size(); i < n; i++) {
                engine.apply(block.line(i));
            }
        }
    }
}
