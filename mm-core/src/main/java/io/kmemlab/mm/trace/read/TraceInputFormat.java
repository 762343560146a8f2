package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.trace.Symbols;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

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

    /** The text forms kmemlab reads, for the message that rejects any other. */
    public static final String FORMS = "tracefs trace or trace_pipe (with any of the trace_options context-info,"
            + " irq-info, latency-format, record-tgid, print-parent, sym-offset, sym-addr, hash-ptr, on or off),"
            + " trace-cmd report (default, -N, -R, -t, -l), perf script of perf record -e 'kmem:*' or of"
            + " perf kmem record (with call chains or -G), kmemlab's own --emit-trace, malloc-lab .rep";

    /**
     * Guesses the format from the first lines: malloc-lab if the first non-comment line is a bare
     * number and an {@code a}/{@code r}/{@code f} operation follows the header; ftrace if a line
     * has a {@code [cpu]} field followed by {@code ": "}, parses as a kmem event (the
     * latency-format and nocontext-info forms have no {@code [cpu]}), or is kmemlab's
     * {@code # kmemlab cache:} comment; null if neither.
     */
    public static TraceInputFormat detect(byte[] head, int len) {
        FtraceLineParser ftrace = new FtraceLineParser(null);
        TraceLine line = new TraceLine();
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
                } else if (hasCpuField(head, s, e) || ftrace.parse(head, s, e, lines, line) == TraceLine.Kind.EVENT) {
                    return FTRACE;
                }
            }
            p = e + 1;
        }
        return null;
    }

    /** The kmem event names by tracefs id of Linux 6.18.44, for {@link #fieldlessForm}. */
    private static final Map<Integer, String> EVENT_IDS_6_18 = eventIds("kmem-event-ids-6.18.txt");

    private static Map<Integer, String> eventIds(String resource) {
        Map<Integer, String> ids = new TreeMap<>();
        try (InputStream in = TraceInputFormat.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new ExceptionInInitializerError("missing resource " + resource);
            }
            for (String l : new String(in.readAllBytes(), StandardCharsets.US_ASCII).split("\n")) {
                String[] w = l.trim().split(" ");
                if (w.length == 2 && !l.startsWith("#")) {
                    ids.put(Integer.parseInt(w[0]), w[1]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /**
     * Why the head is a tracefs trace printed with the {@code raw} or {@code hex} trace_option, or
     * null if it is not. With either option the kernel prints a trace event through
     * trace_nop_print(): its pid, CPU and timestamp (decimal, or hex digits) and {@code type: N},
     * the event's id, but none of its fields, so there is nothing to replay. The reason names the
     * events the ids stand for on Linux 6.18.44 and how to print the fields.
     */
    public static String fieldlessForm(byte[] head, int len) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        boolean hex = false;
        int lines = 0;
        int p = 0;
        while (p < len) {
            int e = p;
            while (e < len && head[e] != '\n') {
                e++;
            }
            if (e == len && lines > 0) {
                // The probe's last line, cut short.
                break;
            }
            String l = new String(head, p, e - p, StandardCharsets.ISO_8859_1).trim();
            p = e + 1;
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] w = l.split(" +");
            if (w.length != 5 || !w[3].equals("type:") || !w[4].chars().allMatch(Character::isDigit)) {
                return null;
            }
            for (int i = 0; i < 3; i++) {
                if (!w[i].chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                    return null;
                }
            }
            // print_hex_fmt() puts pid and CPU as 8 hex digits, the timestamp as 16.
            hex = w[0].length() == 8 && w[1].length() == 8 && w[2].length() == 16;
            String name = EVENT_IDS_6_18.getOrDefault(Integer.parseInt(w[4]), "event " + w[4]);
            seen.merge(name, 1, Integer::sum);
            lines++;
        }
        if (lines == 0) {
            return null;
        }
        StringBuilder names = new StringBuilder();
        seen.forEach((n, c) -> names.append(names.length() == 0 ? "" : ", ").append(n));
        return "a tracefs trace printed with trace_options '" + (hex ? "hex" : "raw") + "': the kernel prints each"
                + " event as 'type: N' (its id: here " + names + " on Linux 6.18.44) with none of its fields,"
                + " so there is nothing to replay; print the trace again after 'echo no" + (hex ? "hex" : "raw")
                + " > trace_options' (the buffer still holds it), or use trace-cmd report -R";
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
