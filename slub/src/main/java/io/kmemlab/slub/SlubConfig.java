package io.kmemlab.slub;

import io.kmemlab.mm.page.PageAllocator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * SLUB's boot settings.
 *
 * @param minOrder slub_min_order
 * @param maxOrder slub_max_order
 * @param minObjects slub_min_objects (0: automatic)
 * @param debug slab_debug=
 * @param merge cache merging on (slab_nomerge turns it off)
 * @param freelistHardened CONFIG_SLAB_FREELIST_HARDENED (on in the reference configuration)
 * @param freelistRandom CONFIG_SLAB_FREELIST_RANDOM (on in the reference configuration)
 * @param version which kernel's SLUB ({@code slub_version=6.18|7.1}, kmemlab's own word)
 */
public record SlubConfig(
        int minOrder,
        int maxOrder,
        int minObjects,
        SlubDebugOptions debug,
        boolean merge,
        boolean freelistHardened,
        boolean freelistRandom,
        SlubVersion version) {

    /** The reference configuration with no boot options. */
    public static final SlubConfig DEFAULT =
            new SlubConfig(0, 3, 0, SlubDebugOptions.NONE, true, true, true, SlubVersion.V6_18);

    /** kmemlab's boot word that selects the SLUB of another kernel ({@link SlubVersion}). */
    public static final String VERSION_WORD = "slub_version";

    /** Boot words SLUB understands (6.18 slab_ spellings and the legacy slub_ ones). */
    public static final Set<String> BOOT_WORDS = Set.of(
            "slub_debug",
            "slab_debug",
            "slub_min_order",
            "slab_min_order",
            "slub_max_order",
            "slab_max_order",
            "slub_min_objects",
            "slab_min_objects",
            "slab_nomerge",
            "slub_nomerge",
            "slab_merge",
            "slub_merge",
            "slab_freelist_hardened",
            "slab_freelist_random",
            VERSION_WORD);

    public SlubConfig withDebug(String spec) {
        return new SlubConfig(
                minOrder,
                maxOrder,
                minObjects,
                SlubDebugOptions.parse(spec),
                merge,
                freelistHardened,
                freelistRandom,
                version);
    }

    public SlubConfig withMerge(boolean on) {
        return new SlubConfig(minOrder, maxOrder, minObjects, debug, on, freelistHardened, freelistRandom, version);
    }

    public SlubConfig withOrders(int min, int max, int objects) {
        return new SlubConfig(min, max, objects, debug, merge, freelistHardened, freelistRandom, version);
    }

    public SlubConfig withFreelist(boolean hardened, boolean random) {
        return new SlubConfig(minOrder, maxOrder, minObjects, debug, merge, hardened, random, version);
    }

    public SlubConfig withVersion(SlubVersion v) {
        return new SlubConfig(minOrder, maxOrder, minObjects, debug, merge, freelistHardened, freelistRandom, v);
    }

    /**
     * Parses boot words; the slab_ and slub_ spellings are the same option.
     *
     * @throws IllegalArgumentException naming the bad word
     */
    public static SlubConfig parse(Map<String, String> words) {
        int minOrder = 0;
        int maxOrder = 3;
        int minObjects = 0;
        SlubDebugOptions debug = SlubDebugOptions.NONE;
        boolean merge = true;
        boolean hardened = true;
        boolean random = true;
        String dbg = first(words, "slab_debug", "slub_debug");
        if (dbg != null) {
            debug = SlubDebugOptions.parse(dbg);
        }
        String v = first(words, "slab_min_order", "slub_min_order");
        if (v != null) {
            minOrder =
                    Math.min(number(v, given(words, "slab_min_order", "slub_min_order")), PageAllocator.MAX_PAGE_ORDER);
            if (minOrder > maxOrder) {
                maxOrder = minOrder;
            }
        }
        v = first(words, "slab_max_order", "slub_max_order");
        if (v != null) {
            maxOrder =
                    Math.min(number(v, given(words, "slab_max_order", "slub_max_order")), PageAllocator.MAX_PAGE_ORDER);
            if (minOrder > maxOrder) {
                minOrder = maxOrder;
            }
        }
        v = first(words, "slab_min_objects", "slub_min_objects");
        if (v != null) {
            minObjects = Math.min(
                    number(v, given(words, "slab_min_objects", "slub_min_objects")), SlubGeometry.MAX_OBJS_PER_PAGE);
        }
        if (words.containsKey("slab_nomerge") || words.containsKey("slub_nomerge")) {
            merge = false;
        }
        if (words.containsKey("slab_merge") || words.containsKey("slub_merge")) {
            merge = true;
        }
        v = words.get("slab_freelist_hardened");
        if (v != null) {
            hardened = bool(v, "slab_freelist_hardened");
        }
        v = words.get("slab_freelist_random");
        if (v != null) {
            random = bool(v, "slab_freelist_random");
        }
        SlubVersion version = SlubVersion.V6_18;
        v = words.get(VERSION_WORD);
        if (v != null) {
            version = SlubVersion.parse(v);
        }
        return new SlubConfig(minOrder, maxOrder, minObjects, debug, merge, hardened, random, version);
    }

    private static String first(Map<String, String> words, String a, String b) {
        return words.containsKey(a) ? words.get(a) : words.get(b);
    }

    /** The spelling the user wrote, so a message names the word as given. */
    private static String given(Map<String, String> words, String a, String b) {
        return words.containsKey(a) ? a : b;
    }

    private static int number(String v, String word) {
        try {
            int n = Integer.parseInt(v.trim());
            if (n < 0) {
                throw new IllegalArgumentException(word + "=" + v + ": must not be negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(word + "=" + v + ": not a number", e);
        }
    }

    private static boolean bool(String v, String word) {
        switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "", "1", "on", "y", "yes", "true":
                return true;
            case "0", "off", "n", "no", "false":
                return false;
            default:
                throw new IllegalArgumentException(word + "=" + v + ": expected on or off");
        }
    }
}
