package io.kmemlab.mm.trace;

/**
 * How pointers and symbols print in trace text. By default pointers print raw (as with the
 * {@code nohash-ptr} trace option or {@code no_hash_pointers}) so that an emitted trace replays
 * exactly; {@link #hashPointers} selects the kernel's hashed look, the default of tracefs's own
 * files: {@code 00000000} followed by the low 32 bits of SipHash-2-4 of the address under a
 * per-boot key, as lib/vsprintf.c's ptr_to_hashval() does with siphash_1u64() (the key here comes
 * from the machine's seed, so the ids are the same for the same seed).
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

    /** The per-boot key of the pointer hash. */
    public long hashKey() {
        return hashKey;
    }

    public void setHashPointers(boolean hash, long key) {
        this.hashPointers = hash;
        this.hashKey = key;
    }

    /** %p of a kernel pointer: 16 hex digits, no 0x; NULL is 0000000000000000. */
    public void appendPointer(StringBuilder sb, long ptr) {
        long v = ptr;
        if (hashPointers && ptr != 0) {
            v = hashedId(ptr);
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

    /** ptr_to_hashval() on 64-bit: the low 32 bits of siphash_1u64(ptr, key). */
    public long hashedId(long ptr) {
        return siphash(ptr, hashKey, mix(hashKey)) & 0xffffffffL;
    }

    /** SipHash-2-4 of one little-endian u64 (lib/siphash.c siphash_1u64). */
    static long siphash(long m, long k0, long k1) {
        long v0 = k0 ^ 0x736f6d6570736575L;
        long v1 = k1 ^ 0x646f72616e646f6dL;
        long v2 = k0 ^ 0x6c7967656e657261L;
        long v3 = k1 ^ 0x7465646279746573L;
        long b = 8L << 56;
        v3 ^= m;
        for (int i = 0; i < 2; i++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= m;
        v3 ^= b;
        for (int i = 0; i < 2; i++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        v0 ^= b;
        v2 ^= 0xff;
        for (int i = 0; i < 4; i++) {
            v0 += v1;
            v1 = Long.rotateLeft(v1, 13);
            v1 ^= v0;
            v0 = Long.rotateLeft(v0, 32);
            v2 += v3;
            v3 = Long.rotateLeft(v3, 16);
            v3 ^= v2;
            v0 += v3;
            v3 = Long.rotateLeft(v3, 21);
            v3 ^= v0;
            v2 += v1;
            v1 = Long.rotateLeft(v1, 17);
            v1 ^= v2;
            v2 = Long.rotateLeft(v2, 32);
        }
        return v0 ^ v1 ^ v2 ^ v3;
    }

    /** The second key word, derived from the first (splitmix64's finaliser). */
    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }
}
