package io.kmemlab.boot.malloc;

import io.kmemlab.mm.user.Syscall;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * The rows of {@code malloc replay --stats} and {@code malloc compare}, and the keys of their JSON:
 * one registry, so the table and the JSON never disagree. Integers print as integers; ratios as
 * percentages with one decimal in the table and as fractions in the JSON.
 */
public enum MallocMetric {
    APPLIED("ops applied", "applied", f -> f.applied()),
    NULL_RETURNS("NULL returns", "null_returns", f -> f.nullReturns()),
    PEAK_HEAP("peak heap (bytes)", "peak_heap_bytes", f -> f.peakHeapBytes()),
    FINAL_HEAP("final heap (bytes)", "final_heap_bytes", f -> f.finalHeapBytes()),
    RSS("RSS (kB)", "rss_kb", f -> f.rssKb()),
    PEAK_RSS("peak RSS (kB)", "peak_rss_kb", f -> f.peakRssKb()),
    PAGE_TABLES("page tables (kB)", "page_tables_kb", f -> f.pageTablesKb()),
    SYSCALLS("system calls", "syscalls", f -> f.totalSyscalls()),
    BRK("  brk", "brk", f -> f.syscalls()[0]),
    MMAP("  mmap", "mmap", f -> f.syscalls()[1]),
    MUNMAP("  munmap", "munmap", f -> f.syscalls()[2]),
    MREMAP("  mremap", "mremap", f -> f.syscalls()[3]),
    MPROTECT("  mprotect", "mprotect", f -> f.syscalls()[4]),
    MADVISE("  madvise", "madvise", f -> f.syscalls()[5]),
    FAULTS("page faults", "page_faults", f -> f.minflt()),
    BRK_END("final break offset (bytes)", "brk_end_offset", f -> f.brkEndOffset()),
    PEAK_LIVE("peak live requested (bytes)", "peak_live_requested_bytes", f -> f.peakLiveRequested()),
    UTILISATION("utilisation", "utilisation", MallocFigures::utilisation, true),
    INTERNAL("internal fragmentation (bytes)", "internal_fragmentation_bytes", f -> f.internalFragmentation()),
    EXTERNAL("external fragmentation", "external_fragmentation", MallocFigures::externalFragmentation, true),
    LIVE_BLOCKS("live blocks", "live_blocks", f -> f.liveBlocks()),
    VIRTUAL_TIME("virtual time (µs)", "virtual_time_ns", f -> f.virtualNanos()),
    BAD_FREES("bad frees", "bad_frees", f -> f.badFrees()),
    DATA_ERRORS("data errors (--fill)", "data_errors", f -> f.dataErrors()),
    INVALID("validate problems", "validate_problems", f -> f.invalid().size());

    static {
        // The syscall rows index MallocFigures.syscalls() in MallocRun.KINDS order.
        assert MallocRun.KINDS[0] == Syscall.BRK && MallocRun.KINDS[5] == Syscall.MADVISE;
    }

    private final String label;
    private final String key;
    private final ToDoubleFunction<MallocFigures> value;
    private final boolean ratio;

    MallocMetric(String label, String key, ToDoubleFunction<MallocFigures> value) {
        this(label, key, value, false);
    }

    MallocMetric(String label, String key, ToDoubleFunction<MallocFigures> value, boolean ratio) {
        this.label = label;
        this.key = key;
        this.value = value;
        this.ratio = ratio;
    }

    public String label() {
        return label;
    }

    public String key() {
        return key;
    }

    public double value(MallocFigures f) {
        return value.applyAsDouble(f);
    }

    /** The table's cell. */
    public String cell(MallocFigures f) {
        double v = value(f);
        if (ratio) {
            return String.format(Locale.ROOT, "%.1f%%", 100 * v);
        }
        if (this == VIRTUAL_TIME) {
            return String.format(Locale.ROOT, "%.1f", v / 1000);
        }
        return Long.toString((long) v);
    }

    /** The JSON value. */
    public String json(MallocFigures f) {
        double v = value(f);
        return ratio ? String.format(Locale.ROOT, "%.6f", v) : Long.toString((long) v);
    }
}
