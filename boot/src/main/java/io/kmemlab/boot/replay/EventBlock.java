package io.kmemlab.boot.replay;

import io.kmemlab.mm.trace.read.TraceLine;
import io.kmemlab.mm.trace.read.TraceOp;
import java.io.IOException;

/**
 * A block of parsed lines in primitive arrays, so that one reading of a trace feeds several
 * allocators: the reader fills a block, then each engine replays it (and is timed per block, not
 * per event). The arrays are reused from block to block; strings are the reader's interned ones.
 */
final class EventBlock {
    static final int CAPACITY = 4096;

    private final TraceLine.Kind[] kind = new TraceLine.Kind[CAPACITY];
    private final TraceOp[] op = new TraceOp[CAPACITY];
    private final long[] lineNo = new long[CAPACITY];
    private final String[] text = new String[CAPACITY]; // reason, event name
    private final String[] comm = new String[CAPACITY];
    private final int[] pid = new int[CAPACITY];
    private final int[] cpu = new int[CAPACITY];
    private final long[] nanos = new long[CAPACITY];
    private final long[] callSite = new long[CAPACITY];
    private final long[] ptr = new long[CAPACITY];
    private final String[] cacheName = new String[CAPACITY];
    private final long[] bytesReq = new long[CAPACITY];
    private final long[] bytesAlloc = new long[CAPACITY];
    private final int[] gfp = new int[CAPACITY];
    private final long[] pfn = new long[CAPACITY];
    private final int[] order = new int[CAPACITY];
    private int size;

    int size() {
        return size;
    }

    /** Reads up to {@link #CAPACITY} lines; returns how many (0 at the end). */
    int fill(EventSource.Stream s, TraceLine l) throws IOException {
        size = 0;
        while (size < CAPACITY && s.next(l)) {
            int i = size++;
            kind[i] = l.kind();
            lineNo[i] = l.lineNo();
            switch (l.kind()) {
                case MALFORMED -> text[i] = l.reason();
                case OTHER_EVENT -> text[i] = l.eventName();
                default -> {
                    op[i] = l.op();
                    comm[i] = l.comm();
                    pid[i] = l.pid();
                    cpu[i] = l.cpu();
                    nanos[i] = l.nanos();
                    callSite[i] = l.callSite();
                    ptr[i] = l.ptr();
                    cacheName[i] = l.cacheName();
                    bytesReq[i] = l.bytesReq();
                    bytesAlloc[i] = l.bytesAlloc();
                    gfp[i] = l.gfpFlags();
                    pfn[i] = l.pfn();
                    order[i] = l.order();
                }
            }
        }
        return size;
    }

    /** Line {@code i} of the block, back into a flyweight. */
    TraceLine load(int i, TraceLine out) {
        switch (kind[i]) {
            case MALFORMED -> out.setMalformed(lineNo[i], text[i]);
            case OTHER_EVENT -> out.setOtherEvent(lineNo[i], text[i]);
            default -> out.setEvent(op[i], lineNo[i], comm[i], pid[i], cpu[i], nanos[i])
                    .setObject(callSite[i], ptr[i], cacheName[i], bytesReq[i], bytesAlloc[i], gfp[i])
                    .setPage(pfn[i], order[i], gfp[i]);
        }
        return out;
    }
}
