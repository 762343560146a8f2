package io.kmemlab.slub;

import java.util.Locale;

/**
 * Which kernel's SLUB a machine runs, chosen with kmemlab's boot word
 * {@code slub_version=6.18|7.1} (default 6.18, the kernel every other part of kmemlab follows).
 *
 * <ul>
 *   <li>{@link #V6_18}: per-CPU slab, per-CPU partial list and node partial list; sheaves only for
 *       caches created with {@code kmem_cache_args.sheaf_capacity} (maple_node and vm_area_struct
 *       on a real 6.18), 43 statistics counters.
 *   <li>{@link #V7_1}: Linux 7.1.5, where sheaves replaced {@code struct kmem_cache_cpu}: every
 *       cache but the boot caches, debug caches and SLAB_NOLEAKTRACE caches has sheaves (capacity by
 *       object stride, rounded to fill the kmalloc bucket of the sheaf), no per-CPU slab and no
 *       per-CPU partial list, 26 statistics counters with 7.x meanings.
 * </ul>
 */
public enum SlubVersion {
    V6_18("6.18"),
    V7_1("7.1");

    private final String word;

    SlubVersion(String word) {
        this.word = word;
    }

    /** The value of {@code slub_version=}. */
    public String word() {
        return word;
    }

    /**
     * Parses {@code slub_version=}'s value ({@code 7.1.5} is 7.1).
     *
     * @throws IllegalArgumentException naming the word
     */
    public static SlubVersion parse(String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "6.18", "6.18.44" -> V6_18;
            case "7.1", "7.1.5" -> V7_1;
            default -> throw new IllegalArgumentException(SlubConfig.VERSION_WORD + "=" + v + ": expected 6.18 or 7.1");
        };
    }
}
