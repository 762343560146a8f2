package io.kmemlab.boot.replay.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Decompresses ahead on a second thread: a daemon thread reads the wrapped stream (xz or gzip
 * decoding) into a few recycled 1 MiB buffers while the replay parses the previous ones. The
 * bytes are exactly those of the wrapped stream, in order, so results do not change; only the
 * decoding overlaps the replay. Memory: {@link #BUFFERS} buffers, whatever the file's size.
 */
public final class ReadAheadInputStream extends InputStream {
    static final int BUFFERS = 4;
    static final int BUFFER_SIZE = 1 << 20;
    /** How long {@link #close} waits for the reading thread (one buffer's decode takes milliseconds). */
    private static final long CLOSE_WAIT_NANOS = 5_000_000_000L;

    /** A filled buffer; {@code len < 0} marks the end, {@code error != null} a read failure. */
    private record Chunk(byte[] buf, int len, IOException error) {}

    private final InputStream in;
    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> full = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final Thread reader;
    private Chunk current;
    private int pos;
    private boolean eof;
    /** Set by {@link #close}: a failure of the reading thread after it is not a read error. */
    private volatile boolean closing;

    ReadAheadInputStream(InputStream in, String name) {
        this.in = in;
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER_SIZE]);
        }
        this.reader = new Thread(this::fill, "kmemlab-read-ahead " + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void fill() {
        try {
            while (true) {
                byte[] b = free.take();
                int n = 0;
                try {
                    // readNBytes, but looking at close() between the wrapped stream's reads: a
                    // decoder's read is not interruptible, so this is where the thread stops.
                    while (n < b.length) {
                        if (closing) {
                            return;
                        }
                        int r = in.read(b, n, b.length - n);
                        if (r < 0) {
                            break;
                        }
                        n += r;
                    }
                } catch (IOException e) {
                    full.put(new Chunk(null, -1, e));
                    return;
                }
                if (n > 0) {
                    full.put(new Chunk(b, n, null));
                }
                if (n < b.length) {
                    full.put(new Chunk(null, -1, null));
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // A decoder whose stream was closed under it (close() gave up waiting): nothing reads on.
            if (!closing) {
                throw e;
            }
        }
    }

    /** Makes {@link #current} a chunk with unread bytes; false at the end. */
    private boolean ensure() throws IOException {
        if (eof) {
            return false;
        }
        if (current != null && pos < current.len()) {
            return true;
        }
        if (current != null) {
            free.add(current.buf());
            current = null;
        }
        Chunk c;
        try {
            c = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading ahead");
        }
        if (c.error() != null) {
            eof = true;
            throw c.error();
        }
        if (c.len() < 0) {
            eof = true;
            return false;
        }
        current = c;
        pos = 0;
        return true;
    }

    @Override
    public int read() throws IOException {
        if (!ensure()) {
            return -1;
        }
        return current.buf()[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!ensure()) {
            return -1;
        }
        int n = Math.min(len, current.len() - pos);
        System.arraycopy(current.buf(), pos, b, off, n);
        pos += n;
        return n;
    }

    /** True while the reading thread runs (tests). */
    boolean readerAlive() {
        return reader.isAlive();
    }

    /**
     * Stops the reading thread, then closes the wrapped stream: closing a decoder while the thread
     * is inside it would fail that thread (xz's decoder throws on a closed stream). The thread stops
     * after the wrapped stream's current read returns, at its next queue operation, or at once if
     * the read is interruptible (a file channel).
     */
    @Override
    public void close() throws IOException {
        closing = true;
        reader.interrupt();
        boolean interrupted = false;
        long deadline = System.nanoTime() + CLOSE_WAIT_NANOS;
        while (reader.isAlive() && System.nanoTime() < deadline) {
            try {
                reader.join(CLOSE_WAIT_NANOS / 1_000_000);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            in.close();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
