package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ByteScanTest {

    /** The byte-at-a-time definition the word-at-a-time scan must agree with. */
    private static boolean reference(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            int v = b[i] & 0xff;
            if ((v < 0x20 && v != '\t') || v == 0x7f) {
                return true;
            }
        }
        return false;
    }

    @Property
    void hasControlByte_anyBytesAnyRange_agreesWithByteByByteScan(
            @ForAll @Size(max = 64) byte[] bytes,
            @ForAll @IntRange(max = 64) int a,
            @ForAll @IntRange(max = 64) int b) {
        int from = Math.min(Math.min(a, b), bytes.length);
        int to = Math.min(Math.max(a, b), bytes.length);
        assertThat(FtraceLineParser.hasControlByte(bytes, from, to)).isEqualTo(reference(bytes, from, to));
    }

    @Test
    void hasControlByte_eachSingleBytePlantedInText_agreesWithByteByByteScan() {
        byte[] line = "  bash-1234  [001] .....  12.345678: kmalloc: call_site=foo+0x1/0x2 ptr=1".getBytes();
        for (int v = 0; v < 256; v++) {
            for (int pos = 0; pos < line.length; pos++) {
                byte[] b = line.clone();
                b[pos] = (byte) v;
                assertThat(FtraceLineParser.hasControlByte(b, 0, b.length))
                        .as("byte 0x%02x at %d", v, pos)
                        .isEqualTo(reference(b, 0, b.length));
            }
        }
    }

    @Property
    void indexOfNewline_anyBytesAnyRange_findsTheFirstNewline(
            @ForAll @Size(max = 64) byte[] bytes,
            @ForAll @IntRange(max = 64) int a,
            @ForAll @IntRange(max = 64) int b,
            @ForAll @IntRange(max = 63) int plant) {
        if (plant < bytes.length) {
            bytes[plant] = '\n';
        }
        int from = Math.min(Math.min(a, b), bytes.length);
        int to = Math.min(Math.max(a, b), bytes.length);
        int expected = -1;
        for (int i = from; i < to; i++) {
            if (bytes[i] == '\n') {
                expected = i;
                break;
            }
        }
        assertThat(LineReader.indexOfNewline(bytes, from, to)).isEqualTo(expected);
    }

    @Property
    void indexOfSpace_anyBytesAnyRange_findsTheFirstSpaceOrTo(
            @ForAll @Size(max = 64) byte[] bytes,
            @ForAll @IntRange(max = 64) int a,
            @ForAll @IntRange(max = 64) int b,
            @ForAll @IntRange(max = 63) int plant) {
        if (plant < bytes.length) {
            bytes[plant] = ' ';
        }
        int from = Math.min(Math.min(a, b), bytes.length);
        int to = Math.min(Math.max(a, b), bytes.length);
        int expected = to;
        for (int i = from; i < to; i++) {
            if (bytes[i] == ' ') {
                expected = i;
                break;
            }
        }
        assertThat(FtraceLineParser.indexOfSpace(bytes, from, to)).isEqualTo(expected);
    }

    @Test
    void hex8_everyByteInEveryLane_agreesWithDigitByDigitParse() {
        byte[] word = "0f1A9e3B".getBytes();
        for (int v = 0; v < 256; v++) {
            for (int pos = 0; pos < 8; pos++) {
                byte[] w = word.clone();
                w[pos] = (byte) v;
                long x = 0;
                for (int i = 7; i >= 0; i--) {
                    x = (x << 8) | (w[i] & 0xff);
                }
                assertThat(FtraceLineParser.hex8(x))
                        .as("byte 0x%02x at %d", v, pos)
                        .isEqualTo(referenceHex(w));
            }
        }
    }

    @Property
    void hex8_anyEightHexDigits_isTheirValue(@ForAll int value, @ForAll boolean upper) {
        String text = String.format(upper ? "%08X" : "%08x", value);
        byte[] w = text.getBytes();
        long x = 0;
        for (int i = 7; i >= 0; i--) {
            x = (x << 8) | (w[i] & 0xff);
        }
        assertThat(FtraceLineParser.hex8(x)).isEqualTo(Integer.toUnsignedLong(value));
    }

    /** Eight hex digits (either case) by Character.digit, or -1. */
    private static long referenceHex(byte[] w) {
        long r = 0;
        for (byte c : w) {
            boolean hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            if (!hex) {
                return -1;
            }
            r = (r << 4) | Character.digit(c, 16);
        }
        return r;
    }
}
