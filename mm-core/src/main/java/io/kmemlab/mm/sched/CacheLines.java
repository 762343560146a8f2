package io.kmemlab.mm.sched;

import java.util.Arrays;

/**
 * Which CPU wrote each 64-byte line last and which CPUs share it: the one rule that makes a lock
 * word, a bin head or a freelist pointer cost a transfer when it moves between CPUs (an open
 * addressed table of primitive arrays, for up to 64 CPUs).
 */
final class CacheLines {
    private static final long EMPTY = Long.MIN_VALUE;

    private long[] line = new long[1024];
    private int[] writer = new int[1024];
    private long[] sharers = new long[1024];
    private int size;

    CacheLines() {
        Arrays.fill(line, EMPTY);
    }

    /** Whether a load by {@code cpu} needs a transfer; records {@code cpu} as a sharer. */
    boolean read(long l, int cpu) {
        int i = slot(l);
        long bit = 1L << cpu;
        if (line[i] == EMPTY) {
            insert(i, l, -1, bit);
            return false;
        }
        boolean miss = (sharers[i] & bit) == 0;
        sharers[i] |= bit;
        return miss;
    }

    /** Whether a store (or an atomic) by {@code cpu} needs a transfer; {@code cpu} then owns it alone. */
    boolean write(long l, int cpu) {
        int i = slot(l);
        long bit = 1L << cpu;
        if (line[i] == EMPTY) {
            insert(i, l, cpu, bit);
            return false;
        }
        boolean miss = (writer[i] != -1 && writer[i] != cpu) || (sharers[i] & ~bit) != 0;
        writer[i] = cpu;
        sharers[i] = bit;
        return miss;
    }

    private int slot(long l) {
        int mask = line.length - 1;
        int i = (int) (l * 0x9E3779B97F4A7C15L >>> 40) & mask;
        while (line[i] != EMPTY && line[i] != l) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void insert(int i, long l, int w, long s) {
        line[i] = l;
        writer[i] = w;
        sharers[i] = s;
        if (++size * 2 > line.length) {
            grow();
        }
    }

    private void grow() {
        long[] ol = line;
        int[] ow = writer;
        long[] os = sharers;
        line = new long[ol.length * 2];
        writer = new int[ol.length * 2];
        sharers = new long[ol.length * 2];
        Arrays.fill(line, EMPTY);
        for (int j = 0; j < ol.length; j++) {
            if (ol[j] != EMPTY) {
                int i = slot(ol[j]);
                line[i] = ol[j];
                writer[i] = ow[j];
                sharers[i] = os[j];
            }
        }
    }
}
