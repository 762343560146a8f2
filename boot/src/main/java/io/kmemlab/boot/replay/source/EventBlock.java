package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.IOException;
import java.util.Arrays;
import java.util.BitSet;

/**
 * A block of parsed lines, each kept in a flyweight of its own, so that one reading of a trace
 * feeds several allocators: the reader fills a block (copying each parsed line once), then each
 * engine replays it straight from the stored lines, copying nothing per event (and is timed per
 * block, not per event). The flyweights are reused from block to block; strings are the reader's
 * interned ones.
 *
 * <p>A block is filled on the reading thread ({@link BlockPipeline}) and replayed on another, so it
 * carries everything the replaying side needs from the reader: the reader's line count and progress
 * after the block, and each call-site slot the block names for the first time (the reader's kallsyms
 * keep growing while the block is replayed, so they are not read across threads).
 */
public final class EventBlock {
    public static final int CAPACITY = 4096;

    private final TraceLine[] lines = new TraceLine[CAPACITY];
    private int size;
    /** Reader's line count and progress (0…1 or -1) once the block was filled. */
    private long readerLineNo;

    private double readerProgress;
    /** Call-site slots first named in this block, with their symbol in the reader's kallsyms. */
    private int[] newSiteIds = new int[16];

    private Symbols.Slot[] newSiteSlots = new Symbols.Slot[16];
    private int newSites;

    EventBlock() {
        for (int i = 0; i < CAPACITY; i++) {
            lines[i] = new TraceLine();
        }
    }

    public int size() {
        return size;
    }

    public long readerLineNo() {
        return readerLineNo;
    }

    public double readerProgress() {
        return readerProgress;
    }

    /** Defines in {@code names} the call-site slots this block names first. */
    public void defineSites(CallSiteNames names) {
        for (int i = 0; i < newSites; i++) {
            names.define(newSiteIds[i], newSiteSlots[i]);
        }
    }

    /**
     * Reads up to {@link #CAPACITY} lines; returns how many (0 at the end).
     *
     * @param symbols the reader's kallsyms, whose call-site slots not yet in {@code seen} are
     *     captured (and added to {@code seen})
     */
    int fill(EventSource.Stream s, TraceLine l, Symbols symbols, BitSet seen) throws IOException {
        size = 0;
        newSites = 0;
        while (size < CAPACITY && s.next(l)) {
            lines[size++].copyFrom(l);
            if (l.kind() == TraceLine.Kind.EVENT) {
                captureSite(l.callSite(), symbols, seen);
            }
        }
        readerLineNo = s.lineNo();
        readerProgress = s.progress();
        return size;
    }

    private void captureSite(long cs, Symbols symbols, BitSet seen) {
        int id = Symbols.slotOf(cs);
        if (id < 0 || seen.get(id)) {
            return;
        }
        seen.set(id);
        if (newSites == newSiteIds.length) {
            newSiteIds = Arrays.copyOf(newSiteIds, newSites * 2);
            newSiteSlots = Arrays.copyOf(newSiteSlots, newSites * 2);
        }
        newSiteIds[newSites] = id;
        // Null if the reader never defined the slot (a raw hex call site): kept as it is.
        newSiteSlots[newSites] = symbols.slotAt(id);
        newSites++;
    }

    /** Line {@code i} of the block, as the reader parsed it (valid until the block is refilled). */
    public TraceLine line(int i) {
        return lines[i];
    }
}
