package io.kmemlab.malloc.glibc;

/**
 * {@code struct mallinfo2}: the figures mallinfo2() adds up over all arenas.
 *
 * @param arena non-mmapped bytes from the kernel (Σ system_mem)
 * @param ordblks free chunks in the regular bins, plus each arena's top
 * @param smblks chunks in fastbins
 * @param hblks mmapped chunks
 * @param hblkhd bytes in mmapped chunks
 * @param usmblks always 0
 * @param fsmblks bytes in fastbins
 * @param uordblks bytes in use (chunks in tcache count as in use)
 * @param fordblks free bytes (bins, fastbins, top)
 * @param keepcost the main arena's top size
 */
public record Mallinfo2(
        long arena,
        long ordblks,
        long smblks,
        long hblks,
        long hblkhd,
        long usmblks,
        long fsmblks,
        long uordblks,
        long fordblks,
        long keepcost) {
    static final int ARENA = 0;
    static final int ORDBLKS = 1;
    static final int SMBLKS = 2;
    static final int HBLKS = 3;
    static final int HBLKHD = 4;
    static final int USMBLKS = 5;
    static final int FSMBLKS = 6;
    static final int UORDBLKS = 7;
    static final int FORDBLKS = 8;
    static final int KEEPCOST = 9;
    static final int FIELDS = 10;

    Mallinfo2(long[] m) {
        this(m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[7], m[8], m[9]);
    }

    /** The line replay.c prints (usmblks left out, as it does). */
    public String replayLine() {
        return "# mallinfo2 arena=" + Long.toUnsignedString(arena)
                + " ordblks=" + Long.toUnsignedString(ordblks)
                + " smblks=" + Long.toUnsignedString(smblks)
                + " hblks=" + Long.toUnsignedString(hblks)
                + " hblkhd=" + Long.toUnsignedString(hblkhd)
                + " fsmblks=" + Long.toUnsignedString(fsmblks)
                + " uordblks=" + Long.toUnsignedString(uordblks)
                + " fordblks=" + Long.toUnsignedString(fordblks)
                + " keepcost=" + Long.toUnsignedString(keepcost);
    }
}
