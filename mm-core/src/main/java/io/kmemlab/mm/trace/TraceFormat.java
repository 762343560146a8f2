package io.kmemlab.mm.trace;

/**
 * How pointers and symbols print in trace text. By default pointers print raw (as with the
 * {@code nohash-ptr} trace option or {@code no_hash_pointers}) so that an emitted trace replays
 * exactly; {@link #hashPointers} selects the kernel's default hashed look
 * ({@code 00000000} followed by 8 hex digits of a per-boot keyed hash).
 */
public final class TraceFormat {
    private final Symbols symbols;
    private boolean hashPointers;
    private long hashKey;

    public TraceFormat(Symbols symbols, long hashKey) {
        this.symbols = symbols;
        this.hashKey = hashKey;
    }

    public Symbols symbols() {
        return symbols;
    }

    public boolean hashPointers() {
        return hashPointers;
    }

    public void setHashPointers(boolean hash, long key) {
        this.hashPointers = hash;
        this.hashKey = key;
    }

    /** %p of a kernel pointer: 16 hex digits, no 0x; NULL is 0000000000000000. */
    public void appendPointer(StringBuilder sb, long ptr) {
        long v = ptr;
        if (hashPointers && ptr != 0) {
            v = mix(ptr ^ hashKey) & 0xffffffffL;
        }
        String hex = Long.toHexString(v);
        for (int i = hex.length(); i < 16; i++) {
            sb.append('0');
        }
        sb.append(hex);
    }

    public void appendSymbol(StringBuilder sb, long callSite) {
        symbols.append(sb, callSite);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
