package io.kmemlab.boot.malloc;

import io.kmemlab.mm.user.trace.AnswerFile;
import io.kmemlab.mm.user.trace.MallocOp;
import io.kmemlab.mm.user.trace.MallocTrace;
import io.kmemlab.mm.user.trace.TraceProblem;
import java.util.List;
import java.util.Locale;

/**
 * The text and JSON of {@code malloc replay} and {@code malloc compare}: pure functions of the
 * trace, the figures ({@link MallocMetric} rows) and an answer-file comparison. With {@code --ops},
 * every line that is not an op line starts with {@code #}, so the output is an answer file itself.
 */
public final class MallocReport {
    /** One trace and what each allocator did with it. */
    public record TraceRuns(MallocTrace trace, List<MallocFigures> runs) {}

    private MallocReport() {}

    /** {@code trace: mawk.rep (rep, 833 ops: 692 malloc, 7 realloc, 134 free; 837 lines, 0 problems)}. */
    public static String header(MallocTrace t) {
        StringBuilder sb = new StringBuilder("trace: ")
                .append(t.name())
                .append(" (")
                .append(t.format().cliName())
                .append(", ")
                .append(t.size())
                .append(" ops:");
        String sep = " ";
        for (MallocOp op : MallocOp.values()) {
            long c = t.count(op);
            if (c > 0) {
                sb.append(sep).append(c).append(' ').append(op.name().toLowerCase(Locale.ROOT));
                sep = ", ";
            }
        }
        sb.append("; ")
                .append(t.linesRead())
                .append(" lines, ")
                .append(t.totalProblems())
                .append(" problems");
        if (t.liveIdReuses() > 0) {
            sb.append(", ").append(t.liveIdReuses()).append(" allocations of a live id (the old block leaks)");
        }
        return sb.append(')').toString();
    }

    /** {@code problems: 2 free of a freed id, 1 truncated file} (empty when none). */
    public static String problemSummary(MallocTrace t) {
        if (t.totalProblems() == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder("problems:");
        String sep = " ";
        for (TraceProblem k : TraceProblem.values()) {
            if (t.problems(k) > 0) {
                sb.append(sep).append(t.problems(k)).append(' ').append(k.description());
                sep = ", ";
            }
        }
        return sb.toString();
    }

    /** The figures side by side, one column per allocator. */
    public static String table(List<MallocFigures> runs) {
        int labelWidth = 0;
        for (MallocMetric m : MallocMetric.values()) {
            labelWidth = Math.max(labelWidth, m.label().length());
        }
        int[] widths = new int[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            widths[i] = Math.max(12, runs.get(i).allocator().length() + 2);
            for (MallocMetric m : MallocMetric.values()) {
                widths[i] = Math.max(widths[i], m.cell(runs.get(i)).length() + 2);
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("", labelWidth));
        for (int i = 0; i < runs.size(); i++) {
            sb.append(left(runs.get(i).allocator(), widths[i]));
        }
        sb.append('\n');
        for (MallocMetric m : MallocMetric.values()) {
            sb.append(pad(m.label(), labelWidth));
            for (int i = 0; i < runs.size(); i++) {
                sb.append(left(m.cell(runs.get(i)), widths[i]));
            }
            sb.append('\n');
        }
        for (MallocFigures f : runs) {
            if (f.diedAt() > 0) {
                sb.append(f.allocator())
                        .append(": process ")
                        .append(f.pid())
                        .append(' ')
                        .append(f.death())
                        .append(" at line ")
                        .append(f.diedAt())
                        .append('\n');
            }
            if (f.dataErrors() > 0) {
                sb.append(f.allocator())
                        .append(": ")
                        .append(f.dataErrors())
                        .append(" blocks with wrong bytes (realloc lost data or calloc not zeroed), the first at line ")
                        .append(f.firstDataErrorLine())
                        .append('\n');
            }
            for (String v : f.invalid()) {
                sb.append(f.allocator()).append(": validate: ").append(v).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code check against mawk.glibc-2.36.out: 700 of 712 lines identical (98.3%) …}. */
    public static String check(
            String answers, AnswerFile a, AnswerFile.Comparison c, List<String> ours, MallocFigures f) {
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "check against %s: %d of %d lines identical (%.1f%%); offsets equal %d, usable sizes equal %d%n",
                answers,
                c.identical(),
                Math.max(c.answerOps(), c.ourOps()),
                100 * c.identicalShare(),
                c.samePlace(),
                c.sameUsable()));
        if (c.answerOps() != c.ourOps()) {
            sb.append(String.format(
                    Locale.ROOT, "  the answer has %d op lines, the replay %d%n", c.answerOps(), c.ourOps()));
        }
        String theirs = brkEndOffset(a);
        if (theirs != null) {
            String mine = Long.toHexString(f.brkEndOffset());
            sb.append("  brk_end_offset: answer ")
                    .append(theirs)
                    .append(", replay ")
                    .append(mine)
                    .append(theirs.equals(mine) ? " (equal)" : " (differ)")
                    .append('\n');
        }
        if (c.firstDifference() >= 0) {
            int i = c.firstDifference();
            sb.append("  first difference at op line ")
                    .append(i + 1)
                    .append(": answer '")
                    .append(i < a.ops().size() ? a.ops().get(i) : "(none)")
                    .append("', replay '")
                    .append(i < ours.size() ? ours.get(i) : "(none)")
                    .append("'\n");
        }
        return sb.toString();
    }

    /** The {@code # brk_end_offset HEX} of an answer file's trailer (glibc's), or null. */
    static String brkEndOffset(AnswerFile a) {
        for (String l : a.trailer()) {
            if (l.startsWith("# brk_end_offset ")) {
                return l.substring("# brk_end_offset ".length()).trim();
            }
        }
        return null;
    }

    /** Prefixes every line with {@code # } (the non-op lines of an {@code --ops} output). */
    public static String commented(String text) {
        if (text.isEmpty()) {
            return text;
        }
        StringBuilder sb = new StringBuilder();
        for (String l : text.split("\n", -1)) {
            if (!l.isEmpty() || sb.length() > 0) {
                sb.append("# ").append(l).append('\n');
            }
        }
        String s = sb.toString();
        return s.endsWith("# \n") ? s.substring(0, s.length() - 3) : s;
    }

    /**
     * The JSON document: {@code {"command": …, "machine": …, "traces": [{"trace": {…}, "runs": [{…}]}]}},
     * with {@code "ops"} (replay --ops) and {@code "check"} (replay --check) on a run when asked.
     */
    public static String json(
            String command,
            String machine,
            List<TraceRuns> traces,
            List<String> ops,
            AnswerFile.Comparison check,
            String answers) {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"command\": ").append(q(command)).append(",\n");
        sb.append("  \"machine\": ").append(q(machine)).append(",\n");
        sb.append("  \"traces\": [");
        for (int t = 0; t < traces.size(); t++) {
            TraceRuns tr = traces.get(t);
            MallocTrace tc = tr.trace();
            sb.append(t == 0 ? "\n" : ",\n").append("    {\n");
            sb.append("      \"trace\": {\"name\": ").append(q(tc.name()));
            sb.append(", \"format\": ").append(q(tc.format().cliName()));
            sb.append(", \"ops\": ").append(tc.size());
            sb.append(", \"lines\": ").append(tc.linesRead());
            sb.append(", \"live_id_reuses\": ").append(tc.liveIdReuses());
            for (MallocOp op : MallocOp.values()) {
                sb.append(", \"")
                        .append(op.name().toLowerCase(Locale.ROOT))
                        .append("\": ")
                        .append(tc.count(op));
            }
            sb.append(",\n        \"problems\": {");
            String sep = "";
            for (TraceProblem k : TraceProblem.values()) {
                sb.append(sep).append(q(k.key())).append(": ").append(tc.problems(k));
                sep = ", ";
            }
            sb.append("},\n        \"reported\": [");
            sep = "";
            for (MallocTrace.Problem p : tc.reportedProblems()) {
                sb.append(sep)
                        .append("{\"line\": ")
                        .append(p.line())
                        .append(", \"kind\": ")
                        .append(q(p.kind().key()))
                        .append(", \"detail\": ")
                        .append(q(p.detail()))
                        .append('}');
                sep = ", ";
            }
            sb.append("]},\n      \"runs\": [");
            for (int r = 0; r < tr.runs().size(); r++) {
                MallocFigures f = tr.runs().get(r);
                sb.append(r == 0 ? "\n" : ",\n")
                        .append("        {\"allocator\": ")
                        .append(q(f.allocator()));
                sb.append(", \"pid\": ").append(f.pid());
                for (MallocMetric m : MallocMetric.values()) {
                    sb.append(", ").append(q(m.key())).append(": ").append(m.json(f));
                }
                sb.append(", \"died_at_line\": ").append(f.diedAt());
                sb.append(", \"death\": ").append(q(f.death()));
                sb.append(", \"invalid\": [");
                for (int i = 0; i < f.invalid().size(); i++) {
                    sb.append(i == 0 ? "" : ", ").append(q(f.invalid().get(i)));
                }
                sb.append(']');
                if (check != null) {
                    sb.append(",\n         \"check\": {\"answers\": ").append(q(answers));
                    sb.append(", \"answer_ops\": ").append(check.answerOps());
                    sb.append(", \"replay_ops\": ").append(check.ourOps());
                    sb.append(", \"identical\": ").append(check.identical());
                    sb.append(", \"identical_share\": ")
                            .append(String.format(Locale.ROOT, "%.6f", check.identicalShare()));
                    sb.append(", \"same_offset\": ").append(check.samePlace());
                    sb.append(", \"same_usable\": ").append(check.sameUsable());
                    sb.append(", \"first_difference\": ")
                            .append(check.firstDifference())
                            .append('}');
                }
                if (ops != null) {
                    sb.append(",\n         \"ops\": [");
                    for (int i = 0; i < ops.size(); i++) {
                        sb.append(i == 0 ? "" : ", ").append(q(ops.get(i)));
                    }
                    sb.append(']');
                }
                sb.append('}');
            }
            sb.append("\n      ]\n    }");
        }
        sb.append("\n  ]\n}\n");
        return sb.toString();
    }

    static String q(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    private static String pad(String s, int w) {
        StringBuilder sb = new StringBuilder(s);
        while (sb.length() < w) {
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String left(String s, int w) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() + s.length() < w) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }
}
