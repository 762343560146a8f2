package io.kmemlab.boot.lab;

import java.util.List;

/**
 * {@code lab check}'s report for the page-allocator and slab levels (the malloc level's is {@link
 * MallocLab#checkReport}, whose repros are {@code .rep} traces): a line per trace, then the first
 * failures in words, each with the script that reproduces it — run on the student's allocator by
 * {@code lab check DIR --trace FILE}, on kmemlab's own by {@code ./kmemlab run FILE} or by pasting
 * it into {@code ./kmemlab shell}.
 */
final class LabReport {
    /** One trace's outcome as the report shows it. */
    record Row(
            String trace,
            int ops,
            MallocRun.Failure failure,
            List<String> notes,
            String reproPath,
            List<String> reproLines) {}

    private LabReport() {}

    static String check(String who, String reference, List<Row> rows, String dir) {
        StringBuilder sb = new StringBuilder();
        sb.append("lab check: ").append(who).append('\n');
        sb.append(String.format("%-12s %7s  %s%n", "trace", "ops", "result"));
        int passed = 0;
        for (Row r : rows) {
            String res;
            if (r.failure() == null) {
                passed++;
                res = r.notes().isEmpty()
                        ? "ok"
                        : "ok, but check() reported " + r.notes().size() + " problem(s)";
            } else {
                res = r.failure().opIndex() < 0
                        ? "FAILED in init"
                        : "FAILED at operation " + (r.failure().opIndex() + 1);
            }
            sb.append(String.format("%-12s %7d  %s%n", r.trace(), r.ops(), res));
        }
        int detailed = 0;
        for (Row r : rows) {
            if (!r.notes().isEmpty()) {
                sb.append('\n').append(r.trace()).append(": your check() reported:\n");
                for (String n : r.notes().subList(0, Math.min(r.notes().size(), 10))) {
                    sb.append("  ").append(n).append('\n');
                }
            }
            if (r.failure() == null || ++detailed > MallocLab.DETAILED_FAILURES) {
                continue;
            }
            MallocRun.Failure x = r.failure();
            sb.append('\n');
            sb.append("FAILED ").append(r.trace());
            if (x.opIndex() >= 0 && x.opIndex() < r.ops()) {
                sb.append(", operation ").append(x.opIndex() + 1).append(" of ").append(r.ops());
            }
            sb.append(": ").append(x.op()).append('\n');
            sb.append("  what happened: ").append(x.problem()).append('\n');
            sb.append("  expected:      ").append(x.expected()).append('\n');
            sb.append("  state:         ").append(x.state()).append('\n');
            List<String> ops = r.reproLines();
            sb.append("  reproduce with the ")
                    .append(ops.size())
                    .append("-operation script ")
                    .append(r.reproPath())
                    .append(":\n");
            sb.append("    ./kmemlab lab check ")
                    .append(dir)
                    .append(" --trace ")
                    .append(r.reproPath())
                    .append('\n');
            sb.append("  (paste it into ./kmemlab shell, or ./kmemlab run it, to see ")
                    .append(reference)
                    .append(" do the same)\n");
            int show = Math.min(ops.size(), 12);
            for (int i = ops.size() - show; i < ops.size(); i++) {
                sb.append(i == ops.size() - show && i > 0 ? "    … " + i + " earlier operations\n" : "");
                sb.append("    ").append(ops.get(i)).append('\n');
            }
        }
        int failed = rows.size() - passed;
        if (failed > MallocLab.DETAILED_FAILURES) {
            sb.append("\n(")
                    .append(failed - MallocLab.DETAILED_FAILURES)
                    .append(" more failing traces not shown: fix these first)\n");
        }
        sb.append('\n').append(passed).append(" of ").append(rows.size()).append(" traces passed.\n");
        return sb.toString();
    }
}
