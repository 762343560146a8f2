package io.kmemlab.mm.page;

/**
 * Whoever holds the address of a movable page ({@code __GFP_MOVABLE} allocation) and can follow
 * it when compaction migrates the page — the model's rmap walk ({@code try_to_migrate} +
 * {@code remove_migration_ptes}): the kernel rewrites every PTE that maps the old frame, here
 * every registered owner is told the new pfn.
 *
 * <p>A movable page is migratable only while at least one owner is registered and none refuses
 * it in {@link #mayMigrate}; with no owner registered compaction moves nothing (so a trace replay,
 * whose pfn map would go stale, is never disturbed).
 */
public interface MovableOwner {

    /**
     * May compaction isolate this page? False is the model's pinned page
     * ({@code folio_maybe_dma_pinned}, an elevated reference count).
     */
    default boolean mayMigrate(int pfn, int order) {
        return true;
    }

    /** The 2^order pages at {@code oldPfn} now live at {@code newPfn}; their bytes are copied. */
    void migrated(int oldPfn, int newPfn, int order);
}
