package io.kmemlab.mm.slab;

import java.util.Arrays;

/**
 * The per-slab id table every slab allocator uses: an id names one row of the allocator's own
 * parallel arrays (its {@code struct slab} fields, typed as it needs them, so nothing is boxed),
 * and the slab's head page keeps the id in {@code page_private} ({@code PageFrames.priv}) while it
 * is a slab. Only slab pages pay for per-slab state.
 *
 * <pre>
 *  frames.priv(head) ──► id ──► allocator rows: pfn[id], freelist[id], inuse[id], cache[id], …
 *
 *  ids:   firstId … high-1 handed out at least once (an iteration bound)
 *         free stack of released ids, reused last-in first-out (the warmest row first)
 *         capacity = length of the owner's arrays; full → doubled, owner asked to grow its rows
 * </pre>
 *
 * <p>Taking and releasing an id are slow-path operations (once per new slab, once per freed
 * slab) and allocate nothing unless the table grows. The hot paths never touch this class: they
 * index the allocator's arrays with the id read from the page. Whether an id read from a page is
 * a live slab of the allocator stays the allocator's check (its rows know the head pfn).
 */
public final class SlabIds {
    /** The owner's rows: grows every parallel array to {@code capacity} entries. */
    @FunctionalInterface
    public interface Rows {
        void grow(int capacity);
    }

    private final Rows rows;
    private final int firstId;
    private int capacity;
    private int[] freeIds;
    private int nrFree;
    private int high;
    private int live;

    /**
     * @param firstId the lowest id handed out (SLAB keeps 0 for "no slab")
     * @param capacity the length the owner's arrays start with
     * @param rows grows the owner's arrays when every id below the capacity is taken
     */
    public SlabIds(int firstId, int capacity, Rows rows) {
        if (firstId < 0 || capacity <= firstId) {
            throw new IllegalArgumentException("ids from " + firstId + " need a capacity above it, not " + capacity);
        }
        this.rows = rows;
        this.firstId = firstId;
        this.capacity = capacity;
        this.freeIds = new int[Math.max(16, capacity)];
        this.high = firstId;
    }

    /** Takes an id for a new slab: a released one if any, else the next unused (growing the rows). */
    public int allocate() {
        int id;
        if (nrFree > 0) {
            id = freeIds[--nrFree];
        } else {
            if (high == capacity) {
                capacity *= 2;
                rows.grow(capacity);
            }
            id = high++;
        }
        live++;
        return id;
    }

    /** Gives back the id of a slab whose pages have gone back; the owner has cleared its rows. */
    public void release(int id) {
        assert id >= firstId && id < high && live > 0 : "release of id " + id;
        if (nrFree == freeIds.length) {
            freeIds = Arrays.copyOf(freeIds, freeIds.length * 2);
        }
        freeIds[nrFree++] = id;
        live--;
    }

    /** Whether {@code id} has ever been handed out (so the owner's rows hold something for it). */
    public boolean inRange(int id) {
        return id >= firstId && id < high;
    }

    /** The lowest id. */
    public int firstId() {
        return firstId;
    }

    /** One past the highest id ever handed out: iterate {@code firstId() ≤ id < high()}. */
    public int high() {
        return high;
    }

    /** Ids taken and not released: the allocator's live slabs. */
    public int live() {
        return live;
    }

    /** The length of the owner's arrays. */
    public int capacity() {
        return capacity;
    }
}
