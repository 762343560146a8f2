package io.kmemlab.mm.page;

import io.kmemlab.mm.ZoneType;

/**
 * The boot-time face of the page allocator: what {@code free_area_init}, {@code memblock_free_all}
 * and the postcore initcalls do to it. The boot sequence (module boot) drives these calls in the
 * kernel's order:
 *
 * <ol>
 *   <li>{@link #initZone} for every zone (spanned/present from memblock; every page reserved,
 *       every pageblock MOVABLE);
 *   <li>{@link #buildZonelists} ("Built 1 zonelists, mobility grouping on.  Total pages: N");
 *   <li>{@link #freeBootChunk} for each naturally aligned chunk of each free memblock range
 *       ({@code __free_pages_core}: managed += 2^order, merged and queued at the tail);
 *   <li>{@link #freeReservedPage} for init memory freed later;
 *   <li>{@link #initWatermarks} ({@code init_per_zone_wmark_min}: min_free_kbytes, watermarks,
 *       lowmem_reserve, totalreserve, pcp high/batch).
 * </ol>
 */
public interface ZonedPageAllocator extends PageAllocator {

    /** free_area_init for one zone: pfn range [startPfn, endPfn) (spanned) and present pages. */
    void initZone(ZoneType zone, int startPfn, int endPfn, long presentPages);

    /**
     * build_all_zonelists.
     *
     * @return the "Total pages" of the boot line (Σ managed − high watermark, i.e. Σ present
     *     while watermarks are 0)
     */
    long buildZonelists();

    /** __free_pages_core(page, order, MEMINIT_EARLY): hands a reserved chunk to the buddy lists. */
    void freeBootChunk(int pfn, int order);

    /** free_reserved_page: frees one reserved page after boot (managed + 1). */
    void freeReservedPage(int pfn);

    /**
     * init_per_zone_wmark_min: computes min_free_kbytes (unless {@code userMinFreeKbytes} ≥ 0,
     * the {@code min_free_kbytes=} boot word), watermarks, lowmem_reserve and pcp high/batch.
     */
    void initWatermarks(int userMinFreeKbytes);

    /**
     * Registers an owner of movable pages, told when compaction migrates one (see
     * {@link MovableOwner}). An allocator that never migrates pages needs no owners.
     */
    default void addMovableOwner(MovableOwner owner) {}

    /**
     * The page allocator's kernel threads up to virtual time {@code nowNanos} (kcompactd's
     * wake-ups and proactive compaction). An allocator without such threads leaves it out.
     */
    default void timerTick(long nowNanos) {}
}
