package io.kmemlab.mm.trace.read;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Interns short ASCII byte ranges (task names, cache names, symbols, GFP texts) as Strings, so a
 * trace reader allocates a String only the first time it sees a word. Each entry also carries an
 * {@code int} payload the caller may attach (the parsed GFP flags of a GFP text, for instance).
 *
 * <p>Open addressing with linear probing over {@code 2^k} slots. The table stops growing at
 * {@link #MAX_ENTRIES}: past that, words are returned as fresh Strings and not cached, so a trace
 * of endless distinct garbage cannot grow memory without bound.
 */
public final class ByteInterner {
    /** Most distinct words kept; a real trace names a few thousand at most. */
    public static final int MAX_ENTRIES = 1 << 16;
    /** Payload of a word that has none yet. */
    public static final int NO_PAYLOAD = Integer.MIN_VALUE;

    /** Little-endian longs over a byte array. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private byte[][] keys = new byte[256][];
    private String[] values = new String[256];
    private int[] payloads = new int[256];
    private int size;
    private int lastSlot = -1;
    private final boolean repeats;

    /** An interner that hashes every word. */
    public ByteInterner() {
        this(false);
    }

    /**
     * @param repeats whether to compare each word with the previous one before hashing it: a
     *     win where the same word often comes twice in a row
     */
    public ByteInterner(boolean repeats) {
        this.repeats = repeats;
    }

    /** The String for {@code buf[from, to)}, cached after the first call. */
    public String intern(byte[] buf, int from, int to) {
        if (repeats && lastSlot >= 0 && keys[lastSlot].length == to - from && sameBytes(keys[lastSlot], buf, from)) {
            // The same word as last time (GFP texts repeat from line to line): no hash, no probe.
            return values[lastSlot];
        }
        int h = hash(buf, from, to);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                String s = new String(buf, from, to - from, StandardCharsets.ISO_8859_1);
                if (size >= MAX_ENTRIES) {
                    lastSlot = -1;
                    return s;
                }
                keys[i] = Arrays.copyOfRange(buf, from, to);
                values[i] = s;
                payloads[i] = NO_PAYLOAD;
                size++;
                lastSlot = i;
                if (size * 2 > keys.length) {
                    grow();
                    lastSlot = find(buf, from, to);
                }
                return s;
            }
            if (k.length == to - from && sameBytes(k, buf, from)) {
                lastSlot = i;
                return values[i];
            }
        }
    }

    /** Payload of the word last returned by {@link #intern}, or {@link #NO_PAYLOAD}. */
    public int lastPayload() {
        return lastSlot < 0 ? NO_PAYLOAD : payloads[lastSlot];
    }

    /** Attaches a payload to the word last returned by {@link #intern} (if it was cached). */
    public void setLastPayload(int payload) {
        if (lastSlot >= 0) {
            payloads[lastSlot] = payload;
        }
    }

    /** True if the word last returned by {@link #intern} is in the table (false once it is full). */
    public boolean cachedLast() {
        return lastSlot >= 0;
    }

    public int size() {
        return size;
    }

    private int find(byte[] buf, int from, int to) {
        int mask = keys.length - 1;
        for (int i = hash(buf, from, to) & mask; ; i = (i + 1) & mask) {
            byte[] k = keys[i];
            if (k == null) {
                return -1;
            }
            if (k.length == to - from && sameBytes(k, buf, from)) {
                return i;
            }
        }
    }

    private void grow() {
        byte[][] oldKeys = keys;
        String[] oldValues = values;
        int[] oldPayloads = payloads;
        int cap = oldKeys.length * 2;
        keys = new byte[cap][];
        values = new String[cap];
        payloads = new int[cap];
        int mask = cap - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            byte[] k = oldKeys[j];
            if (k == null) {
                continue;
            }
            int i = hash(k, 0, k.length) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = k;
            values[i] = oldValues[j];
            payloads[i] = oldPayloads[j];
        }
    }

    /**
     * True if {@code buf[from, from + k.length)} equals {@code k} (in bounds): eight bytes per
     * compare with the last word overlapping, which beats {@code Arrays.equals} on the 5 to 40
     * byte words of a trace (no call, no vector set-up).
     */
    static boolean sameBytes(byte[] k, byte[] buf, int from) {
        int n = k.length;
        if (n < Long.BYTES) {
            for (int i = 0; i < n; i++) {
                if (k[i] != buf[from + i]) {
                    return false;
                }
            }
            return true;
        }
        for (int i = 0; i + Long.BYTES < n; i += Long.BYTES) {
            if ((long) LONGS.get(k, i) != (long) LONGS.get(buf, from + i)) {
                return false;
            }
        }
        return (long) LONGS.get(k, n - Long.BYTES) == (long) LONGS.get(buf, from + n - Long.BYTES);
    }

    /** Eight bytes per multiply (a trace's words are 10 to 60 bytes long), then a final mix. */
    private static int hash(byte[] buf, int from, int to) {
        long h = 0x9e3779b97f4a7c15L ^ (to - from);
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            h = (h ^ (long) LONGS.get(buf, i)) * 0xff51afd7ed558ccdL;
            h ^= h >>> 29;
        }
        long tail = 0;
        for (; i < to; i++) {
            tail = (tail << 8) | (buf[i] & 0xff);
        }
        h = (h ^ tail) * 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 32;
        return (int) (h ^ (h >>> 16));
    }
}
