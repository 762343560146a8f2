package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.trace.Symbols;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The hot path of trace parsing allocates nothing once the words of a trace have been seen. */
class ParserAllocationTest {

    @Test
    void parsingKnownLines_allocatesNothing() throws IOException {
        byte[] text;
        try (InputStream in = getClass().getResourceAsStream("/traces/kmem-618-head300.txt")) {
            text = in.readAllBytes();
        }
        FtraceLineParser parser = new FtraceLineParser(new Symbols());
        TraceLine out = new TraceLine();
        // Warm up: interns every word and lets the JIT compile the parser.
        long events = 0;
        for (int i = 0; i < 200; i++) {
            events = parseAll(parser, text, out);
        }
        assertThat(events).isEqualTo(300);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20; i++) {
            parseAll(parser, text, out);
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        // 6,000 lines parsed: allow a few hundred bytes of measurement noise, not a byte per line.
        assertThat(allocated).isLessThan(1024);
    }

    private static long parseAll(FtraceLineParser parser, byte[] text, TraceLine out) {
        long events = 0;
        int start = 0;
        long lineNo = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                if (parser.parse(text, start, i, ++lineNo, out) == TraceLine.Kind.EVENT) {
                    events++;
                }
                start = i + 1;
            }
        }
        return events;
    }
}
