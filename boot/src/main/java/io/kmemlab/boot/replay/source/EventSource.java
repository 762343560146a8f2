package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.Closeable;
import java.io.IOException;
import java.util.Map;
import java.util.function.DoubleSupplier;

/**
 * Something that yields kmem events for a replay: a trace file or a built-in workload. Each
 * {@link #open} starts the same stream from the beginning, so every allocator sees identical
 * input.
 */
public interface EventSource {

    /** A short name for reports: the file name or {@code workload:fork}. */
    String name();

    /** The trace format's name for reports ({@code ftrace}, {@code malloclab}, {@code workload}). */
    String format();

    /** CPUs the input was recorded on (an ftrace header's {@code #P:N}), or -1 if unknown. */
    int cpus();

    /**
     * The CPU count a replay machine should have by default: {@link #cpus()}, or where the input
     * does not say (trace_pipe has no header), 1 + the highest CPU its first lines name; -1 if
     * neither is known.
     */
    default int defaultCpus() {
        return cpus();
    }

    /** Starts the stream; call sites are interned in {@code symbols}. */
    Stream open(Symbols symbols) throws IOException, TraceRejectedException;

    /** One pass over the events. */
    interface Stream extends Closeable {
        /** Fills {@code out} with the next line; false at the end. */
        boolean next(TraceLine out) throws IOException;

        /** Input lines read so far. */
        long lineNo();

        /** Header/comment/blank lines read so far. */
        long nonEventLines();

        /** Events of other tracepoints by name. */
        Map<String, Long> otherEvents();

        /** Fraction of the input consumed (0…1), or -1 if unknown. */
        default double progress() {
            return -1;
        }

        /** A stream over a trace reader, whose progress is {@code progress} (−1 if unknown). */
        static Stream of(KmemTraceReader reader, DoubleSupplier progress) {
            return new Stream() {
                @Override
                public boolean next(TraceLine out) throws IOException {
                    return reader.next(out);
                }

                @Override
                public long lineNo() {
                    return reader.lineNo();
                }

                @Override
                public long nonEventLines() {
                    return reader.nonEventLines();
                }

                @Override
                public Map<String, Long> otherEvents() {
                    return reader.otherEvents();
                }

                @Override
                public double progress() {
                    return progress.getAsDouble();
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }
    }
}
