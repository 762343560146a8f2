package io.kmemlab.mm;

/**
 * The {@code struct page} array as one primitive array of four words per frame, indexed by PFN:
 * 16 bytes per frame (the kernel spends 64), and no Java object per frame.
 *
 * <pre>
 *  word 0 flags  31           22 21  19 18  16 15  12 11                0
 *                +--------------+------+------+------+-------------------+
 *                |   refcount   | pcpmt| zone | order|     PG_* bits     |
 *                +--------------+------+------+------+-------------------+
 *  word 1, 2     next, prev: list_head links (PFNs, NIL = -1): free lists, pcp lists, slab lists
 *  word 3        page_private: compound head PFN for tail pages, the owning allocator's slab
 *                id for slab heads, free for other users
 * </pre>
 *
 * {@code order} is the buddy order of a free block head (set_buddy_order) or the order of a
 * compound head. {@code pcpmt} caches the migrate type of a page on a per-CPU list. Allocators keep
 * their own per-slab state in tables indexed by {@code priv}, so only slab pages pay for it.
 */
public final class PageFrames {
    public static final int NIL = -1;

    /** Page is reserved (memblock reserved, never handed to the buddy allocator). */
    public static final int PG_RESERVED = 1;
    /** Head of a free buddy block (PageBuddy). */
    public static final int PG_BUDDY = 1 << 1;
    /** Head page of a slab (PageSlab / folio_test_slab). */
    public static final int PG_SLAB = 1 << 2;
    /** Head of a compound page (__GFP_COMP). */
    public static final int PG_HEAD = 1 << 3;
    /** Tail of a compound page; priv holds the head PFN. */
    public static final int PG_TAIL = 1 << 4;
    /** On a per-CPU page list (kmemlab marker; the kernel infers it). */
    public static final int PG_PCP = 1 << 5;
    /** A large kmalloc folio (folio_test_large_kmalloc). */
    public static final int PG_LARGE_KMALLOC = 1 << 6;
    /** A debug guard page. */
    public static final int PG_GUARD = 1 << 7;
    /** A hole in the physical map: no memory behind this PFN (!pfn_valid / not present). */
    public static final int PG_HOLE = 1 << 8;
    /** Page belongs to an allocator's private use (e.g. SLOB page, SLAB off-slab management). */
    public static final int PG_OWNER_PRIV = 1 << 9;

    private static final int PG_MASK = 0xfff;
    private static final int ORDER_SHIFT = 12;
    private static final int ORDER_MASK = 0xf << ORDER_SHIFT;
    private static final int ZONE_SHIFT = 16;
    private static final int ZONE_MASK = 0x7 << ZONE_SHIFT;
    private static final int PCPMT_SHIFT = 19;
    private static final int PCPMT_MASK = 0x7 << PCPMT_SHIFT;
    private static final int REF_SHIFT = 22;
    private static final int REF_MAX = (1 << 10) - 1;

    /** Words per frame in {@link #w}. */
    private static final int WORDS_SHIFT = 2;

    private static final int NEXT = 1;
    private static final int PREV = 2;
    private static final int PRIV = 3;

    private final int nrFrames;
    /**
     * Every frame's four words side by side, as the fields of {@code struct page} are: flags at
     * {@code pfn << 2}, then next, prev and page_private. One array rather than four: a frame's
     * words share a cache line, and a fast path that reads the flags and the links of one frame
     * loads one array reference and checks one bound (the JIT folds the constant offsets).
     */
    private final int[] w;

    public PageFrames(int nrFrames) {
        if (nrFrames < 0 || nrFrames > Integer.MAX_VALUE >> WORDS_SHIFT) {
            throw new IllegalArgumentException("frames: " + nrFrames);
        }
        this.nrFrames = nrFrames;
        this.w = new int[nrFrames << WORDS_SHIFT];
    }

    /** Heap bytes of metadata per frame. */
    public static int bytesPerFrame() {
        return 16;
    }

    public int nrFrames() {
        return nrFrames;
    }

    public boolean valid(int pfn) {
        return pfn >= 0 && pfn < nrFrames && (w[pfn << WORDS_SHIFT] & PG_HOLE) == 0;
    }

    // --- PG_* bits -------------------------------------------------------------------------

    public boolean test(int pfn, int pg) {
        return (w[pfn << WORDS_SHIFT] & pg) != 0;
    }

    public void set(int pfn, int pg) {
        w[pfn << WORDS_SHIFT] |= pg;
    }

    public void clear(int pfn, int pg) {
        w[pfn << WORDS_SHIFT] &= ~pg;
    }

    public int pgBits(int pfn) {
        return w[pfn << WORDS_SHIFT] & PG_MASK;
    }

    // --- packed fields -----------------------------------------------------------------------

    public int order(int pfn) {
        return (w[pfn << WORDS_SHIFT] & ORDER_MASK) >>> ORDER_SHIFT;
    }

    public void setOrder(int pfn, int order) {
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ~ORDER_MASK) | (order << ORDER_SHIFT);
    }

    public int zone(int pfn) {
        return (w[pfn << WORDS_SHIFT] & ZONE_MASK) >>> ZONE_SHIFT;
    }

    public void setZone(int pfn, int zoneIdx) {
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ~ZONE_MASK) | (zoneIdx << ZONE_SHIFT);
    }

    /** Sets the zone of every frame in [startPfn, endPfn). */
    public void setZoneRange(int startPfn, int endPfn, int zoneIdx) {
        for (int p = startPfn; p < endPfn; p++) {
            w[p << WORDS_SHIFT] = (w[p << WORDS_SHIFT] & ~ZONE_MASK) | (zoneIdx << ZONE_SHIFT);
        }
    }

    public int pcpMigratetype(int pfn) {
        return (w[pfn << WORDS_SHIFT] & PCPMT_MASK) >>> PCPMT_SHIFT;
    }

    public void setPcpMigratetype(int pfn, int mt) {
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ~PCPMT_MASK) | (mt << PCPMT_SHIFT);
    }

    /**
     * setOrder, setRefcount and setPcpMigratetype in one write of the frame's word (the page
     * allocator's prep_new_page: one read-modify-write instead of three dependent ones).
     */
    public void setOrderRefMt(int pfn, int order, int ref, int mt) {
        if (ref < 0 || ref > REF_MAX) {
            throw new IllegalArgumentException("refcount out of range: " + ref);
        }
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ~(ORDER_MASK | PCPMT_MASK) & ((1 << REF_SHIFT) - 1))
                | (order << ORDER_SHIFT)
                | (mt << PCPMT_SHIFT)
                | (ref << REF_SHIFT);
    }

    /** set(PG_PCP), setOrder and setPcpMigratetype in one write: a page going onto a per-CPU list. */
    public void setPcpEntry(int pfn, int order, int mt) {
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ~(ORDER_MASK | PCPMT_MASK))
                | PG_PCP
                | (order << ORDER_SHIFT)
                | (mt << PCPMT_SHIFT);
    }

    public int refcount(int pfn) {
        return w[pfn << WORDS_SHIFT] >>> REF_SHIFT;
    }

    public void setRefcount(int pfn, int ref) {
        if (ref < 0 || ref > REF_MAX) {
            throw new IllegalArgumentException("refcount out of range: " + ref);
        }
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ((1 << REF_SHIFT) - 1)) | (ref << REF_SHIFT);
    }

    /** Raw flags word (for dumps such as "BUG: Bad page state"). */
    public int rawFlags(int pfn) {
        return w[pfn << WORDS_SHIFT];
    }

    /** Clears every field of a frame except its zone and hole bit. */
    public void reset(int pfn) {
        w[pfn << WORDS_SHIFT] &= ZONE_MASK | PG_HOLE;
        w[(pfn << WORDS_SHIFT) + NEXT] = NIL;
        w[(pfn << WORDS_SHIFT) + PREV] = NIL;
        w[(pfn << WORDS_SHIFT) + PRIV] = 0;
    }

    // --- page_private ----------------------------------------------------------------------

    public int priv(int pfn) {
        return w[(pfn << WORDS_SHIFT) + PRIV];
    }

    public void setPriv(int pfn, int value) {
        w[(pfn << WORDS_SHIFT) + PRIV] = value;
    }

    // --- compound pages ----------------------------------------------------------------------

    /** prep_compound_page: marks head and tails of an order-N block. */
    public void prepCompound(int headPfn, int order) {
        set(headPfn, PG_HEAD);
        setOrder(headPfn, order);
        int end = headPfn + (1 << order);
        for (int p = headPfn + 1; p < end; p++) {
            w[p << WORDS_SHIFT] |= PG_TAIL;
            w[(p << WORDS_SHIFT) + PRIV] = headPfn;
        }
    }

    /** Undoes {@link #prepCompound}. */
    public void clearCompound(int headPfn, int order) {
        clear(headPfn, PG_HEAD);
        int end = headPfn + (1 << order);
        for (int p = headPfn + 1; p < end; p++) {
            w[p << WORDS_SHIFT] &= ~PG_TAIL;
            w[(p << WORDS_SHIFT) + PRIV] = 0;
        }
    }

    /**
     * virt_to_slab for a PFN: the head PFN of the slab page holding {@code pfn}, or {@link #NIL} if
     * the PFN is out of range, a hole, or not on a PG_slab page. The same answer as
     * {@link #valid}, {@link #compoundHead} and a PG_slab {@link #test} in a row, with one flags
     * load for a head page (the object free paths run it on every free).
     */
    public int slabHead(int pfn) {
        if (Integer.compareUnsigned(pfn, nrFrames) >= 0) {
            return NIL;
        }
        int f = w[pfn << WORDS_SHIFT];
        if ((f & PG_HOLE) != 0) {
            return NIL;
        }
        int head = pfn;
        if ((f & PG_TAIL) != 0) {
            head = w[(pfn << WORDS_SHIFT) + PRIV];
            f = w[head << WORDS_SHIFT];
        }
        return (f & PG_SLAB) != 0 ? head : NIL;
    }

    /** compound_head(): the head PFN of the compound page containing pfn (pfn itself if none). */
    public int compoundHead(int pfn) {
        return (w[pfn << WORDS_SHIFT] & PG_TAIL) != 0 ? w[(pfn << WORDS_SHIFT) + PRIV] : pfn;
    }

    // --- intrusive list links ----------------------------------------------------------------

    public int next(int pfn) {
        return w[(pfn << WORDS_SHIFT) + NEXT];
    }

    public int prev(int pfn) {
        return w[(pfn << WORDS_SHIFT) + PREV];
    }

    void link(int pfn, int prevPfn, int nextPfn) {
        w[(pfn << WORDS_SHIFT) + PREV] = prevPfn;
        w[(pfn << WORDS_SHIFT) + NEXT] = nextPfn;
    }

    void setNext(int pfn, int nextPfn) {
        w[(pfn << WORDS_SHIFT) + NEXT] = nextPfn;
    }

    void setPrev(int pfn, int prevPfn) {
        w[(pfn << WORDS_SHIFT) + PREV] = prevPfn;
    }

    // --- lists whose heads live in an int array ---------------------------------------------
    //
    // The same list_head threading as PfnList, for owners of many small lists on a hot path (the
    // per-CPU page lists): list i's first PFN is heads[2i], its last heads[2i + 1] (NIL, NIL when
    // empty), so a lookup is one array load instead of a list object and its fields.

    /** list_add of {@code pfn} at the head of list {@code i}. */
    public void listAddHead(int[] heads, int i, int pfn) {
        int f = heads[2 * i];
        w[(pfn << WORDS_SHIFT) + PREV] = NIL;
        w[(pfn << WORDS_SHIFT) + NEXT] = f;
        if (f != NIL) {
            w[(f << WORDS_SHIFT) + PREV] = pfn;
        } else {
            heads[2 * i + 1] = pfn;
        }
        heads[2 * i] = pfn;
    }

    /** list_add_tail of {@code pfn} to list {@code i}. */
    public void listAddTail(int[] heads, int i, int pfn) {
        int l = heads[2 * i + 1];
        w[(pfn << WORDS_SHIFT) + PREV] = l;
        w[(pfn << WORDS_SHIFT) + NEXT] = NIL;
        if (l != NIL) {
            w[(l << WORDS_SHIFT) + NEXT] = pfn;
        } else {
            heads[2 * i] = pfn;
        }
        heads[2 * i + 1] = pfn;
    }

    /** Unlinks and returns the first PFN of list {@code i}, or NIL if it is empty. */
    public int listPollFirst(int[] heads, int i) {
        int pfn = heads[2 * i];
        if (pfn != NIL) {
            int n = w[(pfn << WORDS_SHIFT) + NEXT];
            heads[2 * i] = n;
            if (n != NIL) {
                w[(n << WORDS_SHIFT) + PREV] = NIL;
            } else {
                heads[2 * i + 1] = NIL;
            }
            w[(pfn << WORDS_SHIFT) + NEXT] = NIL;
        }
        return pfn;
    }

    /** Unlinks and returns the last PFN of list {@code i}, or NIL if it is empty. */
    public int listPollLast(int[] heads, int i) {
        int pfn = heads[2 * i + 1];
        if (pfn != NIL) {
            int p = w[(pfn << WORDS_SHIFT) + PREV];
            heads[2 * i + 1] = p;
            if (p != NIL) {
                w[(p << WORDS_SHIFT) + NEXT] = NIL;
            } else {
                heads[2 * i] = NIL;
            }
            w[(pfn << WORDS_SHIFT) + PREV] = NIL;
        }
        return pfn;
    }

    // --- the page allocator's per-CPU fast paths -----------------------------------------------
    //
    // Each does in one read-modify-write of the frame's word what the general path does in
    // several calls (free_pages_prepare's reset, then the pcp entry and list_add; list_del, then
    // prep_new_page's order, refcount and mobility): the same end state, fewer dependent loads.

    /**
     * True if {@code pfn} is an allocated, non-compound page of exactly {@code order} with one
     * reference and no PG_* bit set, aligned to its order and inside the map: the page every check
     * of __free_pages() passes and whose free drops the last reference. Anything else (a bad free,
     * a compound or slab page, a shared page) answers false, and the caller takes its full path.
     */
    public boolean plainSoleRef(int pfn, int order) {
        if (Integer.compareUnsigned(pfn, nrFrames) >= 0 || Integer.compareUnsigned(order, 16) >= 0) {
            return false;
        }
        return (w[pfn << WORDS_SHIFT] & (PG_MASK | ORDER_MASK | ~((1 << REF_SHIFT) - 1)))
                        == ((order << ORDER_SHIFT) | (1 << REF_SHIFT))
                && (pfn & ((1 << order) - 1)) == 0
                && pfn + (1 << order) <= nrFrames;
    }

    /**
     * {@link #reset}, {@link #setPcpEntry} and {@link #listAddHead} of list {@code i} in one: a
     * freed page (its zone kept, every other field cleared) put at the hot end of a per-CPU list.
     */
    public void pcpPush(int[] heads, int i, int pfn, int order, int mt) {
        w[pfn << WORDS_SHIFT] =
                (w[pfn << WORDS_SHIFT] & ZONE_MASK) | PG_PCP | (order << ORDER_SHIFT) | (mt << PCPMT_SHIFT);
        w[(pfn << WORDS_SHIFT) + PRIV] = 0;
        listAddHead(heads, i, pfn);
    }

    /**
     * {@link #listPollFirst} of a non-empty list {@code i}, PG_PCP cleared and {@link
     * #setOrderRefMt}(order, 1, mt) in one: the page a per-CPU list hands out, ready for its owner.
     */
    public int pcpPop(int[] heads, int i, int order, int mt) {
        int pfn = listPollFirst(heads, i);
        w[pfn << WORDS_SHIFT] = (w[pfn << WORDS_SHIFT] & ~(PG_PCP | ORDER_MASK | PCPMT_MASK) & ((1 << REF_SHIFT) - 1))
                | (order << ORDER_SHIFT)
                | (mt << PCPMT_SHIFT)
                | (1 << REF_SHIFT);
        return pfn;
    }

    /** The zone index of a frame's word as {@link #rawFlags} returns it. */
    public static int zoneOf(int rawFlags) {
        return (rawFlags & ZONE_MASK) >>> ZONE_SHIFT;
    }

    /**
     * Copies every frame's words into {@code dst} (of the same size): a snapshot for reports
     * ({@link FrameMap}) in one array copy. The snapshot's list links are the live machine's, for
     * reading only.
     */
    public void copyStateTo(PageFrames dst) {
        if (dst.nrFrames != nrFrames) {
            throw new IllegalArgumentException("snapshot of " + nrFrames + " frames into " + dst.nrFrames);
        }
        System.arraycopy(w, 0, dst.w, 0, w.length);
    }

    /** Initialises every frame to an unlinked, zero-refcount state. */
    public void initAll() {
        for (int i = 0; i < w.length; i += 1 << WORDS_SHIFT) {
            w[i + NEXT] = NIL;
            w[i + PREV] = NIL;
        }
    }
}
