package io.kmemlab.mm.user.trace;

import java.io.IOException;

/** Reads one trace format line by line into a sink; the text's problems go to the sink too. */
interface TraceReader {
    void read(TraceLines lines, MallocTraceSink sink) throws IOException;

    /** MALFORMED, or TRUNCATED when the bad line is the file's last and has no newline. */
    static void bad(TraceLines lines, MallocTraceSink sink, String line, String why) {
        if (lines.cutOff()) {
            sink.problem(lines.number(), TraceProblem.TRUNCATED, "last line cut off: '" + line + "'");
        } else {
            sink.problem(
                    lines.number(), TraceProblem.MALFORMED, "'" + line + "'" + (why.isEmpty() ? "" : " (" + why + ")"));
        }
    }
}
