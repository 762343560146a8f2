package io.kmemlab.slob;

/**
 * The three global lists of partially free SLOB pages ({@code free_slob_small},
 * {@code free_slob_medium}, {@code free_slob_large}), chosen by the byte size of a request (for
 * kmalloc: the request plus its header) or of a block freed into a full page.
 */
public enum SlobList {
    /** Sizes below SLOB_BREAK1 (256 bytes). */
    SMALL("small"),
    /** Sizes below SLOB_BREAK2 (1024 bytes). */
    MEDIUM("medium"),
    /** Everything else. */
    LARGE("large");

    /** SLOB_BREAK1. */
    public static final int SLOB_BREAK1 = 256;
    /** SLOB_BREAK2. */
    public static final int SLOB_BREAK2 = 1024;

    private static final SlobList[] VALUES = values();
    private final String label;

    SlobList(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The list slob_alloc and slob_free pick for a size in bytes. */
    public static SlobList forSize(long bytes) {
        if (bytes < SLOB_BREAK1) {
            return SMALL;
        }
        return bytes < SLOB_BREAK2 ? MEDIUM : LARGE;
    }

    static SlobList byOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
