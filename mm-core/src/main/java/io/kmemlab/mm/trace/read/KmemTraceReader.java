package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.trace.Symbols;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Streams a kmem trace one line at a time into a reusable {@link TraceLine}: memory stays at one
 * line buffer plus the interned words, whatever the trace's length. Header, comment and blank
 * lines are consumed silently (the {@code #P:N} CPU count of an ftrace header is remembered),
 * except kmemlab's own {@code # kmemlab cache:} comments, which are returned as
 * {@link TraceLine.Kind#CACHE_DEFINITION} (or malformed if they cannot be read); every
 * other line is returned as an event, another event (counted by name) or malformed.
 *
 * <pre>
 *  try (KmemTraceReader r = new KmemTraceReader(in, TraceInputFormat.FTRACE, machine.symbols())) {
 *      TraceLine line = new TraceLine();
 *      while (r.next(line)) { switch (line.kind()) { … } }
 *  }
 * </pre>
 */
public final class KmemTraceReader implements Closeable {
    private final InputStream in;
    private final LineReader lines;
    private final TraceInputFormat format;
    private final TraceInputFormat.LineParser parser;
    private final Map<String, long[]> otherEvents = new LinkedHashMap<>();
    private long lineNo;
    private long nonEventLines;
    private long cacheComments;
    private int headerCpus = -1;

    public KmemTraceReader(InputStream in, TraceInputFormat format, Symbols symbols) {
        this.in = in;
        this.lines = new LineReader(in);
        this.format = format;
        this.parser = format.newParser(symbols);
    }

    public TraceInputFormat format() {
        return format;
    }

    /**
     * Reads lines until one that is not a header/comment/blank line and parses it into
     * {@code out}.
     *
     * @return false at the end of the input
     */
    public boolean next(TraceLine out) throws IOException {
        while (lines.next()) {
            lineNo++;
            byte[] b = lines.buffer();
            int s = lines.lineStart();
            int e = lines.lineEnd();
            if (lines.overlong()) {
                out.lineNo = lineNo;
                out.clearEvent();
                out.malformed("line longer than 64 KiB");
                return true;
            }
            TraceLine.Kind kind = parser.parse(b, s, e, lineNo, out);
            if (kind == TraceLine.Kind.NONE
                    && format == TraceInputFormat.FTRACE
                    && CacheCommentParser.matches(b, s, e)) {
                // kmemlab's own cache comment: once per cache, off the event-line path.
                cacheComments++;
                if (CacheCommentParser.parse(b, s, e, lineNo, out) == TraceLine.Kind.CACHE_DEFINITION) {
                    nonEventLines++;
                }
                return true;
            }
            if (kind == TraceLine.Kind.NONE) {
                nonEventLines++;
                if (format == TraceInputFormat.FTRACE && headerCpus < 0) {
                    headerCpus = lineNo == 1 ? traceCmdCpus(b, s, e) : parseHeaderCpus(b, s, e);
                }
                continue;
            }
            if (kind == TraceLine.Kind.OTHER_EVENT) {
                long[] c = otherEvents.get(out.eventName());
                if (c == null) {
                    c = new long[1];
                    otherEvents.put(out.eventName(), c);
                }
                c[0]++;
            }
            return true;
        }
        return false;
    }

    /** Lines read so far (all kinds). */
    public long lineNo() {
        return lineNo;
    }

    /** Header, comment and blank lines read so far. */
    public long nonEventLines() {
        return nonEventLines;
    }

    /** kmemlab {@code # kmemlab cache:} comment lines read so far (well-formed or not). */
    public long cacheComments() {
        return cacheComments;
    }

    /** The {@code #P:N} of an ftrace header, or -1 if none was seen. */
    public int headerCpus() {
        return headerCpus;
    }

    /** Events the replay does not apply, by name, in order of first appearance. */
    public Map<String, Long> otherEvents() {
        Map<String, Long> m = new LinkedHashMap<>();
        otherEvents.forEach((k, v) -> m.put(k, v[0]));
        return Collections.unmodifiableMap(m);
    }

    /**
     * The CPU count of trace-cmd report's first line, {@code cpus=2} (the first line of
     * {@code buf[s, e)}), or -1.
     */
    public static int traceCmdCpus(byte[] b, int s, int e) {
        if (e - s < 6 || b[s] != 'c' || b[s + 1] != 'p' || b[s + 2] != 'u' || b[s + 3] != 's' || b[s + 4] != '=') {
            return -1;
        }
        int j = s + 5;
        int v = 0;
        while (j < e && b[j] >= '0' && b[j] <= '9' && v < 100_000) {
            v = v * 10 + (b[j] - '0');
            j++;
        }
        return j > s + 5 && (j == e || b[j] == '\n' || b[j] == '\r') ? v : -1;
    }

    /** {@code # entries-in-buffer/entries-written: 568974/568974   #P:2}. */
    private static int parseHeaderCpus(byte[] b, int s, int e) {
        for (int i = s; i + 3 < e; i++) {
            if (b[i] == '#' && b[i + 1] == 'P' && b[i + 2] == ':') {
                int j = i + 3;
                int v = 0;
                while (j < e && b[j] >= '0' && b[j] <= '9' && v < 100_000) {
                    v = v * 10 + (b[j] - '0');
                    j++;
                }
                return j > i + 3 ? v : -1;
            }
        }
        return -1;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
