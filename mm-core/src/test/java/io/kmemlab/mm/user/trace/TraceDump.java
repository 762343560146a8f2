package io.kmemlab.mm.user.trace;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;

/** A read trace as text for golden files: its recording, then its problems. */
final class TraceDump {
    private TraceDump() {}

    static String dump(MallocTrace t) {
        StringWriter w = new StringWriter();
        try {
            MallocTraceWriter.write(t, w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sb = new StringBuilder(w.toString());
        sb.append("# ")
                .append(t.linesRead())
                .append(" lines, ")
                .append(t.totalProblems())
                .append(" problems\n");
        for (MallocTrace.Problem p : t.reportedProblems()) {
            sb.append("# ").append(p.report()).append('\n');
        }
        return sb.toString();
    }
}
