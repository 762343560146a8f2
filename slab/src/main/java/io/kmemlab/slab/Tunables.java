package io.kmemlab.slab;

/**
 * A cache's per-CPU array tunables, the {@code tunables} columns of /proc/slabinfo.
 *
 * @param limit capacity of each per-CPU array
 * @param batchcount objects moved per refill or flush
 * @param shared shared-array factor: the per-node shared array holds {@code shared × batchcount}
 */
public record Tunables(int limit, int batchcount, int shared) {

    /** BOOT_CPUCACHE_ENTRIES arrays used while slab_state &lt; FULL. */
    public static final Tunables BOOT = new Tunables(1, 1, 0);

    /** The checks slabinfo_write() applies before do_tune_cpucache(). */
    public boolean acceptable() {
        return limit >= 1 && batchcount >= 1 && batchcount <= limit && shared >= 0;
    }
}
