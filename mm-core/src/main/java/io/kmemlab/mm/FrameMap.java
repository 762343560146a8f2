package io.kmemlab.mm;

import java.util.Arrays;

/**
 * A read-only picture of every page frame's state, taken from {@link PageFrames} alone, for
 * reports such as the physical memory map of {@code kmemlab report}: one {@link State} per PFN,
 * the order of the block it belongs to (a free or per-CPU block, a compound page) and the head PFN
 * of that block, so that a report can name the owner of a slab page through the slab allocator's
 * {@code ownerOf} without reaching into an allocator.
 *
 * <p>The classification follows the PG_* bits the allocators set, in this order of precedence:
 * a hole; {@code PG_reserved}; a free buddy block ({@code PG_buddy} head of order k: the 2^k frames
 * from it, as {@code PageBuddy} and {@code buddy_order}); a per-CPU list block ({@code PG_pcp},
 * also with its order); otherwise the frame's compound head decides: {@code PG_slab}, a large
 * kmalloc folio, an allocator's private page (SLOB's big blocks, off-slab management), any other
 * page with a reference (allocated to the kernel), and a frame with no reference that no free block
 * covers (a tail of a block being split, or never given to the buddy allocator).
 *
 * <p>{@link #capture} reuses the arrays of the map it fills, so a report that snapshots at every
 * new peak allocates once per machine, not once per snapshot.
 */
public final class FrameMap {
    /** What a frame is used for, as far as the frame array tells. */
    public enum State {
        HOLE("hole"),
        RESERVED("reserved"),
        FREE("free"),
        PCP("per-CPU list"),
        SLAB("slab"),
        LARGE_KMALLOC("large kmalloc"),
        ALLOCATOR_PRIVATE("allocator private"),
        KERNEL("allocated"),
        UNTRACKED("untracked");

        private final String label;

        State(String label) {
            this.label = label;
        }

        /** A short name for legends and hovers. */
        public String label() {
            return label;
        }
    }

    private static final State[] STATES = State.values();

    private byte[] state = new byte[0];
    private byte[] order = new byte[0];
    private int[] head = new int[0];
    private int nrFrames;

    /** Fills {@code into} (or a new map if null) with the state of every frame now; returns it. */
    public static FrameMap capture(PageFrames frames, FrameMap into) {
        FrameMap m = into == null ? new FrameMap() : into;
        int n = frames.nrFrames();
        if (m.state.length != n) {
            m.state = new byte[n];
            m.order = new byte[n];
            m.head = new int[n];
        }
        m.nrFrames = n;
        Arrays.fill(m.state, (byte) -1);
        for (int pfn = 0; pfn < n; pfn++) {
            if (m.state[pfn] >= 0) {
                continue; // covered by a free or pcp block that started below
            }
            if (!frames.valid(pfn)) {
                m.set(pfn, State.HOLE, 0, pfn);
            } else if (frames.test(pfn, PageFrames.PG_RESERVED)) {
                m.set(pfn, State.RESERVED, 0, pfn);
            } else if (frames.test(pfn, PageFrames.PG_BUDDY) || frames.test(pfn, PageFrames.PG_PCP)) {
                State s = frames.test(pfn, PageFrames.PG_BUDDY) ? State.FREE : State.PCP;
                int o = frames.order(pfn);
                int end = Math.min(n, pfn + (1 << o));
                for (int p = pfn; p < end; p++) {
                    m.set(p, s, o, pfn);
                }
            } else {
                int h = frames.compoundHead(pfn);
                int o = frames.test(h, PageFrames.PG_HEAD) ? frames.order(h) : 0;
                m.set(pfn, classifyInUse(frames, h), o, h);
            }
        }
        return m;
    }

    private static State classifyInUse(PageFrames frames, int h) {
        if (frames.test(h, PageFrames.PG_SLAB)) {
            return State.SLAB;
        }
        if (frames.test(h, PageFrames.PG_LARGE_KMALLOC)) {
            return State.LARGE_KMALLOC;
        }
        if (frames.test(h, PageFrames.PG_OWNER_PRIV)) {
            return State.ALLOCATOR_PRIVATE;
        }
        return frames.refcount(h) > 0 ? State.KERNEL : State.UNTRACKED;
    }

    private void set(int pfn, State s, int o, int h) {
        state[pfn] = (byte) s.ordinal();
        order[pfn] = (byte) o;
        head[pfn] = h;
    }

    public int nrFrames() {
        return nrFrames;
    }

    public State state(int pfn) {
        return STATES[state[pfn]];
    }

    /** The order of the free, pcp or compound block holding the frame (0 for a single page). */
    public int order(int pfn) {
        return order[pfn];
    }

    /** The first PFN of the block holding the frame (the frame itself for a single page). */
    public int head(int pfn) {
        return head[pfn];
    }

    /** Frames in state {@code s}. */
    public int count(State s) {
        int c = 0;
        for (int pfn = 0; pfn < nrFrames; pfn++) {
            if (state[pfn] == s.ordinal()) {
                c++;
            }
        }
        return c;
    }
}
