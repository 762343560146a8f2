package io.kmemlab.mm;

/**
 * The one formatter of a page's dump, as {@code __dump_page()} in mm/debug.c (6.18) prints it for
 * every caller (bad_page, free_large_kmalloc's WARN, dump_page from any allocator):
 *
 * <pre>
 * page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x3420
 * flags: 0x4000000000000840(reserved|head|node=0|zone=1)
 * page_type: f5(slab)
 * </pre>
 *
 * The {@code flags:} word is the kernel's {@code page->flags} on x86-64 without sparsemem vmemmap
 * sections: the zone in the top two bits ({@code ZONES_PGSHIFT} 62), node 0, and the PG_* bits at
 * their {@code enum pageflags} positions ({@code PG_head} 6, {@code PG_reserved} 11); the names in
 * parentheses are {@code %pGp}'s. The page type line comes from {@code page_type} (6.18's PGTY_*
 * values in its top byte).
 */
public final class PageDump {
    /** Bit of {@code PG_head} in page->flags. */
    static final int PG_HEAD_BIT = 6;
    /** Bit of {@code PG_reserved} in page->flags. */
    static final int PG_RESERVED_BIT = 11;
    /** ZONES_PGSHIFT: the zone number's place in page->flags. */
    static final int ZONES_PGSHIFT = 62;

    private PageDump() {}

    /** Appends the dump's lines for {@code pfn}, each ending with a newline. */
    public static StringBuilder append(StringBuilder sb, PageFrames frames, int pfn) {
        sb.append("page: refcount:")
                .append(frames.refcount(pfn))
                .append(" mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x")
                .append(Integer.toHexString(pfn))
                .append('\n');
        int bits = frames.pgBits(pfn);
        sb.append("flags: 0x").append(Long.toHexString(flagsWord(frames, pfn))).append('(');
        if ((bits & PageFrames.PG_RESERVED) != 0) {
            sb.append("reserved|");
        }
        if ((bits & PageFrames.PG_HEAD) != 0) {
            sb.append("head|");
        }
        sb.append("node=0|zone=").append(frames.zone(pfn)).append(")\n");
        String type = pageType(bits);
        if (type != null) {
            sb.append("page_type: ").append(type).append('\n');
        }
        return sb;
    }

    /** The dump as a string (lines end with newlines). */
    public static String of(PageFrames frames, int pfn) {
        return append(new StringBuilder(160), frames, pfn).toString();
    }

    /** The kernel's page->flags word for the frame. */
    static long flagsWord(PageFrames frames, int pfn) {
        int bits = frames.pgBits(pfn);
        return ((long) frames.zone(pfn) << ZONES_PGSHIFT)
                | ((bits & PageFrames.PG_RESERVED) != 0 ? 1L << PG_RESERVED_BIT : 0)
                | ((bits & PageFrames.PG_HEAD) != 0 ? 1L << PG_HEAD_BIT : 0);
    }

    /** %pGt of page_type: PGTY_buddy f0, PGTY_guard f3, PGTY_slab f5, PGTY_large_kmalloc f8. */
    private static String pageType(int bits) {
        if ((bits & PageFrames.PG_BUDDY) != 0) {
            return "f0(buddy)";
        }
        if ((bits & PageFrames.PG_SLAB) != 0) {
            return "f5(slab)";
        }
        if ((bits & PageFrames.PG_LARGE_KMALLOC) != 0) {
            return "f8(large_kmalloc)";
        }
        if ((bits & PageFrames.PG_GUARD) != 0) {
            return "f3(guard)";
        }
        return null;
    }
}
