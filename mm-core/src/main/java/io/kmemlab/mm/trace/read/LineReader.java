package io.kmemlab.mm.trace.read;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Splits a byte stream into lines in one reusable buffer: no String, no copy per line. A line
 * longer than the buffer is returned cut at the buffer size with {@link #overlong()} set, and the
 * rest of it is skipped, so one endless line of garbage cannot grow memory.
 */
final class LineReader {
    /** Little-endian longs over a byte array. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

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

    /**
     * Index of the first {@code '\n'} in {@code b[from, to)}, or -1; eight bytes at a time (the
     * "has a zero byte" test of bithacks on the word XOR newlines, whose lowest flagged byte is
     * exactly the first newline: a borrow only flags bytes above a real match).
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long y = (long) LONGS.get(b, i) ^ 0x0a0a0a0a0a0a0a0aL;
            long zero = (y - 0x0101010101010101L) & ~y & 0x8080808080808080L;
            if (zero != 0) {
                return i + (Long.numberOfTrailingZeros(zero) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Advances to the next line; false at the end of the stream. */
    boolean next() throws IOException {
        overlong = false;
        while (true) {
            int i;
            while ((i = indexOfNewline(buf, scan, end)) >= 0) {
                if (skipping) {
                    skipping = false;
                    start = i + 1;
                    scan = start;
                    continue;
                }
                lineStart = start;
                lineEnd = i;
                start = i + 1;
                scan = start;
                return true;
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
