package io.kmemlab.mm.user.trace;

import io.kmemlab.mm.LongLongMap;
import java.io.IOException;

/**
 * glibc's {@code mtrace()} logs ({@code MALLOC_TRACE=file} with {@code libc_malloc_debug.so}
 * preloaded, glibc 2.34 and later): an optional {@code @ CALLER} then
 *
 * <pre>
 *   + ADDR SIZE     malloc, calloc (n·s), memalign, posix_memalign, realloc(NULL, n); ADDR (nil) if it failed
 *   - ADDR          free (free(NULL) is not logged), realloc(p, 0)
 *   &lt; OLD           realloc, the old pointer …
 *   &gt; NEW SIZE      … and the new one, on the next line
 *   ! OLD SIZE      a realloc that failed (the old block stays)
 * </pre>
 *
 * between {@code = Start} and {@code = End} (the end is missing when the program exits without
 * muntrace()). Addresses become ids in order of allocation; a free of an address never allocated is
 * what mtrace.pl calls "Free N was never alloc'd". A {@code <} of an unknown address (a block from
 * before tracing began) is reported, and its {@code >} replays as a malloc. Sizes are hex with 0x.
 */
final class MtraceTraceReader implements TraceReader {
    /** What the map of live addresses returns for an address with no id (ids are never negative). */
    private static final long MISSING = -1;

    @Override
    public void read(TraceLines lines, MallocTraceSink sink) throws IOException {
        LongLongMap live = new LongLongMap(MISSING, 512);
        Tokens t = new Tokens();
        long next = 0;
        long pendingOld = MISSING;
        boolean pending = false;
        int pendingLine = 0;
        String line;
        while ((line = lines.next()) != null) {
            t.reset(line);
            if (!t.next()) {
                continue;
            }
            if (t.length() == 1 && t.charAt(0) == '=') {
                continue;
            }
            if (t.length() == 1 && t.charAt(0) == '@') {
                if (!t.next() || !t.next()) {
                    TraceReader.bad(lines, sink, line, "a caller and no operation");
                    continue;
                }
            }
            if (t.length() != 1 || "+-<>!".indexOf(t.charAt(0)) < 0) {
                TraceReader.bad(lines, sink, line, "the operation is one of + - < > !");
                continue;
            }
            char op = t.charAt(0);
            if (pending && op != '>') {
                sink.problem(pendingLine, TraceProblem.MALFORMED, "'<' not followed by its '>' line");
                pending = false;
            }
            long addr = t.next() ? address(t) : Tokens.BAD;
            if (addr == Tokens.BAD) {
                TraceReader.bad(lines, sink, line, "no address");
                continue;
            }
            long size = 0;
            if (op == '+' || op == '>' || op == '!') {
                size = t.next() ? t.hex() : Tokens.BAD;
                if (size == Tokens.BAD) {
                    TraceReader.bad(lines, sink, line, "no size (hex, 0x…)");
                    continue;
                }
                if (size < 0) {
                    size = Long.MAX_VALUE;
                }
            }
            if (!t.atEnd()) {
                TraceReader.bad(lines, sink, line, "extra fields");
                continue;
            }
            int n = lines.number();
            switch (op) {
                case '+' -> {
                    long id = next++;
                    if (addr != 0) {
                        if (live.get(addr) != MISSING) {
                            sink.problem(
                                    n,
                                    TraceProblem.LIVE_ADDRESS,
                                    "+ 0x" + Long.toHexString(addr) + " is live already (a free is missing)");
                        }
                        live.put(addr, id);
                    }
                    sink.malloc(n, id, size);
                }
                case '-' -> {
                    long id = live.remove(addr);
                    if (id == MISSING) {
                        sink.problem(n, TraceProblem.UNKNOWN_ADDRESS, "- 0x" + Long.toHexString(addr));
                    } else {
                        sink.free(n, id);
                    }
                }
                case '<' -> {
                    pending = true;
                    pendingLine = n;
                    pendingOld = live.remove(addr);
                    if (pendingOld == MISSING) {
                        sink.problem(
                                n,
                                TraceProblem.UNKNOWN_ADDRESS,
                                "< 0x" + Long.toHexString(addr) + " (realloc of it replays as malloc)");
                    }
                }
                case '>' -> {
                    if (!pending) {
                        TraceReader.bad(lines, sink, line, "'>' without its '<' line");
                        continue;
                    }
                    pending = false;
                    long id = pendingOld == MISSING ? next++ : pendingOld;
                    if (addr != 0) {
                        live.put(addr, id);
                    }
                    if (pendingOld == MISSING) {
                        sink.malloc(n, id, size);
                    } else {
                        sink.realloc(n, id, size);
                    }
                }
                default -> {
                    long id = live.get(addr);
                    if (id == MISSING) {
                        sink.problem(n, TraceProblem.UNKNOWN_ADDRESS, "! 0x" + Long.toHexString(addr));
                    } else {
                        sink.realloc(n, id, size);
                    }
                }
            }
        }
        if (pending) {
            sink.problem(pendingLine, TraceProblem.TRUNCATED, "the file ends after '<' without its '>' line");
        }
    }

    /** A pointer as glibc prints it with %p: 0x… or (nil) (returned as 0). */
    private static long address(Tokens t) {
        if (t.text().equals("(nil)")) {
            return 0;
        }
        return t.hex();
    }
}
