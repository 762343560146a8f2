package io.kmemlab.mm.trace.read;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines in one reusable buffer: no String, no copy per line. A line
 * longer than the buffer is returned cut at the buffer size with {@link #overlong()} set, and the
 * rest of it is skipped, so one endless line of garbage cannot grow memory.
 */
final class LineReader {
    static final int BUFFER = 1 << 16;

    private final InputStream in;
    private final byte[] buf = new byte[BUFFER];
    private int start;
    private int scan;
    private int end;
    private boolean eof;
    private boolean skipping;
    private int lineStart;
    private int lineEnd;
    private boolean overlong;

    LineReader(InputStream in) {
        this.in = in;
    }

    byte[] buffer() {
        return buf;
    }

    int lineStart() {
        return lineStart;
    }

    int lineEnd() {
        return lineEnd;
    }

    boolean overlong() {
        return overlong;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        overlong = false;
        while (true) {
            for (int i = scan; i < end; i++) {
                if (buf[i] == '\n') {
                    if (skipping) {
                        skipping = false;
                        start = i + 1;
                        scan = start;
                        i = scan - 1;
                        continue;
                    }
                    lineStart = start;
                    lineEnd = i;
                    start = i + 1;
                    scan = start;
                    return true;
                }
            }
            scan = end;
            if (eof) {
                if (start < end && !skipping) {
                    lineStart = start;
                    lineEnd = end;
                    start = end;
                    scan = end;
                    return true;
                }
                return false;
            }
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scan -= start;
                start = 0;
            }
            if (end == buf.length) {
                if (skipping) {
                    end = 0;
                    scan = 0;
                } else {
                    // A line longer than the buffer: hand out what we have, skip to its end.
                    lineStart = 0;
                    lineEnd = end;
                    overlong = true;
                    skipping = true;
                    start = end;
                    scan = end;
                    return true;
                }
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                eof = true;
            } else {
                end += n;
            }
        }
    }
}
