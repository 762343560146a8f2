package io.kmemlab.mm;

/**
 * The {@code struct page} array as parallel primitive arrays indexed by PFN: 16 bytes per frame
 * (the kernel spends 64), and no Java object per frame.
 *
 * <pre>
 *  flags[pfn]  31           22 21  19 18  16 15  12 11                0
 *              +--------------+------+------+------+-------------------+
 *              |   refcount   | pcpmt| zone | order|     PG_* bits     |
 *              +--------------+------+------+------+-------------------+
 *  next[pfn], prev[pfn]   list_head links (PFNs, NIL = -1): free lists, pcp lists, slab lists
 *  priv[pfn]              page_private: compound head PFN for tail pages, the owning
 *                         allocator's slab id for slab heads, free for other users
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

    private final int nrFrames;
    private final int[] flags;
    private final int[] next;
    private final int[] prev;
    private final int[] priv;

    public PageFrames(int nrFrames) {
        this.nrFrames = nrFrames;
        this.flags = new int[nrFrames];
        this.next = new int[nrFrames];
        this.prev = new int[nrFrames];
        this.priv = new int[nrFrames];
    }

    /** Heap bytes of metadata per frame. */
    public static int bytesPerFrame() {
        return 16;
    }

    public int nrFrames() {
        return nrFrames;
    }

    public boolean valid(int pfn) {
        return pfn >= 0 && pfn < nrFrames && (flags[pfn] & PG_HOLE) == 0;
    }

    // --- PG_* bits -------------------------------------------------------------------------

    public boolean test(int pfn, int pg) {
        return (flags[pfn] & pg) != 0;
    }

    public void set(int pfn, int pg) {
        flags[pfn] |= pg;
    }

    public void clear(int pfn, int pg) {
        flags[pfn] &= ~pg;
    }

    public int pgBits(int pfn) {
        return flags[pfn] & PG_MASK;
    }

    // --- packed fields -----------------------------------------------------------------------

    public int order(int pfn) {
        return (flags[pfn] & ORDER_MASK) >>> ORDER_SHIFT;
    }

    public void setOrder(int pfn, int order) {
        flags[pfn] = (flags[pfn] & ~ORDER_MASK) | (order << ORDER_SHIFT);
    }

    public int zone(int pfn) {
        return (flags[pfn] & ZONE_MASK) >>> ZONE_SHIFT;
    }

    public void setZone(int pfn, int zoneIdx) {
        flags[pfn] = (flags[pfn] & ~ZONE_MASK) | (zoneIdx << ZONE_SHIFT);
    }

    /** Sets the zone of every frame in [startPfn, endPfn). */
    public void setZoneRange(int startPfn, int endPfn, int zoneIdx) {
        for (int p = startPfn; p < endPfn; p++) {
            flags[p] = (flags[p] & ~ZONE_MASK) | (zoneIdx << ZONE_SHIFT);
        }
    }

    public int pcpMigratetype(int pfn) {
        return (flags[pfn] & PCPMT_MASK) >>> PCPMT_SHIFT;
    }

    public void setPcpMigratetype(int pfn, int mt) {
        flags[pfn] = (flags[pfn] & ~PCPMT_MASK) | (mt << PCPMT_SHIFT);
    }

    /**
     * setOrder, setRefcount and setPcpMigratetype in one write of the frame's word (the page
     * allocator's prep_new_page: one read-modify-write instead of three dependent ones).
     */
    public void setOrderRefMt(int pfn, int order, int ref, int mt) {
        if (ref < 0 || ref > REF_MAX) {
            throw new IllegalArgumentException("refcount out of range: " + ref);
        }
        flags[pfn] = (flags[pfn] & ~(ORDER_MASK | PCPMT_MASK) & ((1 << REF_SHIFT) - 1))
                | (order << ORDER_SHIFT)
                | (mt << PCPMT_SHIFT)
                | (ref << REF_SHIFT);
    }

    /** set(PG_PCP), setOrder and setPcpMigratetype in one write: a page going onto a per-CPU list. */
    public void setPcpEntry(int pfn, int order, int mt) {
        flags[pfn] = (flags[pfn] & ~(ORDER_MASK | PCPMT_MASK)) | PG_PCP | (order << ORDER_SHIFT) | (mt << PCPMT_SHIFT);
    }

    public int refcount(int pfn) {
        return flags[pfn] >>> REF_SHIFT;
    }

    public void setRefcount(int pfn, int ref) {
        if (ref < 0 || ref > REF_MAX) {
            throw new IllegalArgumentException("refcount out of range: " + ref);
        }
        flags[pfn] = (flags[pfn] & ((1 << REF_SHIFT) - 1)) | (ref << REF_SHIFT);
    }

    /** Raw flags word (for dumps such as "BUG: Bad page state"). */
    public int rawFlags(int pfn) {
        return flags[pfn];
    }

    /** Clears every field of a frame except its zone and hole bit. */
    public void reset(int pfn) {
        flags[pfn] &= ZONE_MASK | PG_HOLE;
        next[pfn] = NIL;
        prev[pfn] = NIL;
        priv[pfn] = 0;
    }

    // --- page_private ----------------------------------------------------------------------

    public int priv(int pfn) {
        return priv[pfn];
    }

    public void setPriv(int pfn, int value) {
        priv[pfn] = value;
    }

    // --- compound pages ----------------------------------------------------------------------

    /** prep_compound_page: marks head and tails of an order-N block. */
    public void prepCompound(int headPfn, int order) {
        set(headPfn, PG_HEAD);
        setOrder(headPfn, order);
        int end = headPfn + (1 << order);
        for (int p = headPfn + 1; p < end; p++) {
            flags[p] |= PG_TAIL;
            priv[p] = headPfn;
        }
    }

    /** Undoes {@link #prepCompound}. */
    public void clearCompound(int headPfn, int order) {
        clear(headPfn, PG_HEAD);
        int end = headPfn + (1 << order);
        for (int p = headPfn + 1; p < end; p++) {
            flags[p] &= ~PG_TAIL;
            priv[p] = 0;
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
        int f = flags[pfn];
        if ((f & PG_HOLE) != 0) {
            return NIL;
        }
        int head = pfn;
        if ((f & PG_TAIL) != 0) {
            head = priv[pfn];
            f = flags[head];
        }
        return (f & PG_SLAB) != 0 ? head : NIL;
    }

    /** compound_head(): the head PFN of the compound page containing pfn (pfn itself if none). */
    public int compoundHead(int pfn) {
        return (flags[pfn] & PG_TAIL) != 0 ? priv[pfn] : pfn;
    }

    // --- intrusive list links ----------------------------------------------------------------

    public int next(int pfn) {
        return next[pfn];
    }

    public int prev(int pfn) {
        return prev[pfn];
    }

    void link(int pfn, int prevPfn, int nextPfn) {
        prev[pfn] = prevPfn;
        next[pfn] = nextPfn;
    }

    void setNext(int pfn, int nextPfn) {
        next[pfn] = nextPfn;
    }

    void setPrev(int pfn, int prevPfn) {
        prev[pfn] = prevPfn;
    }

    // --- lists whose heads live in an int array ---------------------------------------------
    //
    // The same list_head threading as PfnList, for owners of many small lists on a hot path (the
    // per-CPU page lists): list i's first PFN is heads[2i], its last heads[2i + 1] (NIL, NIL when
    // empty), so a lookup is one array load instead of a list object and its fields.

    /** list_add of {@code pfn} at the head of list {@code i}. */
    public void listAddHead(int[] heads, int i, int pfn) {
        int f = heads[2 * i];
        prev[pfn] = NIL;
        next[pfn] = f;
        if (f != NIL) {
            prev[f] = pfn;
        } else {
            heads[2 * i + 1] = pfn;
        }
        heads[2 * i] = pfn;
    }

    /** list_add_tail of {@code pfn} to list {@code i}. */
    public void listAddTail(int[] heads, int i, int pfn) {
        int l = heads[2 * i + 1];
        prev[pfn] = l;
        next[pfn] = NIL;
        if (l != NIL) {
            next[l] = pfn;
        } else {
            heads[2 * i] = pfn;
        }
        heads[2 * i + 1] = pfn;
    }

    /** Unlinks and returns the first PFN of list {@code i}, or NIL if it is empty. */
    public int listPollFirst(int[] heads, int i) {
        int pfn = heads[2 * i];
        if (pfn != NIL) {
            int n = next[pfn];
            heads[2 * i] = n;
            if (n != NIL) {
                prev[n] = NIL;
            } else {
                heads[2 * i + 1] = NIL;
            }
            next[pfn] = NIL;
        }
        return pfn;
    }

    /** Unlinks and returns the last PFN of list {@code i}, or NIL if it is empty. */
    public int listPollLast(int[] heads, int i) {
        int pfn = heads[2 * i + 1];
        if (pfn != NIL) {
            int p = prev[pfn];
            heads[2 * i + 1] = p;
            if (p != NIL) {
                next[p] = NIL;
            } else {
                heads[2 * i] = NIL;
            }
            prev[pfn] = NIL;
        }
        return pfn;
    }

    /**
     * Copies every frame's flags and page_private into {@code dst} (of the same size), leaving its
     * list links alone: a snapshot for reports ({@link FrameMap}), two array copies.
     */
    public void copyStateTo(PageFrames dst) {
        if (dst.nrFrames != nrFrames) {
            throw new IllegalArgumentException("snapshot of " + nrFrames + " frames into " + dst.nrFrames);
        }
        System.arraycopy(flags, 0, dst.flags, 0, nrFrames);
        System.arraycopy(priv, 0, dst.priv, 0, nrFrames);
    }

    /** Initialises every frame to an unlinked, zero-refcount state. */
    public void initAll() {
        java.util.Arrays.fill(next, NIL);
        java.util.Arrays.fill(prev, NIL);
    }
}
