package io.kmemlab.mm.user.trace;

/**
 * A whitespace tokenizer over one line, without regular expressions or an array of words: the
 * readers take their fields one at a time and say which one is missing or wrong.
 */
final class Tokens {
    /** What {@link #number} returns for a field that is not a number. */
    static final long BAD = Long.MIN_VALUE;

    private String s;
    private int pos;
    private int start;
    private int end;

    Tokens reset(String line) {
        this.s = line;
        this.pos = 0;
        return this;
    }

    /** Moves to the next field; false at the end of the line. */
    boolean next() {
        int n = s.length();
        while (pos < n && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        if (pos >= n) {
            start = end = n;
            return false;
        }
        start = pos;
        while (pos < n && !Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
        end = pos;
        return true;
    }

    /** The current field. */
    String text() {
        return s.substring(start, end);
    }

    int length() {
        return end - start;
    }

    char charAt(int i) {
        return s.charAt(start + i);
    }

    /** True if nothing but whitespace follows the current field. */
    boolean atEnd() {
        int n = s.length();
        int p = pos;
        while (p < n && Character.isWhitespace(s.charAt(p))) {
            p++;
        }
        return p >= n;
    }

    /** The current field as a decimal number (a leading '-' allowed), or {@link #BAD}. */
    long number() {
        return decimal(s, start, end);
    }

    /** The current field as {@code 0x}-prefixed hex (or a bare {@code 0}), unsigned, or {@link #BAD}. */
    long hex() {
        return hex(s, start, end);
    }

    static long decimal(CharSequence s, int from, int to) {
        boolean neg = false;
        int i = from;
        if (i < to && (s.charAt(i) == '-' || s.charAt(i) == '+')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        if (i >= to || to - i > 18) {
            return to - i > 18 && allDigits(s, i, to) ? (neg ? -Long.MAX_VALUE : Long.MAX_VALUE) : BAD;
        }
        long v = 0;
        for (; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return BAD;
            }
            v = v * 10 + (c - '0');
        }
        return neg ? -v : v;
    }

    private static boolean allDigits(CharSequence s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static long hex(CharSequence s, int from, int to) {
        if (to - from == 1 && s.charAt(from) == '0') {
            return 0;
        }
        if (to - from < 3 || s.charAt(from) != '0' || (s.charAt(from + 1) != 'x' && s.charAt(from + 1) != 'X')) {
            return BAD;
        }
        if (to - from - 2 > 16) {
            return BAD;
        }
        long v = 0;
        for (int i = from + 2; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                return BAD;
            }
            v = (v << 4) | d;
        }
        return v;
    }
}
