package io.kmemlab.malloc.bump;

import io.kmemlab.malloc.HeapAccounting;
import io.kmemlab.malloc.Sizes;
import io.kmemlab.mm.user.HeapView;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** A bump (arena) allocator over mmapped arenas; see the package essay. */
public final class BumpAllocator implements UserAllocator, HeapView {

    /** Arena header words, at the start of every mapping. */
    static final long ARENA_MAGIC = 0x4b4d_4c42_554d_5041L; // "APMUBLMK" little-endian: KMLBUMPA

    static final long LARGE_MAGIC = 0x4b4d_4c42_554d_504cL; // KMLBUMPL

    static final int ARENA_HEADER = 32;
    static final int OFF_MAGIC = 0;
    static final int OFF_SIZE = 8;
    static final int OFF_PREV = 16;
    static final int OFF_TOP = 24;

    /**
     * A block header word, just below the payload:
     *
     * <pre>
     *  63        48 47 46                                   0
     * +------------+--+--------------------------------------+
     * | tag 0xB10C |F |           usable bytes               |
     * +------------+--+--------------------------------------+
     * </pre>
     *
     * F is set by free (a freed block's bytes are not reused until reset). Padding before a
     * block (when its alignment needs it) starts with a word tagged 0xBAD0 whose low bits give the
     * padding's length, so the blocks of an arena can be walked from its header to its top.
     */
    static final long TAG_SHIFT = 48;

    static final long TAG_BLOCK = 0xB10CL;
    static final long TAG_PAD = 0xBAD0L;
    static final long FREED = 1L << 47;
    static final long SIZE_MASK = FREED - 1;

    private final UserSpace space;
    private final BumpOptions options;
    private final HeapAccounting acct;
    private final String name;

    /** The mapping allocation now bumps through; 0 before the first malloc. */
    private long arena;

    private long arenaEnd;
    private long top;
    /** Bytes of the current arena from here up were never handed out: still the kernel's zeroes. */
    private long clean;
    /** The newest mapping (the head of the chain through OFF_PREV). */
    private long head;
    /** Every mapping, sorted by address, for free's range check. */
    private long[] starts = new long[8];

    private long[] ends = new long[8];
    private int mappings;
    private long noopFrees;
    private long resets;

    public BumpAllocator(UserSpace space, BumpOptions options) {
        this(space, options, "bump");
    }

    BumpAllocator(UserSpace space, BumpOptions options, String name) {
        this.space = space;
        this.options = options;
        this.name = name;
        this.acct = new HeapAccounting(new HeapAccounting.FreeSpace() {
            @Override
            public long freeBytes() {
                return arenaEnd - top;
            }

            @Override
            public long largestFreeBlock() {
                return arenaEnd - top;
            }
        });
    }

    @Override
    public String name() {
        return name;
    }

    public BumpOptions options() {
        return options;
    }

    /** Frees: each a counted no-op (the block's bytes stay until {@link #reset}). */
    public long noopFrees() {
        return noopFrees;
    }

    public int arenas() {
        return mappings;
    }

    public long resets() {
        return resets;
    }

    @Override
    public long malloc(long size) {
        acct.countMalloc();
        return allocate(size, options.alignment());
    }

    @Override
    public long memalign(long alignment, long size) {
        acct.countMalloc();
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            acct.countFailure();
            return 0;
        }
        return allocate(size, Math.max(alignment, options.alignment()));
    }

    @Override
    public long calloc(long n, long size) {
        acct.countMalloc();
        long bytes = Sizes.callocBytes(n, size);
        if (bytes < 0) {
            acct.countFailure();
            return 0;
        }
        long p = allocate(bytes, options.alignment());
        // Only bytes the arena handed out before (a block realloc shrank, an arena reset) are dirty.
        if (p != 0 && p < clean && p >= arena && p < arenaEnd && !space.fill(p, 0, Math.min(bytes, clean - p))) {
            return 0;
        }
        return p;
    }

    private long allocate(long size, long align) {
        if (Sizes.tooBig(size) || align > Sizes.MAX_REQUEST) {
            acct.countFailure();
            return 0;
        }
        long usable = Sizes.alignUp(Math.max(size, 1), 8);
        if (usable > options.largeBytes() || align > Sizes.PAGE_SIZE) {
            return large(size, usable, align);
        }
        long p = Sizes.alignUp(top + 8, align);
        if (arena == 0 || p + usable > arenaEnd) {
            if (!newArena()) {
                acct.countFailure();
                return 0;
            }
            p = Sizes.alignUp(top + 8, align);
        }
        if (!place(p, usable)) {
            return 0;
        }
        top = p + usable;
        clean = Math.max(clean, top);
        acct.allocated(p, size, usable);
        return p;
    }

    /** Writes the padding word (if any) and the header of a block at {@code p}. */
    private boolean place(long p, long usable) {
        long hdr = p - 8;
        if (hdr > top && !space.writeU64(top, (TAG_PAD << TAG_SHIFT) | (hdr - top))) {
            return false;
        }
        return space.writeU64(hdr, (TAG_BLOCK << TAG_SHIFT) | usable);
    }

    private boolean newArena() {
        if (arena != 0) {
            space.writeU64(arena + OFF_TOP, top);
        }
        long m = map(options.arenaBytes(), ARENA_MAGIC);
        if (m == 0) {
            return false;
        }
        arena = m;
        arenaEnd = m + Sizes.alignUp(options.arenaBytes(), Sizes.PAGE_SIZE);
        top = m + ARENA_HEADER;
        clean = top;
        return true;
    }

    /** A mapping of its own for one large (or very aligned) block; the current arena stays current. */
    private long large(long size, long usable, long align) {
        long bytes = ARENA_HEADER + 8 + usable + (align > 16 ? align : 0);
        long m = map(bytes, LARGE_MAGIC);
        if (m == 0) {
            acct.countFailure();
            return 0;
        }
        long p = Sizes.alignUp(m + ARENA_HEADER + 8, align);
        long saved = top;
        top = m + ARENA_HEADER;
        boolean ok = place(p, usable);
        top = saved;
        if (!ok || !space.writeU64(m + OFF_TOP, p + usable)) {
            return 0;
        }
        acct.allocated(p, size, usable);
        return p;
    }

    /** mmaps and chains a mapping with its header; 0 if the kernel refused. */
    private long map(long bytes, long magic) {
        long len = Sizes.alignUp(bytes, Sizes.PAGE_SIZE);
        if (len <= 0) {
            return 0;
        }
        int flags = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | (options.populate() ? Mman.MAP_POPULATE : 0);
        long m = space.mmap(0, len, Mman.PROT_READ | Mman.PROT_WRITE, flags);
        if (m <= 0 && m > -4096) {
            return 0;
        }
        if (!space.writeU64(m + OFF_MAGIC, magic)
                || !space.writeU64(m + OFF_SIZE, len)
                || !space.writeU64(m + OFF_PREV, head)
                || !space.writeU64(m + OFF_TOP, m + ARENA_HEADER)) {
            return 0;
        }
        head = m;
        addRange(m, m + len);
        acct.heapChanged(len);
        return m;
    }

    private void addRange(long start, long end) {
        if (mappings == starts.length) {
            starts = Arrays.copyOf(starts, mappings * 2);
            ends = Arrays.copyOf(ends, mappings * 2);
        }
        int i = mappings;
        while (i > 0 && starts[i - 1] > start) {
            starts[i] = starts[i - 1];
            ends[i] = ends[i - 1];
            i--;
        }
        starts[i] = start;
        ends[i] = end;
        mappings++;
    }

    /** The index of the mapping holding {@code addr}, or -1. */
    private int mappingOf(long addr) {
        int lo = 0;
        int hi = mappings - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (starts[mid] > addr) {
                hi = mid - 1;
            } else if (ends[mid] <= addr) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /**
     * The header of the live block at {@code p} (never 0: its tag is set), or 0 after reporting a bad pointer ({@code what}
     * names the call, as glibc's messages do).
     */
    private long liveHeader(long p, String what) {
        int m = mappingOf(p - 8);
        if ((p & 7) != 0 || m < 0 || p - 8 < starts[m] + ARENA_HEADER) {
            return bad(what + "(): invalid pointer", p);
        }
        long h = space.readU64(p - 8);
        if ((h >>> TAG_SHIFT) != TAG_BLOCK || !acct.isLive(p) && (h & FREED) == 0) {
            return bad(what + "(): invalid pointer", p);
        }
        if ((h & FREED) != 0) {
            return bad(what + "(): double free detected", p);
        }
        return h;
    }

    private long bad(String message, long p) {
        acct.countBadFree();
        space.warn(message + " 0x" + Long.toHexString(p));
        return 0;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) {
            return;
        }
        acct.countFree();
        long h = liveHeader(ptr, "free");
        if (h == 0) {
            return;
        }
        noopFrees++;
        space.writeU64(ptr - 8, h | FREED);
        acct.released(ptr, h & SIZE_MASK);
    }

    @Override
    public long realloc(long ptr, long size) {
        if (ptr == 0) {
            return malloc(size);
        }
        acct.countRealloc();
        long h = liveHeader(ptr, "realloc");
        if (h == 0) {
            return 0;
        }
        long usable = h & SIZE_MASK;
        if (size == 0) {
            acct.countFree();
            noopFrees++;
            space.writeU64(ptr - 8, h | FREED);
            acct.released(ptr, usable);
            return 0;
        }
        if (Sizes.tooBig(size)) {
            acct.countFailure();
            return 0;
        }
        long want = Sizes.alignUp(size, 8);
        if (ptr + usable == top && ptr + want <= arenaEnd) {
            // The newest block of the current arena grows or shrinks in place: only top moves.
            space.writeU64(ptr - 8, (TAG_BLOCK << TAG_SHIFT) | want);
            acct.released(ptr, usable);
            acct.allocated(ptr, size, want);
            top = ptr + want;
            clean = Math.max(clean, top);
            return ptr;
        }
        if (want <= usable) {
            acct.released(ptr, usable);
            acct.allocated(ptr, size, usable);
            return ptr;
        }
        long q = allocate(size, options.alignment());
        if (q == 0) {
            return 0;
        }
        if (!space.copy(q, ptr, usable)) {
            return 0;
        }
        noopFrees++;
        space.writeU64(ptr - 8, h | FREED);
        acct.released(ptr, usable);
        return q;
    }

    @Override
    public long usableSize(long ptr) {
        if (ptr == 0) {
            return 0;
        }
        int m = mappingOf(ptr - 8);
        if (m < 0 || !acct.isLive(ptr)) {
            return 0;
        }
        return space.readU64(ptr - 8) & SIZE_MASK;
    }

    /**
     * Forgets every block: the oldest arena is kept (its pages stay resident, so a populated arena
     * stays populated) and bumping starts again at its beginning; every other mapping is unmapped.
     */
    public void reset() {
        resets++;
        long keep = 0;
        for (long m = head; m != 0; ) {
            long prev = space.readU64(m + OFF_PREV);
            long len = space.readU64(m + OFF_SIZE);
            if (prev == 0 && space.readU64(m + OFF_MAGIC) == ARENA_MAGIC) {
                keep = m;
            } else {
                space.munmap(m, len);
                acct.heapChanged(-len);
            }
            m = prev;
        }
        mappings = 0;
        head = 0;
        arena = 0;
        arenaEnd = 0;
        top = 0;
        acct.forgetLive();
        if (keep != 0) {
            long len = space.readU64(keep + OFF_SIZE);
            head = keep;
            addRange(keep, keep + len);
            arena = keep;
            arenaEnd = keep + len;
            top = keep + ARENA_HEADER;
            clean = arenaEnd;
            space.writeU64(keep + OFF_TOP, top);
        }
    }

    @Override
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        int seen = 0;
        long[] live = {0, 0};
        for (long m = head; m != 0 && seen <= mappings; seen++) {
            long magic = space.readU64(m + OFF_MAGIC);
            long len = space.readU64(m + OFF_SIZE);
            int idx = mappingOf(m);
            if (magic != ARENA_MAGIC && magic != LARGE_MAGIC) {
                problems.add(String.format("arena 0x%x: bad magic 0x%016x", m, magic));
                break;
            }
            if (idx < 0 || starts[idx] != m || ends[idx] - m != len) {
                problems.add(String.format("arena 0x%x: size %d does not match the mapping", m, len));
                break;
            }
            long arenaTop = m == arena ? top : space.readU64(m + OFF_TOP);
            if (arenaTop < m + ARENA_HEADER || arenaTop > m + len) {
                problems.add(String.format("arena 0x%x: top 0x%x outside the arena", m, arenaTop));
            } else {
                walk(m, arenaTop, problems, live);
            }
            m = space.readU64(m + OFF_PREV);
        }
        if (seen != mappings) {
            problems.add(String.format("arena chain has %d arenas, %d were mapped", seen, mappings));
        }
        if (problems.isEmpty() && (live[0] != acct.liveBlocks() || live[1] != acct.liveUsableBytes())) {
            problems.add(String.format(
                    "%d live blocks of %d bytes in the arenas, %d of %d counted",
                    live[0], live[1], acct.liveBlocks(), acct.liveUsableBytes()));
        }
        return problems;
    }

    private void walk(long m, long arenaTop, List<String> problems, long[] live) {
        long cur = m + ARENA_HEADER;
        while (cur < arenaTop) {
            long w = space.readU64(cur);
            long tag = w >>> TAG_SHIFT;
            if (tag == TAG_PAD) {
                long len = w & SIZE_MASK;
                if (len < 8 || (len & 7) != 0 || cur + len >= arenaTop) {
                    problems.add(String.format("arena 0x%x: bad padding word 0x%016x at 0x%x", m, w, cur));
                    return;
                }
                cur += len;
            } else if (tag == TAG_BLOCK) {
                long usable = w & SIZE_MASK;
                long p = cur + 8;
                if (p + usable > arenaTop) {
                    problems.add(String.format("arena 0x%x: block 0x%x of %d bytes runs past top", m, p, usable));
                    return;
                }
                boolean freed = (w & FREED) != 0;
                if (freed == acct.isLive(p)) {
                    problems.add(String.format(
                            "arena 0x%x: block 0x%x is %s but %s",
                            m, p, freed ? "freed" : "in use", freed ? "counted live" : "not counted live"));
                }
                if (!freed) {
                    live[0]++;
                    live[1] += usable;
                }
                cur = p + usable;
            } else {
                problems.add(String.format("arena 0x%x: bad block header 0x%016x at 0x%x", m, w, cur));
                return;
            }
        }
    }

    @Override
    public UserHeapMetric metric() {
        return acct;
    }

    @Override
    public Optional<HeapView> heapView() {
        return Optional.of(this);
    }

    /** Blocks of every mapping, oldest first; a mapping's unused tail is one free block. */
    @Override
    public void forEachBlock(BlockVisitor visitor) {
        long[] chain = new long[mappings];
        int n = 0;
        for (long m = head; m != 0 && n < mappings; m = space.readU64(m + OFF_PREV)) {
            chain[n++] = m;
        }
        for (int i = n - 1; i >= 0; i--) {
            long m = chain[i];
            long len = space.readU64(m + OFF_SIZE);
            long arenaTop = m == arena ? top : space.readU64(m + OFF_TOP);
            visitor.block(m, ARENA_HEADER, true, 0);
            long cur = m + ARENA_HEADER;
            while (cur < arenaTop) {
                long w = space.readU64(cur);
                long tag = w >>> TAG_SHIFT;
                if (tag == TAG_PAD) {
                    visitor.block(cur, w & SIZE_MASK, false, 0);
                    cur += w & SIZE_MASK;
                } else if (tag == TAG_BLOCK) {
                    long usable = w & SIZE_MASK;
                    boolean freed = (w & FREED) != 0;
                    visitor.block(cur, usable + 8, !freed, freed ? 0 : cur + 8);
                    cur += 8 + usable;
                } else {
                    return;
                }
            }
            if (arenaTop < m + len) {
                visitor.block(arenaTop, m + len - arenaTop, false, 0);
            }
        }
    }

    /** The current arena's tail: the only space a bump allocator can still hand out. */
    @Override
    public void forEachFree(FreeVisitor visitor) {
        if (arena != 0 && top < arenaEnd) {
            visitor.free(0, top, arenaEnd - top);
        }
    }

    @Override
    public long lastSearched() {
        return 0;
    }
}
