package io.kmemlab.mm.page;

/**
 * The compaction and page-migration event counters of {@code /proc/vmstat} ({@code enum vm_event_item}, in
 * vmstat_text order) and the {@code vm.compaction_*} sysctls, read-only.
 */
public interface CompactionMetric {

    /** The counters' /proc/vmstat names, in vmstat_text order; {@link #event} takes the index. */
    String[] EVENT_NAMES = {
        "compact_migrate_scanned", "compact_free_scanned", "compact_isolated", "compact_stall",
        "compact_fail", "compact_success", "compact_daemon_wake", "compact_daemon_migrate_scanned",
        "compact_daemon_free_scanned", "pgmigrate_success", "pgmigrate_fail",
    };

    int COMPACTMIGRATE_SCANNED = 0;
    int COMPACTFREE_SCANNED = 1;
    int COMPACTISOLATED = 2;
    int COMPACTSTALL = 3;
    int COMPACTFAIL = 4;
    int COMPACTSUCCESS = 5;
    int KCOMPACTD_WAKE = 6;
    int KCOMPACTD_MIGRATE_SCANNED = 7;
    int KCOMPACTD_FREE_SCANNED = 8;
    /** Pages migrate_pages() moved, and pages it failed to move (compaction is its only caller here). */
    int PGMIGRATE_SUCCESS = 9;

    int PGMIGRATE_FAIL = 10;
    int NR_EVENTS = 11;

    long event(int item);

    /** vm.compaction_proactiveness (0..100, default 20). */
    int proactiveness();

    /** vm.extfrag_threshold (0..1000, default 500). */
    int extfragThreshold();
}
