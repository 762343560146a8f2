package io.kmemlab.boot.replay.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {

    @Test
    void yieldsExactlyTheWrappedBytes_acrossSeveralBuffers() throws IOException {
        byte[] data = new byte[3 * ReadAheadInputStream.BUFFER_SIZE + 12_345];
        new SplittableRandom(1).nextBytes(data);
        try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), "test")) {
            byte[] back = new byte[data.length];
            int first = in.read();
            back[0] = (byte) first;
            int n = 1 + in.readNBytes(back, 1, back.length - 1);
            assertThat(n).isEqualTo(data.length);
            assertThat(back).isEqualTo(data);
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void readErrorOfTheWrappedStream_reachesTheReader() throws IOException {
        InputStream failing = new InputStream() {
            private int left = 5000;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    throw new IOException("Compressed data is corrupt");
                }
                left--;
                return 'x';
            }
        };
        try (InputStream in = new ReadAheadInputStream(failing, "test")) {
            assertThatThrownBy(in::readAllBytes)
                    .isInstanceOf(IOException.class)
                    .hasMessage("Compressed data is corrupt");
        }
    }

    @Test
    void close_whileTheThreadReads_stopsItBeforeClosingTheWrappedStream() throws Exception {
        // A decoder that fails when read after close, as xz's does ("this.lz is null").
        AtomicBoolean readAfterClose = new AtomicBoolean();
        InputStream slow = new InputStream() {
            private volatile boolean closed;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (closed) {
                    readAfterClose.set(true);
                    throw new IllegalStateException("read after close");
                }
                for (int i = 0; i < 50_000; i++) {
                    // busy decoding: not interruptible, as a decoder's inner loop is not
                    b[off] = (byte) (b[off] + i);
                }
                return Math.min(len, 64);
            }

            @Override
            public void close() {
                closed = true;
            }
        };
        ReadAheadInputStream in = new ReadAheadInputStream(slow, "test");
        assertThat(in.read()).isNotNegative();
        in.close();
        assertThat(in.readerAlive()).isFalse();
        assertThat(readAfterClose).isFalse();
    }
}
