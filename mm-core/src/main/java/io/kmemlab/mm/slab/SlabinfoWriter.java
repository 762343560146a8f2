package io.kmemlab.mm.slab;

/**
 * What an allocator's {@code /proc/slabinfo} is ({@code slabinfo_show} and {@code slabinfo_write}
 * of its kernel): its mode, whether its rows carry SLAB's statistics, and what a write does. An
 * allocator without the file (SLOB) supplies none from {@link SlabAllocator#slabinfo()}; the
 * common layer prints the rows from each cache's {@link SlabCacheMetric}.
 */
public interface SlabinfoWriter {
    /** The read-only file of SLUB: mode 0400, no statistics, no writes. */
    SlabinfoWriter READ_ONLY = new SlabinfoWriter() {};

    /** Mode of /proc/slabinfo: 0400, or 0600 where tunables can be written (SLAB). */
    default int mode() {
        return 0400;
    }

    /** True if the file is writable ({@link #mode()} has the owner write bit). */
    default boolean writable() {
        return (mode() & 0200) != 0;
    }

    /**
     * True if /proc/slabinfo carries SLAB's statistics (CONFIG_DEBUG_SLAB): " (statistics)" after
     * the version, the globalstat/cpustat header columns, and {@link SlabCache#slabinfoStats()} on
     * every row.
     */
    default boolean statistics() {
        return false;
    }

    /**
     * {@code slabinfo_write}: a write to /proc/slabinfo, only reached when {@link #writable()}.
     *
     * @return null on success, else an errno name ("EINVAL")
     */
    default String write(String text) {
        return "EIO";
    }
}
