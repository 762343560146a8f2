package io.kmemlab.mm;

import java.util.Locale;
import org.apache.commons.lang3.StringUtils;

/**
 * GFP flags with Linux 6.18 bit values ({@code include/linux/gfp_types.h}, reference
 * configuration: no KASAN_HW_TAGS, no LOCKDEP, SLAB_OBJ_EXT on) and the names ftrace prints
 * ({@code show_gfp_flags}). Flags are plain {@code int}s so hot paths carry no objects.
 */
public final class Gfp {
    public static final int __GFP_DMA = 0x1;
    public static final int __GFP_HIGHMEM = 0x2;
    public static final int __GFP_DMA32 = 0x4;
    public static final int __GFP_MOVABLE = 0x8;
    public static final int __GFP_RECLAIMABLE = 0x10;
    public static final int __GFP_HIGH = 0x20;
    public static final int __GFP_IO = 0x40;
    public static final int __GFP_FS = 0x80;
    public static final int __GFP_ZERO = 0x100;
    public static final int __GFP_DIRECT_RECLAIM = 0x400;
    public static final int __GFP_KSWAPD_RECLAIM = 0x800;
    public static final int __GFP_WRITE = 0x1000;
    public static final int __GFP_NOWARN = 0x2000;
    public static final int __GFP_RETRY_MAYFAIL = 0x4000;
    public static final int __GFP_NOFAIL = 0x8000;
    public static final int __GFP_NORETRY = 0x10000;
    public static final int __GFP_MEMALLOC = 0x20000;
    public static final int __GFP_COMP = 0x40000;
    public static final int __GFP_NOMEMALLOC = 0x80000;
    public static final int __GFP_HARDWALL = 0x100000;
    public static final int __GFP_THISNODE = 0x200000;
    public static final int __GFP_ACCOUNT = 0x400000;
    public static final int __GFP_ZEROTAGS = 0x800000;
    public static final int __GFP_NO_OBJ_EXT = 0x1000000;
    /** Number of GFP bits in this configuration (__GFP_BITS_SHIFT). */
    public static final int GFP_BITS_SHIFT = 25;

    public static final int GFP_BITS_MASK = (1 << GFP_BITS_SHIFT) - 1;

    public static final int __GFP_RECLAIM = 0xc00;
    public static final int GFP_ATOMIC = 0x820;
    public static final int GFP_KERNEL = 0xcc0;
    public static final int GFP_KERNEL_ACCOUNT = 0x400cc0;
    public static final int GFP_NOWAIT = 0x2800;
    public static final int GFP_NOIO = 0xc00;
    public static final int GFP_NOFS = 0xc40;
    public static final int GFP_USER = 0x100cc0;
    public static final int GFP_HIGHUSER = 0x100cc2;
    public static final int GFP_HIGHUSER_MOVABLE = 0x100cca;
    public static final int GFP_TRANSHUGE_LIGHT = 0x1c20ca;
    public static final int GFP_TRANSHUGE = 0x1c24ca;
    public static final int GFP_DMA = 0x1;
    public static final int GFP_DMA32 = 0x4;

    /** The zone-modifier bits (GFP_ZONEMASK). */
    public static final int GFP_ZONEMASK = __GFP_DMA | __GFP_HIGHMEM | __GFP_DMA32 | __GFP_MOVABLE;
    /** GFP_MOVABLE_MASK: the bits that select the migrate type. */
    public static final int GFP_MOVABLE_MASK = __GFP_RECLAIMABLE | __GFP_MOVABLE;

    private static final String[] NAMES = {
        "GFP_TRANSHUGE",
        "GFP_TRANSHUGE_LIGHT",
        "GFP_HIGHUSER_MOVABLE",
        "GFP_HIGHUSER",
        "GFP_USER",
        "GFP_KERNEL_ACCOUNT",
        "GFP_KERNEL",
        "GFP_NOFS",
        "GFP_ATOMIC",
        "GFP_NOIO",
        "GFP_NOWAIT",
        "GFP_DMA",
        "GFP_DMA32",
        "__GFP_RECLAIM",
        "__GFP_DMA",
        "__GFP_HIGHMEM",
        "__GFP_DMA32",
        "__GFP_MOVABLE",
        "__GFP_RECLAIMABLE",
        "__GFP_HIGH",
        "__GFP_IO",
        "__GFP_FS",
        "__GFP_ZERO",
        "__GFP_DIRECT_RECLAIM",
        "__GFP_KSWAPD_RECLAIM",
        "__GFP_WRITE",
        "__GFP_NOWARN",
        "__GFP_RETRY_MAYFAIL",
        "__GFP_NOFAIL",
        "__GFP_NORETRY",
        "__GFP_MEMALLOC",
        "__GFP_COMP",
        "__GFP_NOMEMALLOC",
        "__GFP_HARDWALL",
        "__GFP_THISNODE",
        "__GFP_ACCOUNT",
        "__GFP_ZEROTAGS",
        "__GFP_NO_OBJ_EXT",
    };
    private static final int[] MASKS = {
        GFP_TRANSHUGE,
        GFP_TRANSHUGE_LIGHT,
        GFP_HIGHUSER_MOVABLE,
        GFP_HIGHUSER,
        GFP_USER,
        GFP_KERNEL_ACCOUNT,
        GFP_KERNEL,
        GFP_NOFS,
        GFP_ATOMIC,
        GFP_NOIO,
        GFP_NOWAIT,
        GFP_DMA,
        GFP_DMA32,
        __GFP_RECLAIM,
        __GFP_DMA,
        __GFP_HIGHMEM,
        __GFP_DMA32,
        __GFP_MOVABLE,
        __GFP_RECLAIMABLE,
        __GFP_HIGH,
        __GFP_IO,
        __GFP_FS,
        __GFP_ZERO,
        __GFP_DIRECT_RECLAIM,
        __GFP_KSWAPD_RECLAIM,
        __GFP_WRITE,
        __GFP_NOWARN,
        __GFP_RETRY_MAYFAIL,
        __GFP_NOFAIL,
        __GFP_NORETRY,
        __GFP_MEMALLOC,
        __GFP_COMP,
        __GFP_NOMEMALLOC,
        __GFP_HARDWALL,
        __GFP_THISNODE,
        __GFP_ACCOUNT,
        __GFP_ZEROTAGS,
        __GFP_NO_OBJ_EXT,
    };

    private Gfp() {}

    /** show_gfp_flags: the text ftrace prints for {@code gfp_flags=%s}. */
    public static String format(int gfp) {
        StringBuilder sb = new StringBuilder(48);
        appendFormatted(sb, gfp);
        return sb.toString();
    }

    /** Appends show_gfp_flags text without intermediate strings. */
    public static void appendFormatted(StringBuilder sb, int gfp) {
        if (gfp == 0) {
            sb.append("none");
            return;
        }
        int rest = gfp;
        boolean first = true;
        for (int i = 0; i < MASKS.length && rest != 0; i++) {
            if ((rest & MASKS[i]) == MASKS[i]) {
                if (!first) {
                    sb.append('|');
                }
                sb.append(NAMES[i]);
                rest &= ~MASKS[i];
                first = false;
            }
        }
        if (rest != 0) {
            if (!first) {
                sb.append('|');
            }
            sb.append("0x").append(Integer.toHexString(rest));
        }
    }

    /**
     * Parses {@code GFP_KERNEL|__GFP_ZERO}, a hex value {@code 0xdc0}, {@code none}, or a mix.
     * Names are case-sensitive as in the kernel, but a missing {@code GFP_}/{@code __GFP_} prefix
     * is accepted in lower case for the shell ({@code kernel|zero}).
     *
     * @return the flags, or -1 if a word is not a GFP name
     */
    public static int parse(String text) {
        if (StringUtils.isEmpty(text)) {
            return -1;
        }
        if (text.equals("none")) {
            return 0;
        }
        int gfp = 0;
        for (String word : text.split("\\|")) {
            int v = parseWord(word.trim());
            if (v < 0) {
                return -1;
            }
            gfp |= v;
        }
        return gfp;
    }

    private static int parseWord(String word) {
        if (word.isEmpty()) {
            return -1;
        }
        if (word.startsWith("0x") || word.startsWith("0X")) {
            try {
                long v = Long.parseLong(word.substring(2), 16);
                return v >= 0 && v <= GFP_BITS_MASK ? (int) v : -1;
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(word)) {
                return MASKS[i];
            }
        }
        String upper = word.toUpperCase(Locale.ROOT);
        for (String prefix : new String[] {"GFP_", "__GFP_"}) {
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(prefix + upper)) {
                    return MASKS[i];
                }
            }
        }
        return -1;
    }

    /** Bits per entry of {@link #GFP_ZONE_TABLE}. */
    private static final int GFP_ZONES_SHIFT = 4;

    /** An entry of {@link #GFP_ZONE_TABLE} for a combination that names no zone. */
    private static final int GFP_ZONE_BAD = 0xf;

    /**
     * gfp_zone()'s table, as include/linux/gfp.h builds GFP_ZONE_TABLE: the zone index for each of
     * the 16 combinations of the four zone modifiers, {@value #GFP_ZONES_SHIFT} bits each
     * (GFP_ZONE_BAD's combinations, DMA with DMA32 or with HIGHMEM, hold 0xf), so that the
     * allocator's entry point looks a zone up with one shift instead of a branch per case.
     */
    private static final long GFP_ZONE_TABLE = zoneTable();

    private static long zoneTable() {
        long t = 0;
        for (int bits = 0; bits <= GFP_ZONEMASK; bits++) {
            t |= (long) zoneOfModifiers(bits) << (bits * GFP_ZONES_SHIFT);
        }
        return t;
    }

    /** The zone a combination of zone modifiers names (the cases of the kernel's table). */
    private static int zoneOfModifiers(int bits) {
        switch (bits) {
            case 0:
            case __GFP_HIGHMEM:
            case __GFP_MOVABLE:
                return ZoneType.NORMAL.ordinal();
            case __GFP_DMA:
            case __GFP_MOVABLE | __GFP_DMA:
                return ZoneType.DMA.ordinal();
            case __GFP_DMA32:
            case __GFP_MOVABLE | __GFP_DMA32:
                return ZoneType.DMA32.ordinal();
            case __GFP_MOVABLE | __GFP_HIGHMEM:
                return ZoneType.MOVABLE.ordinal();
            default:
                return GFP_ZONE_BAD;
        }
    }

    /** gfp_zone(): the highest zone index allowed, or -1 for an invalid combination. */
    public static int gfpZone(int gfp) {
        int z = (int) (GFP_ZONE_TABLE >>> ((gfp & GFP_ZONEMASK) * GFP_ZONES_SHIFT)) & GFP_ZONE_BAD;
        return z == GFP_ZONE_BAD ? -1 : z;
    }

    /** gfp_migratetype(): UNMOVABLE 0, MOVABLE 1 (__GFP_MOVABLE), RECLAIMABLE 2. */
    public static int gfpMigratetype(int gfp) {
        return (gfp & GFP_MOVABLE_MASK) >>> 3;
    }

    public static boolean has(int gfp, int flag) {
        return (gfp & flag) == flag;
    }
}
