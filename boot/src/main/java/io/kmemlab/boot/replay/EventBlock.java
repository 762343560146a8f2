package io.kmemlab.boot.replay;

import io.kmemlab.mm.trace.CacheDefinition;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import io.kmemlab.mm.trace.read.TraceOp;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A block of parsed lines in primitive arrays, so that one reading of a trace feeds several
 * allocators: the reader fills a block, then each engine replays it (and is timed per block, not
 * per event). The arrays are reused from block to block; strings are the reader's interned ones.
 *
 * <p>A block is filled on the reading thread ({@link BlockPipeline}) and replayed on another, so it
 * carries everything the replaying side needs from the reader: the reader's line count and progress
 * after the block, and the %pS text of each call-site slot the block names for the first time (the
 * reader's kallsyms keep growing while the block is replayed, so they are not read across threads).
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
    /** kmemlab cache comments (rare: one per cache). */
    private final CacheDefinition[] cacheDefinition = new CacheDefinition[CAPACITY];
    private int size;
    /** Reader's line count and progress (0…1 or -1) once the block was filled. */
    private long readerLineNo;
    private double readerProgress;
    /** Call-site slots first named in this block, with their %pS text in the reader's kallsyms. */
    private int[] newSiteIds = new int[16];
    private String[] newSiteTexts = new String[16];
    private int newSites;

    int size() {
        return size;
    }

    long readerLineNo() {
        return readerLineNo;
    }

    double readerProgress() {
        return readerProgress;
    }

    /** Defines in {@code names} the call-site slots this block names first. */
    void defineSites(CallSiteNames names) {
        for (int i = 0; i < newSites; i++) {
            names.define(newSiteIds[i], newSiteTexts[i]);
        }
    }

    /**
     * Reads up to {@link #CAPACITY} lines; returns how many (0 at the end).
     *
     * @param symbols the reader's kallsyms, whose call-site slots not yet in {@code seen} are
     *     captured as text (and added to {@code seen})
     */
    int fill(EventSource.Stream s, TraceLine l, Symbols symbols, BitSet seen) throws IOException {
        size = 0;
        newSites = 0;
        while (size < CAPACITY && s.next(l)) {
            int i = size++;
            kind[i] = l.kind();
            lineNo[i] = l.lineNo();
            switch (l.kind()) {
                case MALFORMED -> text[i] = l.reason();
                case OTHER_EVENT -> text[i] = l.eventName();
                case CACHE_DEFINITION -> cacheDefinition[i] = l.cacheDefinition();
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
                    captureSite(l.callSite(), symbols, seen);
                }
            }
        }
        readerLineNo = s.lineNo();
        readerProgress = s.progress();
        return size;
    }

    private void captureSite(long cs, Symbols symbols, BitSet seen) {
        long rel = cs - Symbols.TEXT_BASE;
        if (rel < 0 || (rel >>> Symbols.SLOT_SHIFT) >= CallSiteNames.MAX_SLOTS) {
            return;
        }
        int id = (int) (rel >>> Symbols.SLOT_SHIFT);
        if (seen.get(id)) {
            return;
        }
        seen.set(id);
        if (newSites == newSiteIds.length) {
            newSiteIds = Arrays.copyOf(newSiteIds, newSites * 2);
            newSiteTexts = Arrays.copyOf(newSiteTexts, newSites * 2);
        }
        newSiteIds[newSites] = id;
        newSiteTexts[newSites] = symbols.format(Symbols.TEXT_BASE + ((long) id << Symbols.SLOT_SHIFT));
        newSites++;
    }

    /** Line {@code i} of the block, back into a flyweight. */
    TraceLine load(int i, TraceLine out) {
        switch (kind[i]) {
            case MALFORMED -> out.setMalformed(lineNo[i], text[i]);
            case OTHER_EVENT -> out.setOtherEvent(lineNo[i], text[i]);
            case CACHE_DEFINITION -> out.setCacheDefinition(lineNo[i], cacheDefinition[i]);
            default -> out.setEvent(op[i], lineNo[i], comm[i], pid[i], cpu[i], nanos[i])
                    .setObject(callSite[i], ptr[i], cacheName[i], bytesReq[i], bytesAlloc[i], gfp[i])
                    .setPage(pfn[i], order[i], gfp[i]);
        }
        return out;
    }
}
