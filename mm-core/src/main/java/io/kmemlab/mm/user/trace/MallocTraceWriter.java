package io.kmemlab.mm.user.trace;

import java.io.IOException;
import java.io.Writer;

/**
 * Writes a trace in kmemlab's own format ({@link KmemlabTraceReader}): the operations a replay
 * applied, with calloc and memalign kept as themselves.
 */
public final class MallocTraceWriter {
    private MallocTraceWriter() {}

    /** Writes every operation of {@code trace}. */
    public static void write(MallocTrace trace, Writer out) throws IOException {
        out.write(KmemlabTraceReader.MAGIC + "\n");
        out.write("# from " + trace.name() + " (" + trace.format().cliName() + ")\n");
        StringBuilder sb = new StringBuilder(64);
        for (int i = 0; i < trace.size(); i++) {
            sb.setLength(0);
            MallocOp op = trace.op(i);
            sb.append(op.letter()).append(' ').append(trace.id(i));
            switch (op) {
                case CALLOC, MEMALIGN ->
                    sb.append(' ').append(trace.arg(i)).append(' ').append(trace.requestSize(i));
                case MALLOC, REALLOC -> sb.append(' ').append(trace.requestSize(i));
                case FREE -> {}
            }
            out.write(sb.append('\n').toString());
        }
        out.write(KmemlabTraceReader.END + trace.size() + " ops\n");
    }
}
