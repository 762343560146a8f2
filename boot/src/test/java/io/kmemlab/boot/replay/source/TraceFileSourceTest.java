package io.kmemlab.boot.replay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The probe and the replay read one stream: what the probe saw is handed back, byte for byte. */
class TraceFileSourceTest {
    @TempDir
    Path tmp;

    /** trace_pipe output has no header: the CPU count comes from the lines' [cpu] fields. */
    private static String trace(int lines) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines; i++) {
            sb.append(String.format(
                    "              sh-16387   [%03d] .....   470.%06d: kmalloc: call_site=a+0x0/0x1 "
                            + "ptr=%016x bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=false%n",
                    i % 3, i, 0x1000L + 16L * i));
        }
        return sb.toString();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(b)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** The pointers of every event the source yields. */
    private static List<Long> ptrs(EventSource source) throws Exception {
        List<Long> out = new ArrayList<>();
        try (EventSource.Stream s = source.open(new Symbols())) {
            TraceLine l = new TraceLine();
            while (s.next(l)) {
                out.add(l.ptr());
            }
        }
        return out;
    }

    /** A stream that counts how often it is closed and refuses to be read after. */
    private static final class OneShot extends FilterInputStream {
        int closed;

        OneShot(byte[] b) {
            super(new ByteArrayInputStream(b));
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (closed > 0) {
                throw new IOException("read after close");
            }
            return super.read(b, off, len);
        }

        @Override
        public void close() throws IOException {
            closed++;
            super.close();
        }
    }

    @Test
    void stream_gzip_longerThanTheProbe_everyLineOnce_inOrder() throws Exception {
        // ~1.3 MB of text: the probe takes the first 64 KiB of the decompressed stream, the replay the rest.
        String text = trace(10_000);
        OneShot in = new OneShot(gzip(text));
        TraceFileSource s = new TraceFileSource("pipe", in, null);
        assertThat(s.traceFormat()).isEqualTo(TraceInputFormat.FTRACE);
        assertThat(s.cpus()).isEqualTo(-1);
        assertThat(s.defaultCpus()).isEqualTo(3);
        List<Long> ptrs = ptrs(s);
        assertThat(ptrs).hasSize(10_000);
        for (int i = 0; i < ptrs.size(); i++) {
            assertThat(ptrs.get(i)).isEqualTo(0x1000L + 16L * i);
        }
        assertThat(in.closed).isPositive();
        assertThatThrownBy(() -> s.open(new Symbols()))
                .isInstanceOf(IOException.class)
                .hasMessage("a pipe can be read only once");
    }

    @Test
    void regularFile_opensAgain_fromTheStart() throws Exception {
        Path f = tmp.resolve("t.txt.gz");
        Files.write(f, gzip("# tracer: nop\n#\n# entries-in-buffer/entries-written: 5/5   #P:4\n" + trace(5)));
        TraceFileSource s = new TraceFileSource(f, null);
        assertThat(s.cpus()).isEqualTo(4);
        List<Long> first = ptrs(s);
        assertThat(first).hasSize(5);
        assertThat(ptrs(s)).isEqualTo(first);
        assertThat(s.name()).isEqualTo(f.toString());
        assertThat(s.path()).isEqualTo(f);
    }

    @Test
    void stream_rejected_isClosed_withTheReason() {
        OneShot in = new OneShot("\n\n  \n".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> new TraceFileSource("pipe", in, null))
                .isInstanceOf(TraceRejectedException.class)
                .hasMessage("pipe: empty trace");
        assertThat(in.closed).isEqualTo(1);
    }

    @Test
    void dash_isStandardInput() throws Exception {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream(trace(3).getBytes(StandardCharsets.UTF_8)));
            TraceFileSource s = TraceFileSource.of("-", null);
            assertThat(s.name()).isEqualTo("(standard input)");
            assertThat(s.path()).isNull();
            assertThat(ptrs(s)).containsExactly(0x1000L, 0x1010L, 0x1020L);
        } finally {
            System.setIn(saved);
        }
    }
}
