package io.kmemlab.mm.slab;

import java.util.Locale;
import org.apache.commons.lang3.StringUtils;

/**
 * Slab cache flag bits with their Linux 6.18 values in the reference configuration
 * ({@code include/linux/slab.h}, packed enum). The values are not user visible except through the
 * 0/1 sysfs files, but kmemlab keeps them exact.
 */
public final class SlabFlags {
    public static final int CONSISTENCY_CHECKS = 0x1;
    public static final int RED_ZONE = 0x2;
    public static final int POISON = 0x4;
    public static final int KMALLOC = 0x8;
    public static final int HWCACHE_ALIGN = 0x10;
    public static final int CACHE_DMA = 0x20;
    public static final int CACHE_DMA32 = 0x40;
    public static final int STORE_USER = 0x80;
    public static final int PANIC = 0x100;
    public static final int TYPESAFE_BY_RCU = 0x200;
    public static final int TRACE = 0x400;
    public static final int NOLEAKTRACE = 0x800;
    public static final int NO_MERGE = 0x1000;
    public static final int ACCOUNT = 0x2000;
    public static final int NO_USER_FLAGS = 0x4000;
    public static final int RECLAIM_ACCOUNT = 0x8000;

    /** The debug flags (SLAB_DEBUG_FLAGS). */
    public static final int DEBUG_FLAGS = RED_ZONE | POISON | STORE_USER | CONSISTENCY_CHECKS | TRACE;
    /** SLAB_NEVER_MERGE. */
    public static final int NEVER_MERGE =
            RED_ZONE | POISON | STORE_USER | TRACE | TYPESAFE_BY_RCU | NOLEAKTRACE | NO_MERGE;
    /** SLAB_FLAGS_PERMITTED: every defined bit (kmem_cache_create refuses others with -EINVAL). */
    public static final int FLAGS_PERMITTED = 0xffff;
    /** SLAB_MERGE_SAME: flags that must agree for two caches to merge. */
    public static final int MERGE_SAME = RECLAIM_ACCOUNT | CACHE_DMA | CACHE_DMA32 | ACCOUNT;

    private static final String[] NAMES = {
        "CONSISTENCY_CHECKS",
        "RED_ZONE",
        "POISON",
        "KMALLOC",
        "HWCACHE_ALIGN",
        "CACHE_DMA",
        "CACHE_DMA32",
        "STORE_USER",
        "PANIC",
        "TYPESAFE_BY_RCU",
        "TRACE",
        "NOLEAKTRACE",
        "NO_MERGE",
        "ACCOUNT",
        "NO_USER_FLAGS",
        "RECLAIM_ACCOUNT",
    };

    private SlabFlags() {}

    /**
     * Parses {@code HWCACHE_ALIGN|ACCOUNT} (also comma-separated, with or without the
     * {@code SLAB_} prefix, any case) or a hex value.
     *
     * @return the flags, or -1 if a word is unknown
     */
    public static int parse(String text) {
        if (StringUtils.isBlank(text)) {
            return 0;
        }
        int flags = 0;
        for (String w : text.split("[|,]")) {
            String word = w.trim().toUpperCase(Locale.ROOT);
            if (word.isEmpty()) {
                continue;
            }
            if (word.startsWith("0X")) {
                try {
                    flags |= Integer.parseUnsignedInt(word.substring(2), 16);
                    continue;
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
            if (word.startsWith("SLAB_")) {
                word = word.substring(5);
            }
            int bit = -1;
            for (int i = 0; i < NAMES.length; i++) {
                if (NAMES[i].equals(word)) {
                    bit = i;
                }
            }
            if (bit < 0) {
                return -1;
            }
            flags |= 1 << bit;
        }
        return flags;
    }

    /** {@code SLAB_HWCACHE_ALIGN|SLAB_ACCOUNT}, or {@code 0}. */
    public static String format(int flags) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < NAMES.length; i++) {
            if ((flags & (1 << i)) != 0) {
                if (sb.length() > 0) {
                    sb.append('|');
                }
                sb.append("SLAB_").append(NAMES[i]);
            }
        }
        int rest = flags & ~((1 << NAMES.length) - 1);
        if (rest != 0) {
            if (sb.length() > 0) {
                sb.append('|');
            }
            sb.append("0x").append(Integer.toHexString(rest));
        }
        return sb.length() == 0 ? "0" : sb.toString();
    }
}
