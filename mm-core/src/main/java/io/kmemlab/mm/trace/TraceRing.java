package io.kmemlab.mm.trace;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One CPU's ring buffer, as kernel/trace/ring_buffer.c lays it out: {@code nrPages} pages of
 * {@link #BUF_PAGE_SIZE} bytes of events, each event its ring header plus the event's raw record
 * ({@code sizeof(struct trace_event_raw_<class>)} and its {@code __string} data), a time extend
 * where the delta to the previous event needs more than 27 bits. When the writer needs a page and
 * all are full, it overwrites the oldest page ({@code overwrite}, the default: the page's events
 * are overrun, and trace_pipe reports them as lost) or drops the new event ({@code nooverwrite}).
 *
 * <pre>
 *  page:  | ts (8) | commit (8) | ev | ev | ev | … |          BUF_PAGE_SIZE = 4096 - 16
 *  event: | type_len:5 time_delta:27 | [len] | data (4-byte aligned) |
 * </pre>
 *
 * <p>Simplifications: no separate reader page (the capacity is {@code nrPages} pages), and a
 * resize empties the buffer.
 */
final class TraceRing {
    /** BUF_PAGE_SIZE: a page less its header (time stamp and commit). */
    static final int BUF_PAGE_SIZE = 4096 - 16;
    /** RB_MAX_SMALL_DATA: longer events store their length in an extra word. */
    private static final int MAX_SMALL_DATA = 28 * 4;
    /** A time delta that does not fit 27 bits takes a time-extend event (8 bytes). */
    private static final long MAX_DELTA = 1L << 27;

    /** One recorded event: the record, the task and context it ran in, its CPU and time. */
    record Entry(KmemEvent event, String comm, int pid, int cpu, long nanos, int context) {}

    private static final class Page {
        final List<Entry> entries = new ArrayList<>();
        int used;
        /** Entries already consumed by trace_pipe. */
        int read;
    }

    private final ArrayDeque<Page> pages = new ArrayDeque<>();
    private int nrPages;
    private long entries;
    private long overrun;
    private long read;
    private long dropped;
    private long lostSinceRead;
    private long lastNanos;

    TraceRing(int nrPages) {
        this.nrPages = Math.max(2, nrPages);
    }

    /** Pages for a buffer of {@code bytes} (DIV_ROUND_UP by BUF_PAGE_SIZE, at least 2). */
    static int pagesFor(long bytes) {
        return (int) Math.max(2, Math.min(Integer.MAX_VALUE, (bytes + BUF_PAGE_SIZE - 1) / BUF_PAGE_SIZE));
    }

    int nrPages() {
        return nrPages;
    }

    /** The size {@code buffer_size_kb} shows: nr_pages × BUF_PAGE_SIZE, in KiB. */
    long sizeKb() {
        return (long) nrPages * BUF_PAGE_SIZE >> 10;
    }

    /** Resizes and empties the buffer. */
    void resize(int pages) {
        nrPages = Math.max(2, pages);
        reset();
    }

    /** Empties the buffer and its counters ({@code echo > trace}). */
    void reset() {
        pages.clear();
        entries = 0;
        overrun = 0;
        read = 0;
        dropped = 0;
        lostSinceRead = 0;
    }

    /** The ring's length of an event whose record is {@code dataBytes} long (rb_calculate_event_length). */
    static int eventLength(int dataBytes) {
        int len = Math.max(dataBytes, 1);
        if (len > MAX_SMALL_DATA) {
            len += 4;
        }
        len += 4;
        return (len + 3) & ~3;
    }

    /**
     * Writes an event of {@code length} ring bytes.
     *
     * @return false if the buffer was full and not overwriting (the event is dropped)
     */
    boolean write(Entry e, int length, boolean overwrite) {
        Page tail = pages.peekLast();
        int len = length;
        if (tail != null && !tail.entries.isEmpty() && e.nanos() - lastNanos >= MAX_DELTA) {
            len += 8;
        }
        if (tail == null || tail.used + len > BUF_PAGE_SIZE) {
            // The first event of a page takes its delta from the page's time stamp.
            len = length;
            if (pages.size() == nrPages) {
                if (!overwrite) {
                    dropped++;
                    return false;
                }
                Page head = pages.pollFirst();
                int lost = head.entries.size() - head.read;
                overrun += lost;
                entries -= lost;
                lostSinceRead += lost;
            }
            tail = new Page();
            pages.addLast(tail);
        }
        tail.entries.add(e);
        tail.used += len;
        entries++;
        lastNanos = e.nanos();
        return true;
    }

    /** Events in the buffer, not yet consumed. */
    long entries() {
        return entries;
    }

    /** Events lost to overwriting. */
    long overrun() {
        return overrun;
    }

    /** Events dropped because the buffer was full in {@code nooverwrite} mode. */
    long dropped() {
        return dropped;
    }

    /** Events trace_pipe consumed. */
    long read() {
        return read;
    }

    /** The unconsumed events, oldest first. */
    Iterator<Entry> iterator() {
        List<Entry> all = new ArrayList<>();
        for (Page p : pages) {
            all.addAll(p.entries.subList(p.read, p.entries.size()));
        }
        return all.iterator();
    }

    /** The oldest unconsumed event, or null. */
    Entry peek() {
        for (Page p : pages) {
            if (p.read < p.entries.size()) {
                return p.entries.get(p.read);
            }
        }
        return null;
    }

    /** Consumes the oldest event (trace_pipe), returning it; null if empty. */
    Entry consume() {
        while (!pages.isEmpty()) {
            Page p = pages.peekFirst();
            if (p.read < p.entries.size()) {
                Entry e = p.entries.get(p.read++);
                entries--;
                read++;
                if (p.read == p.entries.size() && pages.size() > 1) {
                    pages.pollFirst();
                }
                return e;
            }
            if (pages.size() == 1) {
                return null;
            }
            pages.pollFirst();
        }
        return null;
    }

    /** Events lost since the last consuming read, cleared by this call (rb_lost_events). */
    long takeLost() {
        long l = lostSinceRead;
        lostSinceRead = 0;
        return l;
    }
}
