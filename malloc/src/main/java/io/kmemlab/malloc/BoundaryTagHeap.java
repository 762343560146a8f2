package io.kmemlab.malloc;

import io.kmemlab.mm.LongLongMap;
import io.kmemlab.mm.user.HeapView;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A brk heap of boundary-tagged blocks, what the free-list and segregated-fit allocators share (the
 * implicit list of CS:APP's malloc lab, §9.9, with the "previous block allocated" bit): block
 * layout, heap growth through brk, splitting, coalescing with both neighbours, realloc in place,
 * memalign, the pointer checks of free, {@code validate()} and the heap walk. A subclass supplies
 * only its free-block index — how free blocks are found ({@link #findFit}), put away ({@link
 * #insertFree}) and taken out ({@link #removeFree}) — as mm/slab.h leaves only the algorithm to each
 * slab allocator.
 *
 * <pre>
 *   block b                                              b + size
 *   +---------+------------+-----------------------------+
 *   | padding | size|P|A   | payload ...                 |        allocated (no footer)
 *   +---------+------------+-----------------------------+
 *   | padding | size|P|0   | next | prev | ...    | size |        free: links and footer (size only)
 *   +---------+------------+-----------------------------+
 *             ^ b + header - 8  ^ b + header = the payload, aligned
 * </pre>
 *
 * <p>The header word sits just below the payload; with a {@code header} of more than 8 bytes the
 * rest is padding at the block's start. A = allocated, P = the previous block is allocated (so an
 * allocated block needs no footer). Sizes are multiples of the alignment; the smallest block holds
 * the header, two links and a footer. The heap is {@code [heapStart, heapEnd)}, followed by an
 * epilogue header (size 0, A set) just below {@code heapEnd + header}, where the program break is.
 */
public abstract class BoundaryTagHeap implements UserAllocator, HeapView, io.kmemlab.mm.user.ThreadedAllocator {
    protected static final long ALLOC = 1;
    protected static final long PREV_ALLOC = 2;
    protected static final long FLAGS = 7;

    protected final UserSpace space;
    protected final HeapAccounting acct;
    /** Bytes from a block's start to its payload (the header word is the last 8 of them). */
    protected final long header;

    protected final long align;
    protected final long minBlock;
    /** A split leaves a free remainder only if it has at least this many bytes. */
    protected final long splitMin;

    protected final long growBytes;
    protected final boolean coalesce;
    private final String name;

    protected long heapStart;
    protected long heapEnd;
    private boolean started;
    /** Free-list elements the last search examined. */
    protected long searched;

    // threads in virtual time (attach): one global lock, as a naive allocator behind a pthread mutex
    private io.kmemlab.mm.sched.Steps steps = io.kmemlab.mm.sched.Steps.OFF;
    private io.kmemlab.mm.sched.VLock lock;

    protected BoundaryTagHeap(UserSpace space, String name, TagLayout layout) {
        this.space = space;
        this.name = name;
        this.header = layout.header();
        this.align = layout.align();
        this.minBlock = layout.minBlock();
        this.splitMin = Math.max(minBlock, layout.splitMin());
        this.growBytes = layout.growBytes();
        this.coalesce = layout.coalesce();
        this.acct = new HeapAccounting(new HeapAccounting.FreeSpace() {
            @Override
            public long freeBytes() {
                long[] sum = {0};
                forEachFree((list, addr, size) -> sum[0] += size);
                return sum[0];
            }

            @Override
            public long largestFreeBlock() {
                long[] max = {0};
                forEachFree((list, addr, size) -> max[0] = Math.max(max[0], size));
                return max[0];
            }
        });
    }

    /**
     * The block geometry.
     *
     * @param header bytes before the payload, a multiple of 8, at least 8
     * @param align payload alignment, a power of two ≥ 8
     * @param splitMin the smallest remainder a split leaves (raised to the smallest block)
     * @param growBytes the least the heap grows by at a time
     * @param coalesce merge a freed block with free neighbours
     */
    public record TagLayout(long header, long align, long splitMin, long growBytes, boolean coalesce) {
        public TagLayout {
            if (header < 8 || header % 8 != 0 || align < 8 || Long.bitCount(align) != 1 || growBytes < 0) {
                throw new IllegalArgumentException("bad block layout");
            }
        }

        /** Header, two links and a footer, rounded up to the alignment. */
        public long minBlock() {
            return Sizes.alignUp(header + 24, align);
        }
    }

    // ---- the free-block index a subclass supplies

    /** A free block of {@code size} bytes to put away. */
    protected abstract void insertFree(long b, long size);

    /** A free block leaves the index (to be allocated or merged). */
    protected abstract void removeFree(long b, long size);

    /**
     * Finds a free block of at least {@code asize} bytes and sets {@link #searched}; 0 if none.
     * The block stays in the index; {@link #place} takes it out.
     */
    protected abstract long findFit(long asize);

    /**
     * A split of free block {@code b} (in the index, {@code oldSize} bytes) leaves its tail {@code
     * rem} of {@code remSize} bytes free: by default taken out and put back.
     */
    protected void splitFree(long b, long oldSize, long rem, long remSize) {
        removeFree(b, oldSize);
        insertFree(rem, remSize);
    }

    /** The subclass's own checks of its index: every free block of the heap is {@code freeBlocks}. */
    protected abstract void validateIndex(List<String> problems, LongLongMap freeBlocks);

    // ---- block words

    protected final long hdr(long b) {
        return space.readU64(b + header - 8);
    }

    protected final void setHdr(long b, long word) {
        space.writeU64(b + header - 8, word);
    }

    protected static long sizeOf(long word) {
        return word & ~FLAGS;
    }

    protected final long blockSize(long b) {
        return sizeOf(hdr(b));
    }

    protected final long nextLink(long b) {
        return space.readU64(b + header);
    }

    protected final long prevLink(long b) {
        return space.readU64(b + header + 8);
    }

    protected final void setNextLink(long b, long v) {
        space.writeU64(b + header, v);
    }

    protected final void setPrevLink(long b, long v) {
        space.writeU64(b + header + 8, v);
    }

    private void setPrevAllocBit(long b, boolean on) {
        long w = hdr(b);
        setHdr(b, on ? w | PREV_ALLOC : w & ~PREV_ALLOC);
    }

    /** A request's block size: payload plus header, aligned, at least the smallest block. */
    protected final long adjust(long size) {
        return Math.max(minBlock, Sizes.alignUp(size + header, align));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public UserHeapMetric metric() {
        return acct;
    }

    @Override
    public Optional<HeapView> heapView() {
        return Optional.of(this);
    }

    @Override
    public long lastSearched() {
        return searched;
    }

    // ---- the heap

    private boolean start() {
        if (started) {
            return true;
        }
        long base = space.startBrk();
        heapStart = Sizes.alignUp(base + header, align) - header;
        heapEnd = heapStart;
        long want = heapEnd + header;
        if (space.brk(want) < want) {
            return false;
        }
        setHdr(heapEnd, ALLOC | PREV_ALLOC);
        acct.heapChanged(want - base);
        started = true;
        return true;
    }

    /**
     * Grows the heap through brk so that a free block of at least {@code asize} bytes ends it, and
     * returns that block (in the index), or 0 if the kernel refused.
     */
    private long grow(long asize) {
        long epi = hdr(heapEnd);
        long lastFree = 0;
        if (coalesce && (epi & PREV_ALLOC) == 0 && heapEnd > heapStart) {
            lastFree = sizeOf(space.readU64(heapEnd - 8));
        }
        long ext = Math.max(Sizes.alignUp(asize - lastFree, align), Sizes.alignUp(growBytes, align));
        long oldBrk = heapEnd + header;
        long want = oldBrk + ext;
        if (want - heapStart > Sizes.MAX_REQUEST || space.brk(want) < want) {
            return 0;
        }
        acct.heapChanged(ext);
        long b = heapEnd;
        setHdr(b, ext | (epi & PREV_ALLOC));
        heapEnd += ext;
        setHdr(heapEnd, ALLOC);
        return freeBlock(b, ext);
    }

    /**
     * Makes {@code [b, b + size)} a free block, merging it with free neighbours when coalescing,
     * and puts it in the index. b's header must hold the right P bit.
     *
     * @return the (merged) free block
     */
    private long freeBlock(long b, long size) {
        long prevBit = hdr(b) & PREV_ALLOC;
        if (coalesce) {
            long next = b + size;
            long nw = hdr(next);
            long ns = sizeOf(nw);
            if (next != heapEnd && (ns < minBlock || ns % align != 0 || ns > heapEnd - next)) {
                // as glibc's _int_free checks the next chunk's size before it merges
                space.abort(String.format("free(): invalid next size (normal) at 0x%x", next));
                return b;
            }
            if ((nw & ALLOC) == 0) {
                removeFree(next, ns);
                size += ns;
            }
            if (prevBit == 0) {
                long ps = sizeOf(space.readU64(b - 8));
                long pb = b - ps;
                if (ps < minBlock
                        || ps % align != 0
                        || pb < heapStart
                        || sizeOf(hdr(pb)) != ps
                        || (hdr(pb) & ALLOC) != 0) {
                    space.abort(String.format("free(): corrupted size vs. prev_size at 0x%x", b));
                    return b;
                }
                removeFree(pb, ps);
                prevBit = hdr(pb) & PREV_ALLOC;
                b = pb;
                size += ps;
            }
        }
        setHdr(b, size | prevBit);
        space.writeU64(b + size - 8, size);
        setPrevAllocBit(b + size, false);
        insertFree(b, size);
        return b;
    }

    /** Allocates {@code asize} bytes from free block {@code b} (in the index): split if worth it. */
    private void place(long b, long asize) {
        long w = hdr(b);
        long size = sizeOf(w);
        long prevBit = w & PREV_ALLOC;
        if (size - asize >= splitMin) {
            long rem = b + asize;
            long remSize = size - asize;
            setHdr(b, asize | prevBit | ALLOC);
            setHdr(rem, remSize | PREV_ALLOC);
            space.writeU64(rem + remSize - 8, remSize);
            splitFree(b, size, rem, remSize);
        } else {
            removeFree(b, size);
            setHdr(b, size | prevBit | ALLOC);
            setPrevAllocBit(b + size, true);
        }
    }

    /** A block of {@code asize} bytes, allocated, from the index or a grown heap; 0 if none. */
    private long allocateBlock(long asize) {
        if (!start()) {
            return 0;
        }
        long b = findFit(asize);
        space.chargeUser(UserCost.CALL_NANOS + UserCost.ELEMENT_NANOS * searched);
        if (b == 0) {
            long s = searched;
            b = grow(asize);
            searched = s;
            if (b == 0) {
                return 0;
            }
        }
        place(b, asize);
        return b;
    }

    /**
     * Threads in virtual time: every call holds one global futex lock (a default pthread mutex
     * around the whole allocator), for the work the replay charges the process: the call and
     * each free-list element examined ({@link UserCost}).
     */
    @Override
    public void attach(io.kmemlab.mm.sched.Scheduler s) {
        steps = s.steps();
        lock = s.newLock("malloc_lock", io.kmemlab.mm.sched.LockPolicy.FUTEX);
    }

    /** Every thread shares the one list; nothing is per thread. */
    @Override
    public void asThread(int tid) {}

    @Override
    public void threadExit() {}

    private void enter() {
        if (lock != null) {
            searched = 0;
            steps.lock(lock);
        }
    }

    private void leave() {
        if (lock != null) {
            steps.work(UserCost.CALL_NANOS + UserCost.ELEMENT_NANOS * searched);
            steps.write(heapStart);
            steps.unlock(lock);
        }
    }

    @Override
    public long malloc(long size) {
        acct.countMalloc();
        enter();
        try {
            return mallocBlock(size);
        } finally {
            leave();
        }
    }

    private long mallocBlock(long size) {
        if (Sizes.tooBig(size)) {
            acct.countFailure();
            return 0;
        }
        long b = allocateBlock(adjust(size));
        if (b == 0) {
            acct.countFailure();
            return 0;
        }
        acct.allocated(b + header, size, blockSize(b) - header);
        return b + header;
    }

    @Override
    public long calloc(long n, long size) {
        acct.countMalloc();
        long bytes = Sizes.callocBytes(n, size);
        if (bytes < 0) {
            acct.countFailure();
            return 0;
        }
        long p = mallocBlock(bytes);
        space.chargeUser(UserCost.bytesNanos(bytes));
        if (p != 0 && !space.fill(p, 0, bytes)) {
            return 0;
        }
        return p;
    }

    @Override
    public long memalign(long alignment, long size) {
        acct.countMalloc();
        if (alignment <= 0 || Long.bitCount(alignment) != 1 || alignment > Sizes.MAX_REQUEST || Sizes.tooBig(size)) {
            acct.countFailure();
            return 0;
        }
        if (alignment <= align) {
            return mallocBlock(size);
        }
        long asize = adjust(size);
        // Room to slide the payload to an aligned address and leave a free block in front.
        long b = allocateBlock(asize + alignment + minBlock);
        if (b == 0) {
            acct.countFailure();
            return 0;
        }
        long q = Sizes.alignUp(b + header, alignment);
        while (q != b + header && q - header - b < minBlock) {
            q += alignment;
        }
        long nb = q - header;
        if (nb != b) {
            long w = hdr(b);
            long lead = nb - b;
            long total = sizeOf(w);
            setHdr(nb, (total - lead) | ALLOC);
            setHdr(b, lead | (w & PREV_ALLOC));
            freeBlock(b, lead);
            b = nb;
        }
        shrink(b, asize);
        acct.allocated(b + header, size, blockSize(b) - header);
        return b + header;
    }

    /** Gives the tail of allocated block {@code b} beyond {@code asize} back, if it is worth a block. */
    private void shrink(long b, long asize) {
        long w = hdr(b);
        long size = sizeOf(w);
        if (size - asize < splitMin) {
            return;
        }
        setHdr(b, asize | (w & FLAGS));
        long rem = b + asize;
        setHdr(rem, (size - asize) | PREV_ALLOC);
        freeBlock(rem, size - asize);
    }

    /**
     * The block of the live payload {@code p}, or -1 after reporting a bad pointer ({@code what}
     * names the call, as glibc's messages do).
     */
    private long liveBlock(long p, String what) {
        if (!started || (p & (align - 1)) != 0 || p < heapStart + header || p >= heapEnd + header) {
            return bad(what + "(): invalid pointer", p);
        }
        long b = p - header;
        long w = hdr(b);
        long size = sizeOf(w);
        boolean sane = size >= minBlock && size % align == 0 && size <= heapEnd - b;
        if (!sane) {
            return bad(what + "(): invalid pointer", p);
        }
        if (!acct.isLive(p)) {
            return bad((w & ALLOC) == 0 ? what + "(): double free detected" : what + "(): invalid pointer", p);
        }
        if ((w & ALLOC) == 0) {
            return bad(what + "(): invalid pointer", p);
        }
        return b;
    }

    private long bad(String message, long p) {
        acct.countBadFree();
        space.warn(message + " 0x" + Long.toHexString(p));
        return -1;
    }

    @Override
    public void free(long ptr) {
        if (ptr == 0) {
            return;
        }
        acct.countFree();
        enter();
        try {
            long b = liveBlock(ptr, "free");
            if (b < 0) {
                return;
            }
            release(b);
        } finally {
            leave();
        }
    }

    private void release(long b) {
        space.chargeUser(UserCost.CALL_NANOS);
        long w = hdr(b);
        acct.released(b + header, sizeOf(w) - header);
        setHdr(b, w & ~ALLOC);
        freeBlock(b, sizeOf(w));
    }

    @Override
    public long realloc(long ptr, long size) {
        if (ptr == 0) {
            return malloc(size);
        }
        acct.countRealloc();
        long b = liveBlock(ptr, "realloc");
        if (b < 0) {
            return 0;
        }
        if (size == 0) {
            acct.countFree();
            release(b);
            return 0;
        }
        if (Sizes.tooBig(size)) {
            acct.countFailure();
            return 0;
        }
        long asize = adjust(size);
        long w = hdr(b);
        long old = sizeOf(w);
        if (asize > old) {
            long next = b + old;
            long nw = hdr(next);
            if ((nw & ALLOC) == 0 && old + sizeOf(nw) >= asize) {
                // The free block after it makes room in place.
                removeFree(next, sizeOf(nw));
                setHdr(b, (old + sizeOf(nw)) | (w & FLAGS));
                setPrevAllocBit(b + old + sizeOf(nw), true);
            } else if (next == heapEnd && growInPlace(asize - old)) {
                setHdr(b, (old + asize - old) | (w & FLAGS));
                setPrevAllocBit(b + asize, true);
            } else {
                long q = mallocBlock(size);
                if (q == 0) {
                    return 0;
                }
                space.chargeUser(UserCost.bytesNanos(old - header));
                if (!space.copy(q, ptr, old - header)) {
                    return 0;
                }
                release(b);
                return q;
            }
        }
        acct.released(ptr, old - header);
        shrink(b, asize);
        acct.allocated(ptr, size, blockSize(b) - header);
        return ptr;
    }

    /** Moves the break up by {@code bytes} so the last (allocated) block can grow into it. */
    private boolean growInPlace(long bytes) {
        long oldBrk = heapEnd + header;
        long want = oldBrk + bytes;
        if (want - heapStart > Sizes.MAX_REQUEST || space.brk(want) < want) {
            return false;
        }
        acct.heapChanged(bytes);
        heapEnd += bytes;
        setHdr(heapEnd, ALLOC | PREV_ALLOC);
        return true;
    }

    @Override
    public long usableSize(long ptr) {
        if (ptr == 0 || !acct.isLive(ptr)) {
            return 0;
        }
        return blockSize(ptr - header) - header;
    }

    // ---- views and checks

    @Override
    public void forEachBlock(BlockVisitor visitor) {
        if (!started) {
            return;
        }
        long blocks = 0;
        for (long b = heapStart; b < heapEnd && blocks++ <= (heapEnd - heapStart) / minBlock; ) {
            long w = hdr(b);
            long size = sizeOf(w);
            if (size < minBlock || b + size > heapEnd) {
                return;
            }
            boolean used = (w & ALLOC) != 0;
            visitor.block(b, size, used, used ? b + header : 0);
            b += size;
        }
    }

    @Override
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (!started) {
            return problems;
        }
        if (space.brkAddress() != heapEnd + header) {
            problems.add(
                    String.format("program break 0x%x, the heap ends at 0x%x", space.brkAddress(), heapEnd + header));
        }
        LongLongMap free = new LongLongMap(-1);
        long live = 0;
        long usable = 0;
        boolean prevAlloc = true;
        boolean prevFree = false;
        long b = heapStart;
        while (b < heapEnd) {
            long w = hdr(b);
            long size = sizeOf(w);
            if (size < minBlock || size % align != 0 || size > heapEnd - b) {
                problems.add(String.format("block 0x%x: bad header 0x%016x (size %d)", b, w, size));
                return problems;
            }
            if (((w & PREV_ALLOC) != 0) != prevAlloc) {
                problems.add(String.format(
                        "block 0x%x: P bit %d but the previous block is %s",
                        b, (w & PREV_ALLOC) >> 1, prevAlloc ? "allocated" : "free"));
            }
            boolean used = (w & ALLOC) != 0;
            if (used) {
                if (!acct.isLive(b + header)) {
                    problems.add(String.format("block 0x%x: allocated but its payload is not live", b));
                }
                live++;
                usable += size - header;
            } else {
                long foot = space.readU64(b + size - 8);
                if (foot != size) {
                    problems.add(String.format("block 0x%x: footer 0x%016x does not match header 0x%016x", b, foot, w));
                }
                if (coalesce && prevFree) {
                    problems.add(String.format("block 0x%x: free next to a free block (not coalesced)", b));
                }
                free.put(b, size);
            }
            prevAlloc = used;
            prevFree = !used;
            b += size;
        }
        long epi = hdr(heapEnd);
        if (sizeOf(epi) != 0 || (epi & ALLOC) == 0 || ((epi & PREV_ALLOC) != 0) != prevAlloc) {
            problems.add(String.format("epilogue at 0x%x: bad header 0x%016x", heapEnd, epi));
        }
        if (live != acct.liveBlocks() || usable != acct.liveUsableBytes()) {
            problems.add(String.format(
                    "%d allocated blocks of %d usable bytes in the heap, %d of %d counted",
                    live, usable, acct.liveBlocks(), acct.liveUsableBytes()));
        }
        validateIndex(problems, free);
        return problems;
    }
}
