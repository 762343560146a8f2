package io.kmemlab.mm.page;

/** Read-only view of one CPU's per-CPU page list of one zone ({@code struct per_cpu_pages}). */
public interface PcpMetric {
    /** Pages on this pcp's lists. */
    int count();

    /** Current high mark (0 until first used, then clamped into [highMin, highMax]). */
    int high();

    int batch();

    int highMin();

    int highMax();

    /** alloc_factor: how far refills are scaled up (0 … CONFIG_PCP_BATCH_SCALE_MAX). */
    int allocFactor();

    /** free_count: pages freed recently (decays on allocation). */
    int freeCount();

    /** Blocks on list {@code pindex} (order_to_pindex). */
    long listLength(int pindex);
}
