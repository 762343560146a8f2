package io.kmemlab.boot.cli;

import io.kmemlab.mm.trace.read.TraceInputFormat;

/** {@code --format}: the trace format to read, or {@code auto} to detect it from the file's head. */
enum InputFormat {
    AUTO(null),
    FTRACE(TraceInputFormat.FTRACE),
    MALLOCLAB(TraceInputFormat.MALLOC_LAB);

    private final TraceInputFormat format;

    InputFormat(TraceInputFormat format) {
        this.format = format;
    }

    /** The format to force, or null to detect it. */
    TraceInputFormat forced() {
        return format;
    }

    /** The word {@code --format} takes: the trace format's own name. */
    @Override
    public String toString() {
        return format == null ? "auto" : format.cliName();
    }

    static final class Converter extends CliEnum<InputFormat> {
        Converter() {
            super(InputFormat.class, "format");
        }
    }
}
