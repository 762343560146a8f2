package io.kmemlab.mm.user.trace;

import java.io.IOException;

/**
 * kmemlab's own recording ({@code malloc replay --record FILE}, {@link MallocTraceWriter}): the
 * CS:APP operations plus calloc and memalign, so that a replay of the recording makes the same
 * calls, with a first line naming the format and a last line counting the operations (without it
 * the file is truncated):
 *
 * <pre>
 * # kmemlab malloc trace 1
 * # from mawk.rep (rep)
 * a ID BYTES
 * c ID NMEMB BYTES
 * m ID ALIGNMENT BYTES
 * r ID BYTES
 * f ID
 * t TID
 * # end 833 ops
 * </pre>
 *
 * {@code t TID} (a multi-threaded recording) makes the following operations thread TID's until the
 * next such line; a recording without one is all the main thread's (0), as every single-threaded
 * recording is, so older files read as before. It is not an operation and is not counted by the
 * end line. Other {@code #} lines are comments.
 */
final class KmemlabTraceReader implements TraceReader {
    static final String MAGIC = "# kmemlab malloc trace 1";
    static final String END = "# end ";

    @Override
    public void read(TraceLines lines, MallocTraceSink sink) throws IOException {
        Tokens t = new Tokens();
        long ops = 0;
        long promised = -1;
        int endLine = 0;
        String line;
        long[] f = new long[3];
        while ((line = lines.next()) != null) {
            if (line.startsWith("#")) {
                if (line.startsWith(END)) {
                    t.reset(line.substring(END.length()));
                    promised = t.next() ? t.number() : Tokens.BAD;
                    endLine = lines.number();
                    if (promised == Tokens.BAD) {
                        TraceReader.bad(lines, sink, line, "the end line counts the ops: # end N ops");
                        promised = -1;
                    }
                }
                continue;
            }
            t.reset(line);
            if (!t.next()) {
                continue;
            }
            if (t.length() == 1 && t.charAt(0) == 't') {
                long tid = t.next() ? t.number() : Tokens.BAD;
                if (tid == Tokens.BAD || !t.atEnd() || tid > Integer.MAX_VALUE) {
                    TraceReader.bad(lines, sink, line, "a thread line is t TID");
                } else {
                    sink.thread(lines.number(), (int) tid);
                }
                continue;
            }
            ops++;
            if (endLine > 0) {
                sink.problem(lines.number(), TraceProblem.MALFORMED, "'" + line + "' (after the end line)");
                continue;
            }
            char c = t.length() == 1 ? t.charAt(0) : '?';
            int fields = switch (c) {
                case 'f' -> 1;
                case 'a', 'r' -> 2;
                case 'c', 'm' -> 3;
                default -> 0;
            };
            if (fields == 0) {
                TraceReader.bad(lines, sink, line, "an op is a, c, m, r or f");
                continue;
            }
            boolean ok = true;
            for (int i = 0; i < fields && ok; i++) {
                f[i] = t.next() ? t.number() : Tokens.BAD;
                ok = f[i] != Tokens.BAD;
            }
            if (!ok || !t.atEnd()) {
                TraceReader.bad(lines, sink, line, ok ? "extra fields" : "missing or bad field");
                continue;
            }
            int n = lines.number();
            switch (c) {
                case 'a' -> sink.malloc(n, f[0], f[1]);
                case 'c' -> sink.calloc(n, f[0], f[1], f[2]);
                case 'm' -> sink.memalign(n, f[0], f[1], f[2]);
                case 'r' -> sink.realloc(n, f[0], f[1]);
                default -> sink.free(n, f[0]);
            }
        }
        if (endLine == 0) {
            sink.problem(
                    lines.number() + 1,
                    TraceProblem.TRUNCATED,
                    "no '# end N ops' line (the recording stops after " + ops + " ops)");
        } else if (promised >= 0 && promised != ops) {
            sink.problem(
                    endLine, TraceProblem.TRUNCATED, "the end line counts " + promised + " ops, the file has " + ops);
        }
    }
}
