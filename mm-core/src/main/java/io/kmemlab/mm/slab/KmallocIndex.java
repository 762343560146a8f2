package io.kmemlab.mm.slab;

/**
 * kmalloc size classes: {@code kmalloc_info[]} names and sizes, {@code kmalloc_size_index[]} and
 * {@code kmalloc_slab()}'s index computation, with the table patch for KMALLOC_MIN_SIZE > 8.
 */
public final class KmallocIndex {
    /** Largest index in kmalloc_info[] (2M). */
    public static final int MAX_INFO_INDEX = 22;

    private static final byte[] SIZE_INDEX_6_18 = {
        3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2
    };

    private final byte[] sizeIndex;
    private final KmallocLimits limits;

    public KmallocIndex(KmallocLimits limits) {
        this.limits = limits;
        this.sizeIndex = SIZE_INDEX_6_18.clone();
        // setup_kmalloc_cache_index_table()
        for (int i = 8; i < limits.minSize(); i += 8) {
            sizeIndex[(i - 1) / 8] = (byte) limits.shiftLow();
        }
        if (limits.minSize() >= 64) {
            for (int i = 64 + 8; i <= 96; i += 8) {
                sizeIndex[(i - 1) / 8] = 7;
            }
        }
        if (limits.minSize() >= 128) {
            for (int i = 128 + 8; i <= 192; i += 8) {
                sizeIndex[(i - 1) / 8] = 8;
            }
        }
    }

    public KmallocLimits limits() {
        return limits;
    }

    /** kmalloc_slab index for 1 ≤ size ≤ maxCacheSize. */
    public int index(long size) {
        if (size <= 192) {
            return sizeIndex[(int) ((size - 1) / 8)];
        }
        return 64 - Long.numberOfLeadingZeros(size - 1);
    }

    /** kmalloc_info[i].size. */
    public static int sizeOf(int index) {
        return switch (index) {
            case 0 -> 0;
            case 1 -> 96;
            case 2 -> 192;
            default -> 1 << index;
        };
    }

    /** kmalloc_info[i] suffix: 8 … 512, 1k … 2M (4M for SLAB ≤ 6.0). */
    public static String suffix(int index) {
        int size = sizeOf(index);
        if (size < 1024) {
            return Integer.toString(size);
        }
        if (size < (1 << 20)) {
            return (size >> 10) + "k";
        }
        return (size >> 20) + "M";
    }

    /** Cache indices in creation order (6.18): 96, 192, then shiftLow … shiftHigh. */
    public int[] creationOrder() {
        int n = limits.shiftHigh() - limits.shiftLow() + 1;
        int extra = (limits.minSize() <= 32 ? 1 : 0) + (limits.minSize() <= 64 ? 1 : 0);
        int[] out = new int[n + extra];
        int k = 0;
        if (limits.minSize() <= 32) {
            out[k++] = 1;
        }
        if (limits.minSize() <= 64) {
            out[k++] = 2;
        }
        for (int i = limits.shiftLow(); i <= limits.shiftHigh(); i++) {
            out[k++] = i;
        }
        return out;
    }
}
