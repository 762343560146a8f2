package io.kmemlab.mm;

/**
 * The {@code enum vm_event_item} counters kept outside the page allocator, read by
 * {@code /proc/vmstat} under the names {@link #vmstatName()} gives: the fault and reclaim events of
 * user memory ({@code mm/memory.c}, {@code mm/madvise.c}, {@code mm/oom_kill.c}).
 */
public enum VmEvent {
    /** Every page fault handled, also those GUP (MAP_POPULATE) raised, counted before the outcome. */
    PGFAULT("pgfault"),
    /** Faults that had to wait for I/O; kmemlab has no swap or page-cache I/O, so this stays 0. */
    PGMAJFAULT("pgmajfault"),
    /** Pages MADV_FREE marked lazily freeable. */
    PGLAZYFREE("pglazyfree"),
    /** Lazily freeable pages reclaim freed. */
    PGLAZYFREED("pglazyfreed"),
    /** Processes the OOM killer killed. */
    OOM_KILL("oom_kill");

    public static final int COUNT = values().length;

    private final String vmstatName;

    VmEvent(String vmstatName) {
        this.vmstatName = vmstatName;
    }

    /** The name /proc/vmstat prints (vmstat_text[]). */
    public String vmstatName() {
        return vmstatName;
    }
}
