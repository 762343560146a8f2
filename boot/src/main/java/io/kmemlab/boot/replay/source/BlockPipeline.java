package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.BitSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads and parses a source on a thread of its own while the replaying thread applies the blocks
 * already read: a few recycled {@link EventBlock}s go round between a free and a full queue.
 *
 * <pre>
 *   reading thread:   fill ─▶ full queue ─▶ take ─▶ every engine replays it ─▶ release
 *                      ▲                                                      │
 *                      └──────────────────── free queue ◀─────────────────────┘
 * </pre>
 *
 * Blocks arrive in reading order and hold everything the replaying side needs (the reader's
 * kallsyms slots as text, its line count and progress), so the result is exactly that of reading
 * and replaying on one thread. The reading thread owns the stream and closes it when it stops;
 * read errors, and bugs, are handed over and rethrown by {@link #take()}.
 */
public final class BlockPipeline implements AutoCloseable {
    /**
     * Blocks in flight (about 0.55 MiB each: 4096 stored lines): enough for the reader to run well ahead while the
     * machines boot, so that boot and reading overlap.
     */
    public static final int BLOCKS = 16;

    /** What the reading thread hands over: a filled block, the end, or why it stopped. */
    private record Item(EventBlock block, Throwable failure) {}

    private static final Item END = new Item(null, null);

    private final EventSource.Stream stream;
    private final Symbols symbols;
    private final BlockingQueue<EventBlock> free = new ArrayBlockingQueue<>(BLOCKS);
    private final BlockingQueue<Item> full = new ArrayBlockingQueue<>(BLOCKS + 1);
    private final Thread reader;
    private boolean ended;

    /** Starts reading {@code stream}, whose call sites are interned in {@code symbols}. */
    public BlockPipeline(EventSource.Stream stream, Symbols symbols, String name) {
        this.stream = stream;
        this.symbols = symbols;
        for (int i = 0; i < BLOCKS; i++) {
            free.add(new EventBlock());
        }
        this.reader = new Thread(this::read, "kmemlab-reader " + name);
        this.reader.setDaemon(true);
        this.reader.start();
    }

    private void read() {
        TraceLine line = new TraceLine();
        BitSet seenSites = new BitSet();
        Item last = END;
        try (stream) {
            while (true) {
                EventBlock b = free.take();
                if (b.fill(stream, line, symbols, seenSites) == 0) {
                    break;
                }
                full.put(new Item(b, null));
            }
        } catch (InterruptedException e) {
            // The replay stopped early (close): nobody takes what is left.
            return;
        } catch (IOException | RuntimeException | Error e) {
            last = new Item(null, e);
        }
        try {
            full.put(last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The next block in reading order, or null at the end (the stream is closed by then, and its
     * counters final).
     */
    public EventBlock take() throws IOException {
        if (ended) {
            return null;
        }
        Item it;
        try {
            it = full.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the trace reader");
        }
        if (it.block() != null) {
            return it.block();
        }
        ended = true;
        Throwable t = it.failure();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        join();
        return null;
    }

    /** Gives a replayed block back to the reading thread. */
    public void release(EventBlock b) {
        free.add(b);
    }

    private void join() {
        try {
            reader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the reading thread if the replay ends early; a no-op after the end. */
    @Override
    public void close() {
        if (!ended) {
            reader.interrupt();
            join();
        }
    }
}
