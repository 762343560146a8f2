package io.kmemlab.boot.cli;

import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.util.Locale;

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

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static final class Converter extends CliEnum<InputFormat> {
        Converter() {
            super(InputFormat.class, "format");
        }
    }
}
