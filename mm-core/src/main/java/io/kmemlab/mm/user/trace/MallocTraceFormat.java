package io.kmemlab.mm.user.trace;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/** The user-space allocation trace formats kmemlab reads: an enum of reader factories. */
public enum MallocTraceFormat {
    REP("rep", "CS:APP malloc lab .rep", RepTraceReader::new),
    OSTEP("ostep", "OSTEP malloc.py -A op list", OstepTraceReader::new),
    MTRACE("mtrace", "glibc mtrace() log", MtraceTraceReader::new),
    KMEMLAB("kmemlab", "kmemlab malloc recording", KmemlabTraceReader::new);

    /** How many leading non-blank lines {@link #detect} looks at. */
    public static final int PROBE_LINES = 8;

    private final String cliName;
    private final String description;
    private final Supplier<TraceReader> reader;

    MallocTraceFormat(String cliName, String description, Supplier<TraceReader> reader) {
        this.cliName = cliName;
        this.description = description;
        this.reader = reader;
    }

    public String cliName() {
        return cliName;
    }

    public String description() {
        return description;
    }

    /** The format named {@code name} ({@code rep}, …), or null. */
    public static MallocTraceFormat byName(String name) {
        for (MallocTraceFormat f : values()) {
            if (f.cliName.equals(name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        return null;
    }

    /** Reads {@code in} in this format. */
    public MallocTrace read(String name, Reader in) throws IOException {
        MallocTrace.Builder b = MallocTrace.builder(name, this);
        TraceLines lines = new TraceLines(in);
        reader.get().read(lines, b);
        b.linesRead(lines.number());
        return b.build();
    }

    /** Reads {@code text} in this format (tests, the shell). */
    public MallocTrace read(String name, String text) {
        try {
            return read(name, new StringReader(text));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The format of a trace whose first non-blank lines are {@code head} (up to {@link
     * #PROBE_LINES}), or null if none fits. The kmemlab magic line, an mtrace {@code = Start} or
     * {@code @ caller} line, an OSTEP item list ({@code +10,-0}), a header of four numbers.
     */
    public static MallocTraceFormat detect(List<String> head) {
        if (head.isEmpty()) {
            return null;
        }
        String first = head.get(0).trim();
        if (first.startsWith(KmemlabTraceReader.MAGIC)) {
            return KMEMLAB;
        }
        for (String l : head) {
            String s = l.trim();
            if (s.equals("= Start") || s.startsWith("@ ") || mtraceOp(s)) {
                return MTRACE;
            }
        }
        if (ostepItems(first)) {
            return OSTEP;
        }
        Tokens t = new Tokens();
        int numbers = 0;
        for (String l : head) {
            t.reset(l);
            while (numbers < 4 && t.next()) {
                long v = t.number();
                if (v == Tokens.BAD || v < 0 || t.charAt(0) == '+') {
                    return null;
                }
                numbers++;
            }
            if (numbers == 4) {
                return REP;
            }
        }
        return null;
    }

    /** {@code + 0x… 0x…}, {@code - 0x…} and the others without a caller. */
    private static boolean mtraceOp(String s) {
        return s.length() > 4
                && "+-<>!".indexOf(s.charAt(0)) >= 0
                && s.charAt(1) == ' '
                && (s.startsWith("0x", 2) || s.startsWith("(nil)", 2));
    }

    /** {@code +10,-0,+3}: signed decimal items separated by commas. */
    static boolean ostepItems(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (String item : s.split(",", -1)) {
            String x = item.trim();
            if (x.isEmpty()) {
                continue;
            }
            if (x.length() < 2 || (x.charAt(0) != '+' && x.charAt(0) != '-')) {
                return false;
            }
            for (int i = 1; i < x.length(); i++) {
                if (x.charAt(i) < '0' || x.charAt(i) > '9') {
                    return false;
                }
            }
        }
        return true;
    }
}
