package io.kmemlab.mm.page;

/**
 * Whoever holds the address of a movable page ({@code __GFP_MOVABLE} allocation) and can follow
 * it when compaction migrates the page — the model's rmap walk ({@code try_to_migrate} +
 * {@code remove_migration_ptes}): the kernel rewrites every PTE that maps the old frame, here
 * every registered owner is told the new pfn.
 *
 * <p>A movable page is migratable only if some registered owner claims it ({@link #owns}) and no
 * owner that claims it refuses ({@link #mayMigrate}); a page nobody claims never moves (so a trace
 * replay, whose pfn map would go stale, is never disturbed, and one owner never vetoes or follows
 * another's pages). Only the owners that claim a page are told it moved.
 */
public interface MovableOwner {

    /** Does this owner hold the 2^order pages at {@code pfn} (and will follow them if they move)? */
    boolean owns(int pfn, int order);

    /**
     * May compaction isolate this page, which this owner {@link #owns}? False is the model's pinned page
     * ({@code folio_maybe_dma_pinned}, an elevated reference count).
     */
    default boolean mayMigrate(int pfn, int order) {
        return true;
    }

    /** The 2^order pages at {@code oldPfn} now live at {@code newPfn}; their bytes are copied. */
    void migrated(int oldPfn, int newPfn, int order);
}
