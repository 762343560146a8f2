package io.kmemlab.mm.user.trace;

import java.io.IOException;
import java.io.Reader;

/**
 * Lines of a trace with their numbers, and whether the last one was cut off (no newline at the end
 * of the file: the mark of a trace whose writer died or whose copy stopped short). A line ending in
 * {@code \r\n} loses the {@code \r}.
 */
final class TraceLines {
    private final Reader in;
    private final StringBuilder sb = new StringBuilder(128);
    private int number;
    private boolean unterminated;
    private boolean eof;

    TraceLines(Reader in) {
        this.in = in;
    }

    /** The next line, or null at the end. */
    String next() throws IOException {
        if (eof) {
            return null;
        }
        sb.setLength(0);
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            sb.append((char) c);
        }
        if (c < 0) {
            eof = true;
            if (sb.length() == 0) {
                return null;
            }
            unterminated = true;
        }
        number++;
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\r') {
            sb.setLength(len - 1);
        }
        return sb.toString();
    }

    /** The number of the line {@link #next} returned last (from 1). */
    int number() {
        return number;
    }

    /** True if the line {@link #next} returned last is the file's last and has no newline. */
    boolean cutOff() {
        return eof && unterminated;
    }
}
