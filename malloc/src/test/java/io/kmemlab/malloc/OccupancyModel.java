package io.kmemlab.malloc;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.TreeMap;

/**
 * An independent model of which bytes of the process are live, for property and stress tests of
 * any {@link UserAllocator}: it knows nothing of the allocator's layout, only what the C library
 * promises a program. Every block the allocator hands out is checked (not NULL, aligned, usable ≥
 * requested, no byte shared with another live block) and then filled in the process's memory,
 * all its usable bytes, with a pattern of its own; every free checks the pattern is still whole
 * (the allocator wrote nothing into a live block), every realloc that the bytes it must keep —
 * the first {@code min(old, new)} requested bytes — came along, every calloc that its bytes are
 * zero. A disagreement is an {@link AssertionError} naming the block.
 *
 * <p>Blocks larger than {@link #FULL_CHECK} bytes are filled and checked in their first and last
 * {@code FULL_CHECK / 2} bytes only, which keeps a million operations inside a unit test's budget.
 */
public final class OccupancyModel {
    public static final int FULL_CHECK = 1 << 16;

    /** A live block as the program sees it. */
    public record Block(long ptr, long requested, long usable, int pattern) {
        long end() {
            return ptr + Math.max(usable, 1);
        }
    }

    private final UserSpace space;
    private final TreeMap<Long, Block> live = new TreeMap<>();
    private final byte[] buf = new byte[FULL_CHECK];
    private long liveRequested;
    private int nextPattern = 1;
    private long checkedOps;

    public OccupancyModel(UserSpace space) {
        this.space = space;
    }

    public int liveBlocks() {
        return live.size();
    }

    public long liveRequestedBytes() {
        return liveRequested;
    }

    public long checkedOps() {
        return checkedOps;
    }

    public Block block(long ptr) {
        return live.get(ptr);
    }

    /** Forgets every block (after a bump allocator's reset). */
    public void clear() {
        live.clear();
        liveRequested = 0;
    }

    /** A block malloc (or memalign with {@code align}) returned for {@code requested} bytes. */
    public void allocated(long ptr, long requested, long usable, long align) {
        checkedOps++;
        check(ptr != 0, "allocation of %d bytes returned NULL", requested);
        check((ptr & (align - 1)) == 0, "block 0x%x for %d bytes is not %d-aligned", ptr, requested, align);
        check(usable >= requested, "block 0x%x: usable %d < requested %d", ptr, usable, requested);
        Block b = new Block(ptr, requested, usable, pattern());
        Map.Entry<Long, Block> below = live.floorEntry(ptr);
        check(
                below == null || below.getValue().end() <= ptr,
                "block 0x%x+%d overlaps live block 0x%x+%d",
                ptr,
                usable,
                below == null ? 0 : below.getKey(),
                below == null ? 0 : below.getValue().usable());
        Map.Entry<Long, Block> above = live.ceilingEntry(ptr);
        check(
                above == null || above.getKey() >= ptr + Math.max(usable, 1),
                "block 0x%x+%d overlaps live block 0x%x+%d",
                ptr,
                usable,
                above == null ? 0 : above.getKey(),
                above == null ? 0 : above.getValue().usable());
        live.put(ptr, b);
        liveRequested += requested;
        paint(b);
    }

    /** A block calloc returned: its requested bytes must read as zero before the model paints it. */
    public void callocated(long ptr, long requested, long usable, long align) {
        if (ptr != 0) {
            verifyRange(ptr, requested, 0, "calloc'd block 0x%x is not zeroed at +%d");
        }
        allocated(ptr, requested, usable, align);
    }

    /** The program frees {@code ptr}: its bytes must be as the model left them. */
    public void freeing(long ptr) {
        checkedOps++;
        Block b = live.remove(ptr);
        check(b != null, "free of 0x%x, which the model has no live block at", ptr);
        verifyBlock(b, b.usable());
        liveRequested -= b.requested();
    }

    /**
     * realloc moved (or kept) {@code old} to {@code ptr} for {@code requested} bytes: the first
     * {@code min(old requested, requested)} bytes must have come along.
     */
    public void reallocated(long old, long ptr, long requested, long usable, long align) {
        checkedOps++;
        Block b = live.get(old);
        check(b != null, "realloc of 0x%x, which the model has no live block at", old);
        check(ptr != 0, "realloc of 0x%x to %d bytes returned NULL", old, requested);
        long keep = Math.min(b.requested(), requested);
        verifyBlockPrefix(b, ptr, keep);
        live.remove(old);
        liveRequested -= b.requested();
        allocated(ptr, requested, usable, align);
        checkedOps--;
    }

    /** Every live block's bytes are still its pattern. */
    public void verifyAll() {
        for (Block b : live.values()) {
            verifyBlock(b, b.usable());
        }
    }

    /** The allocator's own counts agree with the model's. */
    public void agreesWith(UserAllocator a) {
        check(
                a.metric().liveBlocks() == live.size(),
                "%s counts %d live blocks, the model %d",
                a.name(),
                a.metric().liveBlocks(),
                live.size());
        check(
                a.metric().liveRequestedBytes() == liveRequested,
                "%s counts %d live requested bytes, the model %d",
                a.name(),
                a.metric().liveRequestedBytes(),
                liveRequested);
        check(
                a.metric().liveUsableBytes() >= liveRequested,
                "%s: live usable %d < live requested %d",
                a.name(),
                a.metric().liveUsableBytes(),
                liveRequested);
    }

    private int pattern() {
        int p = (nextPattern++ * 0x9E3779B1) >>> 24;
        return p == 0 ? 0x5A : p;
    }

    /**
     * The pattern byte at {@code off} of block {@code b}: the block's own byte, except in its first
     * and last {@link #EDGE} bytes, which also encode their offset, so that a copy that lands
     * shifted, short or from the wrong block shows.
     */
    private static byte at(Block b, long off) {
        return (byte) (b.pattern() + (off < EDGE || off >= b.usable() - EDGE ? (off * 7) + 1 : 0));
    }

    private static final int EDGE = 32;

    private void paint(Block b) {
        long n = b.usable();
        if (n <= FULL_CHECK) {
            paintRange(b, b.ptr(), 0, n);
        } else {
            paintRange(b, b.ptr(), 0, FULL_CHECK / 2);
            paintRange(b, b.ptr(), n - FULL_CHECK / 2, n);
        }
        check(space.alive(), "the process died painting block 0x%x+%d", b.ptr(), n);
    }

    private void paintRange(Block b, long base, long from, long to) {
        long bodyFrom = Math.max(from, Math.min(EDGE, to));
        long bodyTo = Math.max(bodyFrom, Math.min(to, b.usable() - EDGE));
        edges(b, base, from, bodyFrom);
        if (bodyTo > bodyFrom) {
            space.fill(base + bodyFrom, b.pattern(), bodyTo - bodyFrom);
        }
        edges(b, base, Math.max(bodyTo, from), to);
    }

    private void edges(Block b, long base, long from, long to) {
        for (long off = from; off < to; off++) {
            space.writeU8(base + off, at(b, off) & 0xff);
        }
    }

    private void verifyBlock(Block b, long len) {
        verifyBlockPrefix(b, b.ptr(), len);
    }

    /** The first {@code len} bytes at {@code base} hold block {@code b}'s pattern (where painted). */
    private void verifyBlockPrefix(Block b, long base, long len) {
        if (b.usable() <= FULL_CHECK) {
            verifyPattern(b, base, 0, len);
        } else {
            verifyPattern(b, base, 0, Math.min(len, FULL_CHECK / 2));
            verifyPattern(b, base, Math.max(b.usable() - FULL_CHECK / 2, 0), len);
        }
    }

    private void verifyPattern(Block b, long base, long from, long to) {
        for (long off = from; off < to; ) {
            int n = (int) Math.min(to - off, buf.length);
            check(space.read(base + off, buf, 0, n), "the process died reading block 0x%x", b.ptr());
            long body = b.usable() - EDGE;
            byte bodyByte = (byte) b.pattern();
            for (int i = 0; i < n; i++) {
                long o = off + i;
                byte want = o >= EDGE && o < body ? bodyByte : at(b, o);
                if (buf[i] != want) {
                    throw new AssertionError(String.format(
                            "block 0x%x (requested %d, usable %d, now at 0x%x): byte +%d is 0x%02x, not 0x%02x",
                            b.ptr(), b.requested(), b.usable(), base, o, buf[i] & 0xff, want & 0xff));
                }
            }
            off += n;
        }
    }

    private void verifyRange(long base, long len, int value, String what) {
        long lim = Math.min(len, FULL_CHECK);
        for (long off = 0; off < lim; ) {
            int n = (int) Math.min(lim - off, buf.length);
            check(space.read(base + off, buf, 0, n), "the process died reading 0x%x", base);
            for (int i = 0; i < n; i++) {
                if (buf[i] != value) {
                    throw new AssertionError(String.format(what, base, off + i));
                }
            }
            off += n;
        }
    }

    private static void check(boolean ok, String format, Object... args) {
        if (!ok) {
            throw new AssertionError(String.format(format, args));
        }
    }
}
