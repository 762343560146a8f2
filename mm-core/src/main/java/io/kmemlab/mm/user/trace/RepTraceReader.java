package io.kmemlab.mm.user.trace;

import java.io.IOException;

/**
 * The CS:APP malloc lab's {@code .rep} traces, as mdriver reads them: four header numbers
 * (suggested heap size, {@code num_ids}, {@code num_ops}, weight; mdriver uses the middle two), then
 * one operation a line: {@code a ID BYTES}, {@code r ID BYTES}, {@code f ID}. An id at or above
 * {@code num_ids} is unknown; a file with fewer operations than {@code num_ops} is truncated.
 */
final class RepTraceReader implements TraceReader {
    @Override
    public void read(TraceLines lines, MallocTraceSink sink) throws IOException {
        Tokens t = new Tokens();
        long[] header = new long[4];
        int got = 0;
        int headerLine = 0;
        long ops = 0;
        String line;
        while ((line = lines.next()) != null) {
            t.reset(line);
            if (got < 4) {
                if (headerLine == 0) {
                    headerLine = lines.number();
                }
                boolean isHeader = true;
                while (got < 4 && t.next()) {
                    long v = t.number();
                    if (v == Tokens.BAD || v < 0) {
                        isHeader = false;
                        break;
                    }
                    header[got++] = v;
                }
                if (isHeader) {
                    if (got == 4) {
                        sink.declareIds(header[1]);
                    }
                    continue;
                }
                sink.problem(
                        lines.number(),
                        TraceProblem.MALFORMED,
                        "'" + line + "' (the header is four numbers: heap size, ids, ops, weight; found " + got + ")");
                got = 4;
                header[2] = -1;
                t.reset(line);
            }
            if (!t.next()) {
                continue;
            }
            ops++;
            op(lines, sink, t, line);
        }
        if (got < 4) {
            sink.problem(
                    lines.number() + 1,
                    TraceProblem.TRUNCATED,
                    "the file ends inside the header (" + got + " of 4 numbers)");
        } else if (header[2] >= 0 && ops < header[2]) {
            sink.problem(
                    lines.number() + 1,
                    TraceProblem.TRUNCATED,
                    "the header promises " + header[2] + " ops, the file ends after " + ops);
        } else if (header[2] >= 0 && ops > header[2]) {
            sink.problem(
                    lines.number(),
                    TraceProblem.MALFORMED,
                    "the header promises " + header[2] + " ops, the file has " + ops + " (all replayed)");
        }
    }

    private static void op(TraceLines lines, MallocTraceSink sink, Tokens t, String line) {
        if (t.length() != 1) {
            TraceReader.bad(lines, sink, line, "an op is a, r or f");
            return;
        }
        char c = t.charAt(0);
        int fields = c == 'f' ? 1 : 2;
        if (c != 'a' && c != 'r' && c != 'f') {
            TraceReader.bad(lines, sink, line, "an op is a, r or f");
            return;
        }
        if (!t.next()) {
            TraceReader.bad(lines, sink, line, "no id");
            return;
        }
        long id = t.number();
        if (id == Tokens.BAD) {
            TraceReader.bad(lines, sink, line, "the id is not a number");
            return;
        }
        long size = 0;
        if (fields == 2) {
            if (!t.next()) {
                TraceReader.bad(lines, sink, line, "no size");
                return;
            }
            size = t.number();
            if (size == Tokens.BAD) {
                TraceReader.bad(lines, sink, line, "the size is not a number");
                return;
            }
        }
        if (!t.atEnd()) {
            TraceReader.bad(lines, sink, line, "extra fields");
            return;
        }
        int n = lines.number();
        switch (c) {
            case 'a' -> sink.malloc(n, id, size);
            case 'r' -> sink.realloc(n, id, size);
            default -> sink.free(n, id);
        }
    }
}
