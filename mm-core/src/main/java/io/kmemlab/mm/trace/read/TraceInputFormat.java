package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.trace.Symbols;

/** The trace text formats kmemlab reads, with detection from the first bytes of a file. */
public enum TraceInputFormat {
    /** ftrace text: the {@code trace} file, {@code trace_pipe}, {@code trace-cmd report}, kmemlab's own. */
    FTRACE("ftrace"),
    /** CS:APP malloc-lab {@code .rep} traces. */
    MALLOC_LAB("malloclab");

    private final String cliName;

    TraceInputFormat(String cliName) {
        this.cliName = cliName;
    }

    /** The name the {@code --format} option takes. */
    public String cliName() {
        return cliName;
    }

    public static TraceInputFormat byCliName(String name) {
        for (TraceInputFormat f : values()) {
            if (f.cliName.equals(name)) {
                return f;
            }
        }
        return null;
    }

    /** A line parser of this format. */
    LineParser newParser(Symbols symbols) {
        if (this == MALLOC_LAB) {
            MallocLabLineParser p = new MallocLabLineParser();
            return p::parse;
        }
        FtraceLineParser p = new FtraceLineParser(symbols);
        return p::parse;
    }

    /** One line into the flyweight. */
    interface LineParser {
        TraceLine.Kind parse(byte[] buf, int from, int to, long lineNo, TraceLine out);
    }

    /**
     * True if the bytes are not text: a NUL byte, or more than 1 in 10 control or DEL bytes
     * (other than tab, CR and LF).
     */
    public static boolean looksBinary(byte[] head, int len) {
        int bad = 0;
        for (int i = 0; i < len; i++) {
            int b = head[i] & 0xff;
            if (b == 0) {
                return true;
            }
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b == 0x7f) {
                bad++;
            }
        }
        return bad * 10 > len;
    }

    /**
     * Guesses the format from the first lines: malloc-lab if the first non-comment line is a bare
     * number and an {@code a}/{@code r}/{@code f} operation follows the header; ftrace if a line
     * has a {@code [cpu]} field followed by {@code ": "}, or is kmemlab's
     * {@code # kmemlab cache:} comment; null if neither.
     */
    public static TraceInputFormat detect(byte[] head, int len) {
        int p = 0;
        int lines = 0;
        boolean numberFirst = false;
        int numbers = 0;
        while (p < len && lines < 64) {
            int e = p;
            while (e < len && head[e] != '\n') {
                e++;
            }
            int s = p;
            while (s < e && (head[s] == ' ' || head[s] == '\t')) {
                s++;
            }
            if (CacheCommentParser.matches(head, s, e)) {
                // kmemlab's own trace: a cache comment says so before any event line (a run that
                // created many caches before its first event could fill the probe with them).
                return FTRACE;
            }
            if (s < e && head[s] != '#' && head[s] != '\r') {
                lines++;
                if (MallocLabLineParser.isNumberLine(head, s, trimEnd(head, s, e))) {
                    if (lines == 1) {
                        numberFirst = true;
                    }
                    numbers++;
                } else if (numberFirst
                        && numbers <= 4
                        && e - s >= 3
                        && (head[s] == 'a' || head[s] == 'r' || head[s] == 'f')
                        && head[s + 1] == ' ') {
                    return MALLOC_LAB;
                } else if (hasCpuField(head, s, e)) {
                    return FTRACE;
                }
            }
            p = e + 1;
        }
        return null;
    }

    private static int trimEnd(byte[] b, int s, int e) {
        while (e > s && (b[e - 1] == '\r' || b[e - 1] == ' ')) {
            e--;
        }
        return e;
    }

    private static boolean hasCpuField(byte[] b, int s, int e) {
        for (int i = s; i < e; i++) {
            if (b[i] == '[') {
                int j = i + 1;
                while (j < e && b[j] >= '0' && b[j] <= '9') {
                    j++;
                }
                if (j > i + 1 && j < e && b[j] == ']') {
                    for (int k = j; k + 1 < e; k++) {
                        if (b[k] == ':' && b[k + 1] == ' ') {
                            return true;
                        }
                    }
                    return false;
                }
            }
        }
        return false;
    }
}
