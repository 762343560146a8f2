package io.kmemlab.mm.user.trace;

import java.io.IOException;

/**
 * OSTEP's {@code malloc.py -A} operation lists: {@code +N} allocates N bytes into the next pointer
 * ({@code ptr[0]}, {@code ptr[1]}, … in order), {@code -I} frees {@code ptr[I]}. Items are separated
 * by commas; a file may spread them over lines.
 */
final class OstepTraceReader implements TraceReader {
    @Override
    public void read(TraceLines lines, MallocTraceSink sink) throws IOException {
        long next = 0;
        String line;
        while ((line = lines.next()) != null) {
            int n = line.length();
            int i = 0;
            while (i < n) {
                int from = i;
                while (i < n && line.charAt(i) != ',') {
                    i++;
                }
                int a = from;
                int b = i;
                while (a < b && Character.isWhitespace(line.charAt(a))) {
                    a++;
                }
                while (b > a && Character.isWhitespace(line.charAt(b - 1))) {
                    b--;
                }
                i++;
                if (a == b) {
                    continue;
                }
                char sign = line.charAt(a);
                long v = Tokens.decimal(line, a + 1, b);
                if ((sign != '+' && sign != '-') || v == Tokens.BAD || (b > a + 1 && line.charAt(a + 1) == '-')) {
                    String item = line.substring(a, b);
                    if (lines.cutOff() && b == n) {
                        sink.problem(lines.number(), TraceProblem.TRUNCATED, "last item cut off: '" + item + "'");
                    } else {
                        sink.problem(
                                lines.number(),
                                TraceProblem.MALFORMED,
                                "'" + item + "' (items are +SIZE to allocate, -INDEX to free)");
                    }
                    continue;
                }
                if (sign == '+') {
                    sink.malloc(lines.number(), next++, v);
                } else {
                    sink.free(lines.number(), v);
                }
            }
        }
    }
}
