package io.kmemlab.slob;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;

/**
 * The free-block header of a SLOB page, read and written in emulated page memory exactly where
 * and how {@code set_slob()}, {@code slob_units()} and {@code slob_next()} keep it.
 *
 * <p>Memory is counted in units of {@code slob_t} ({@code slobidx_t} is {@code s16} for 4 KiB
 * pages): {@link #SLOB_UNIT} = 2 bytes, 2048 units per page. Offsets are in units from the page
 * start. Only free blocks carry a header:
 *
 * <pre>
 *   free block of n &gt; 1 units          free block of exactly 1 unit
 *   +--------+--------+-----------+     +--------+
 *   |   +n   |  next  |  (unused) |     | -next  |
 *   +--------+--------+-----------+     +--------+
 *    word 0   word 1                     word 0
 *
 *   words are little-endian s16; next = offset of the following free block,
 *   UNITS_PER_PAGE (the page end) for the last block (slob_last)
 * </pre>
 *
 * Word 0 positive is a size; negative or zero means a single unit whose next offset is
 * {@code -word0} ({@code slob_next} reads word 1 only when word 0 is positive, as the kernel).
 */
public final class SlobBlock {
    /** sizeof(slob_t) with 4 KiB pages. */
    public static final int SLOB_UNIT = 2;
    /** SLOB_UNITS(PAGE_SIZE). */
    public static final int UNITS_PER_PAGE = Addr.PAGE_SIZE / SLOB_UNIT;

    private SlobBlock() {}

    /** SLOB_UNITS(bytes): bytes rounded up to whole units. */
    public static int units(long bytes) {
        return (int) ((bytes + SLOB_UNIT - 1) / SLOB_UNIT);
    }

    /** Address of the unit at {@code off} in the page at {@code base}. */
    public static long addr(long base, int off) {
        return base + (long) off * SLOB_UNIT;
    }

    /** Unit offset of {@code addr} inside the page at {@code base}. */
    public static int offset(long base, long addr) {
        return (int) ((addr - base) / SLOB_UNIT);
    }

    /** set_slob(s, size, next): encodes a free block of {@code size} units at {@code off}. */
    public static void set(PhysMem mem, long base, int off, int size, int nextOff) {
        long a = addr(base, off);
        if (size > 1) {
            // both words in one little-endian write (word 0 at a, word 1 at a + 2): a block of two
            // or more units ends inside its page, so the four bytes never cross a page boundary
            mem.writeU32(a, (size & 0xffff) | (nextOff & 0xffff) << 16);
        } else {
            mem.writeU16(a, -nextOff);
        }
    }

    /**
     * {@link #set(PhysMem, long, int, int, int)} into the page's bytes ({@link PhysMem#frameIfBacked}
     * of the page at {@code base}, or null, which takes the general path): the same bytes written,
     * without the directory walk per header.
     */
    public static void set(byte[] frame, PhysMem mem, long base, int off, int size, int nextOff) {
        if (frame == null) {
            set(mem, base, off, size, nextOff);
            return;
        }
        long a = addr(base, off);
        if (size > 1) {
            PhysMem.writeU32(frame, a, (size & 0xffff) | (nextOff & 0xffff) << 16);
        } else {
            PhysMem.writeU16(frame, a, -nextOff);
        }
    }

    /** Word 0 of the header as the signed {@code slobidx_t}. */
    public static int word0(PhysMem mem, long base, int off) {
        return (short) mem.readU16(addr(base, off));
    }

    /** slob_units(s): the block's size in units (1 for the single-unit form). */
    public static int size(PhysMem mem, long base, int off) {
        int w0 = word0(mem, base, off);
        return w0 > 0 ? w0 : 1;
    }

    /** slob_next(s), as a unit offset in the page ({@link #UNITS_PER_PAGE} for the last block). */
    public static int next(PhysMem mem, long base, int off) {
        int w0 = word0(mem, base, off);
        return w0 < 0 ? -w0 : (short) mem.readU16(addr(base, off) + SLOB_UNIT);
    }

    /**
     * Both header words of the block at {@code off} in one read: word 0 in the low 16 bits, word 1
     * in the high 16 bits. Callers decode with {@link #sizeOf} and {@link #nextOf}, which give what
     * {@link #size} and {@link #next} give. The last unit of a page has no word 1 inside the page,
     * so there the words are read one at a time exactly as {@link #next} reads them.
     */
    public static int header(PhysMem mem, long base, int off) {
        long a = addr(base, off);
        if (off < UNITS_PER_PAGE - 1) {
            return mem.readU32(a);
        }
        int w0 = mem.readU16(a);
        return (short) w0 < 0 ? w0 : w0 | mem.readU16(a + SLOB_UNIT) << 16;
    }

    /**
     * {@link #header(PhysMem, long, int)} from the page's bytes ({@link PhysMem#frameIfBacked} of
     * the page at {@code base}, or null): one array read per block for the walks that visit many
     * blocks of one page. An unbacked page and the last unit take the general path, so the value is
     * always the one {@link #header(PhysMem, long, int)} gives.
     */
    public static int header(byte[] frame, PhysMem mem, long base, int off) {
        if (frame != null && off < UNITS_PER_PAGE - 1) {
            return PhysMem.readU32(frame, addr(base, off));
        }
        return header(mem, base, off);
    }

    /** slob_units(s) from a {@link #header}. */
    public static int sizeOf(int header) {
        int w0 = (short) header;
        return w0 > 0 ? w0 : 1;
    }

    /** slob_next(s) from a {@link #header}. */
    public static int nextOf(int header) {
        int w0 = (short) header;
        return w0 < 0 ? -w0 : header >> 16;
    }

    /** slob_last(s): the next block is the page end. */
    public static boolean isLast(PhysMem mem, long base, int off) {
        return next(mem, base, off) == UNITS_PER_PAGE;
    }
}
