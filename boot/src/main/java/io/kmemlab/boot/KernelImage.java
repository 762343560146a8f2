package io.kmemlab.boot;

import io.kmemlab.mm.Addr;

/**
 * Section sizes of the emulated vmlinux, in KiB, as {@code mem_init_print_info()} reports them,
 * and where the image is loaded (CONFIG_PHYSICAL_START). The image is laid out
 * text, rodata, rwdata, init, bss, each page aligned; [load, load + size) is reserved with
 * {@code memblock_reserve_kern} and the init section is freed after boot.
 */
public record KernelImage(long loadAddress, long textK, long rwdataK, long rodataK, long initK, long bssK) {

    /**
     * A distribution-sized 6.18 x86-64 kernel loaded at 16 MiB; the sizes are those of the
     * reference's worked boot log (18907K code, 2544K rwdata, 10292K rodata, 3732K init, 1168K bss).
     */
    public static final KernelImage DEFAULT = new KernelImage(16L << 20, 18907, 2544, 10292, 3732, 1168);

    /**
     * A tinyconfig-sized kernel loaded at 2 MiB (CONFIG_PHYSICAL_START=0x200000), used for machines
     * below {@link #TINY_BELOW}, where the distribution kernel would not fit.
     */
    public static final KernelImage TINY = new KernelImage(2L << 20, 1536, 256, 512, 512, 256);

    /** Machines with less RAM than this boot {@link #TINY}. */
    public static final long TINY_BELOW = 256L << 20;

    public static KernelImage forMemory(long memBytes) {
        return memBytes < TINY_BELOW ? TINY : DEFAULT;
    }

    private static long pages(long k) {
        return (k * 1024 + Addr.PAGE_SIZE - 1) & Addr.PAGE_MASK;
    }

    /** _end - _text: the bytes reserved for the image. */
    public long size() {
        return pages(textK) + pages(rodataK) + pages(rwdataK) + pages(initK) + pages(bssK);
    }

    /** __init_begin. */
    public long initStart() {
        return loadAddress + pages(textK) + pages(rodataK) + pages(rwdataK);
    }

    /** __init_end. */
    public long initEnd() {
        return initStart() + pages(initK);
    }
}
