package io.kmemlab.mm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The bytes of emulated physical memory, addressed by direct-map virtual address.
 *
 * <p>A frame's 4 KiB exist only once something non-zero has been written to it: reads of an
 * untouched frame see zeros and writing zeros to it costs nothing, so a 1 TiB machine boots with
 * almost no heap. Frames are found through a two-level directory, one slot per max-order block
 * (1024 frames) and then one array per frame:
 *
 * <pre>
 *   dir[pfn &gt;&gt;&gt; 10] --&gt; byte[1024][] --&gt; [pfn &amp; 1023] --&gt; byte[4096] (null until written)
 * </pre>
 *
 * All typed accessors are little-endian (x86-64). Callers validate user-supplied addresses first
 * (see {@link #contains}); an address outside memory here is a bug in kmemlab and throws.
 */
public final class PhysMem {
    private static final int DIR_SHIFT = 10;
    private static final int DIR_MASK = (1 << DIR_SHIFT) - 1;
    private static final VarHandle U16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle U64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private final int nrFrames;
    private final byte[][][] dir;
    private long backedFrames;

    public PhysMem(int nrFrames) {
        if (nrFrames <= 0) {
            throw new IllegalArgumentException("nrFrames must be positive: " + nrFrames);
        }
        this.nrFrames = nrFrames;
        this.dir = new byte[(int) (((long) nrFrames + DIR_MASK) >>> DIR_SHIFT)][][];
    }

    public int nrFrames() {
        return nrFrames;
    }

    /** Number of frames whose bytes have been materialised. */
    public long backedFrames() {
        return backedFrames;
    }

    /** True if [virt, virt+len) lies inside the direct map of this memory. */
    public boolean contains(long virt, long len) {
        long phys = virt - Addr.PAGE_OFFSET;
        long end = (long) nrFrames << Addr.PAGE_SHIFT;
        return phys >= 0 && len >= 0 && phys <= end - len;
    }

    public boolean isBacked(int pfn) {
        byte[][] leaf = dir[pfn >>> DIR_SHIFT];
        return leaf != null && leaf[pfn & DIR_MASK] != null;
    }

    // --- block handles: a hot path's shortcut past the directory ----------------------------

    /** Frames per directory block: one aligned max-order (order 10) buddy block. */
    public static final int BLOCK_FRAMES = 1 << DIR_SHIFT;

    /** True if the {@code nrPages} frames from {@code pfn} lie in one directory block. */
    public static boolean oneBlock(int pfn, int nrPages) {
        return nrPages >= 1 && nrPages <= BLOCK_FRAMES && (pfn >>> DIR_SHIFT) == ((pfn + nrPages - 1) >>> DIR_SHIFT);
    }

    /**
     * The directory block holding {@code pfn}: the frame slots of its aligned max-order block,
     * created if absent (its frames stay unmaterialised until written). A slab allocator keeps the
     * handle of each slab (a buddy block of order 10 or less never spans two directory blocks) and
     * finds a free pointer's frame in it with {@link #frameIn}, then reads and writes the word with
     * {@link #readU64(byte[], long)} and {@link #writeU64(byte[], long, long)}: the same bytes as
     * {@link #readU64(long)}, one directory load and the range check fewer.
     */
    public byte[][] block(int pfn) {
        if (pfn < 0 || pfn >= nrFrames) {
            throw new IllegalArgumentException("pfn outside emulated memory: " + pfn);
        }
        byte[][] leaf = dir[pfn >>> DIR_SHIFT];
        if (leaf == null) {
            leaf = new byte[1 << DIR_SHIFT][];
            dir[pfn >>> DIR_SHIFT] = leaf;
        }
        return leaf;
    }

    /**
     * The bytes of the frame holding {@code virt} inside {@code block} (from {@link #block}), or
     * null if that frame is untouched: for a hot path that goes on with {@link #readU64(byte[],
     * long)} / {@link #writeU64(byte[], long, long)} and takes {@link #readU64(long)} /
     * {@link #writeU64(long, long)} only for an untouched frame. Small enough for the JIT to inline
     * wherever it is called, so that a fast path with this in it has no call in it.
     */
    public static byte[] frameIn(byte[][] block, long virt) {
        return block[(int) ((virt - Addr.PAGE_OFFSET) >>> Addr.PAGE_SHIFT) & DIR_MASK];
    }

    /**
     * The bytes of frame {@code pfn} if they have been materialised, else null (the frame reads as
     * zeros). Once materialised a frame stays, so a hot path may keep the array for a page it owns
     * and read and write aligned words in it with {@link #readU64(byte[], long)} and
     * {@link #writeU64(byte[], long, long)}: the same bytes every other accessor sees.
     */
    public byte[] frameIfBacked(int pfn) {
        if (pfn < 0 || pfn >= nrFrames) {
            throw new IllegalArgumentException("pfn outside emulated memory: " + pfn);
        }
        byte[][] leaf = dir[pfn >>> DIR_SHIFT];
        return leaf == null ? null : leaf[pfn & DIR_MASK];
    }

    /**
     * The bytes of frame {@code pfn}, materialised now if untouched: for a caller about to write
     * non-zero words into the page (which would materialise it anyway).
     */
    public byte[] frame(int pfn) {
        if (pfn < 0 || pfn >= nrFrames) {
            throw new IllegalArgumentException("pfn outside emulated memory: " + pfn);
        }
        return frameForWrite(Addr.pfnToVirt(pfn));
    }

    /** Little-endian u64 at 8-byte-aligned {@code virt}, whose page's bytes are {@code frame}. */
    public static long readU64(byte[] frame, long virt) {
        assert (virt & 7) == 0 : Addr.hex(virt);
        return (long) U64.get(frame, off(virt));
    }

    /**
     * Little-endian u32 at {@code virt}, whose page's bytes are {@code frame}: for a walk that
     * reads many words of one page it owns (SLOB's free blocks), one array access per word instead
     * of the directory walk and range check of {@link #readU32(long)}. The four bytes must lie in
     * the page; any alignment.
     */
    public static int readU32(byte[] frame, long virt) {
        assert !crossesPage(virt, 4) : Addr.hex(virt);
        return (int) U32.get(frame, off(virt));
    }

    /**
     * Stores a little-endian u32 at {@code virt}, whose page's bytes are {@code frame} (the
     * counterpart of {@link #readU32(byte[], long)}; the four bytes must lie in the page).
     */
    public static void writeU32(byte[] frame, long virt, int value) {
        assert !crossesPage(virt, 4) : Addr.hex(virt);
        U32.set(frame, off(virt), value);
    }

    /** Stores a little-endian u16 at {@code virt}, whose page's bytes are {@code frame}. */
    public static void writeU16(byte[] frame, long virt, int value) {
        assert !crossesPage(virt, 2) : Addr.hex(virt);
        U16.set(frame, off(virt), (short) value);
    }

    /** Stores a little-endian u64 at 8-byte-aligned {@code virt}, whose page's bytes are {@code frame}. */
    public static void writeU64(byte[] frame, long virt, long value) {
        assert (virt & 7) == 0 : Addr.hex(virt);
        U64.set(frame, off(virt), value);
    }

    private byte[] frameForRead(long virt) {
        int pfn = pfnOf(virt);
        byte[][] leaf = dir[pfn >>> DIR_SHIFT];
        return leaf == null ? null : leaf[pfn & DIR_MASK];
    }

    private byte[] frameForWrite(long virt) {
        int pfn = pfnOf(virt);
        byte[][] leaf = dir[pfn >>> DIR_SHIFT];
        if (leaf == null) {
            leaf = new byte[1 << DIR_SHIFT][];
            dir[pfn >>> DIR_SHIFT] = leaf;
        }
        byte[] frame = leaf[pfn & DIR_MASK];
        if (frame == null) {
            frame = new byte[Addr.PAGE_SIZE];
            leaf[pfn & DIR_MASK] = frame;
            backedFrames++;
        }
        return frame;
    }

    private int pfnOf(long virt) {
        long phys = virt - Addr.PAGE_OFFSET;
        if (phys < 0 || phys >= ((long) nrFrames << Addr.PAGE_SHIFT)) {
            throw new IllegalArgumentException("address outside emulated memory: " + Addr.hex(virt));
        }
        return (int) (phys >>> Addr.PAGE_SHIFT);
    }

    private static int off(long virt) {
        return (int) (virt & (Addr.PAGE_SIZE - 1));
    }

    private static boolean crossesPage(long virt, int width) {
        return off(virt) > Addr.PAGE_SIZE - width;
    }

    /** Little-endian value of {@code width} bytes that straddle a page boundary. */
    private long readSlow(long virt, int width) {
        long v = 0;
        for (int i = width - 1; i >= 0; i--) {
            v = (v << 8) | readU8(virt + i);
        }
        return v;
    }

    private void writeSlow(long virt, long value, int width) {
        for (int i = 0; i < width; i++) {
            writeU8(virt + i, (int) (value >>> (8 * i)));
        }
    }

    public int readU8(long virt) {
        byte[] f = frameForRead(virt);
        return f == null ? 0 : f[off(virt)] & 0xff;
    }

    public void writeU8(long virt, int value) {
        byte[] f = (value & 0xff) == 0 ? frameForRead(virt) : frameForWrite(virt);
        if (f != null) {
            f[off(virt)] = (byte) value;
        }
    }

    public int readU16(long virt) {
        if (crossesPage(virt, 2)) {
            return (int) readSlow(virt, 2);
        }
        byte[] f = frameForRead(virt);
        return f == null ? 0 : (short) U16.get(f, off(virt)) & 0xffff;
    }

    public void writeU16(long virt, int value) {
        if (crossesPage(virt, 2)) {
            writeSlow(virt, value, 2);
            return;
        }
        byte[] f = (value & 0xffff) == 0 ? frameForRead(virt) : frameForWrite(virt);
        if (f != null) {
            U16.set(f, off(virt), (short) value);
        }
    }

    public int readU32(long virt) {
        if (crossesPage(virt, 4)) {
            return (int) readSlow(virt, 4);
        }
        byte[] f = frameForRead(virt);
        return f == null ? 0 : (int) U32.get(f, off(virt));
    }

    public void writeU32(long virt, int value) {
        if (crossesPage(virt, 4)) {
            writeSlow(virt, value, 4);
            return;
        }
        byte[] f = value == 0 ? frameForRead(virt) : frameForWrite(virt);
        if (f != null) {
            U32.set(f, off(virt), value);
        }
    }

    public long readU64(long virt) {
        if (crossesPage(virt, 8)) {
            return readSlow(virt, 8);
        }
        byte[] f = frameForRead(virt);
        return f == null ? 0 : (long) U64.get(f, off(virt));
    }

    public void writeU64(long virt, long value) {
        if (crossesPage(virt, 8)) {
            writeSlow(virt, value, 8);
            return;
        }
        byte[] f = value == 0 ? frameForRead(virt) : frameForWrite(virt);
        if (f != null) {
            U64.set(f, off(virt), value);
        }
    }

    /** memset: fills {@code len} bytes, which may span pages. Zero-filling untouched frames is free. */
    public void fill(long virt, int value, long len) {
        byte b = (byte) value;
        long pos = virt;
        long end = virt + len;
        while (pos < end) {
            int o = off(pos);
            int n = (int) Math.min(Addr.PAGE_SIZE - o, end - pos);
            byte[] f = b == 0 ? frameForRead(pos) : frameForWrite(pos);
            if (f != null) {
                Arrays.fill(f, o, o + n, b);
            }
            pos += n;
        }
    }

    /** Copies {@code len} bytes into {@code dst[dstOff..]}; may span pages. */
    public void read(long virt, byte[] dst, int dstOff, int len) {
        long pos = virt;
        int done = 0;
        while (done < len) {
            int o = off(pos);
            int n = Math.min(Addr.PAGE_SIZE - o, len - done);
            byte[] f = frameForRead(pos);
            if (f == null) {
                Arrays.fill(dst, dstOff + done, dstOff + done + n, (byte) 0);
            } else {
                System.arraycopy(f, o, dst, dstOff + done, n);
            }
            done += n;
            pos += n;
        }
    }

    public byte[] read(long virt, int len) {
        byte[] out = new byte[len];
        read(virt, out, 0, len);
        return out;
    }

    /** Copies {@code src[srcOff..srcOff+len)} to memory; may span pages. */
    public void write(long virt, byte[] src, int srcOff, int len) {
        long pos = virt;
        int done = 0;
        while (done < len) {
            int o = off(pos);
            int n = Math.min(Addr.PAGE_SIZE - o, len - done);
            byte[] f = frameForWrite(pos);
            System.arraycopy(src, srcOff + done, f, o, n);
            done += n;
            pos += n;
        }
    }

    /** memmove within emulated memory. */
    public void copy(long dstVirt, long srcVirt, int len) {
        byte[] tmp = read(srcVirt, len);
        write(dstVirt, tmp, 0, len);
    }

    /** True if every byte of [virt, virt+len) equals {@code value} (memchr_inv == NULL). */
    public boolean allEqual(long virt, int value, long len) {
        return firstNotEqual(virt, value, len) < 0;
    }

    /** memchr_inv: address of the first byte in [virt, virt+len) not equal to value, or -1. */
    public long firstNotEqual(long virt, int value, long len) {
        byte b = (byte) value;
        long pos = virt;
        long end = virt + len;
        while (pos < end) {
            int o = off(pos);
            int n = (int) Math.min(Addr.PAGE_SIZE - o, end - pos);
            byte[] f = frameForRead(pos);
            if (f == null) {
                if (b != 0) {
                    return pos;
                }
            } else {
                for (int i = o; i < o + n; i++) {
                    if (f[i] != b) {
                        return pos + (i - o);
                    }
                }
            }
            pos += n;
        }
        return -1;
    }
}
