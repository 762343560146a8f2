package io.kmemlab.mm;

import org.apache.commons.lang3.Validate;

/**
 * The fixed shape of an emulated machine: memory size, CPUs, NUMA nodes, and the seed of its
 * randomness. Everything else (allocator choice, debug options, …) is a boot parameter.
 */
public record MachineConfig(long memBytes, int nrCpus, int nrNodes, long seed) {

    /** Smallest machine kmemlab boots: 16 MiB. */
    public static final long MIN_MEM = 16L << 20;
    /** Largest machine kmemlab boots: 4 TiB. */
    public static final long MAX_MEM = 4L << 40;
    /** CONFIG_NR_CPUS of the reference configuration. */
    public static final int MAX_CPUS = 512;

    public MachineConfig {
        Validate.inclusiveBetween(MIN_MEM, MAX_MEM, memBytes, "memory must be between 16M and 4T: %d", memBytes);
        Validate.inclusiveBetween(1, MAX_CPUS, nrCpus, "nr_cpus must be between 1 and %d: %d", MAX_CPUS, nrCpus);
        Validate.inclusiveBetween(1, 64, nrNodes, "nodes must be between 1 and 64: %d", nrNodes);
    }

    /** A one-node machine with the given memory and CPUs and seed 0. */
    public static MachineConfig of(long memBytes, int nrCpus) {
        return new MachineConfig(memBytes, nrCpus, 1, 0);
    }

    /** Number of page frames (memory rounded down to whole pages). */
    public int nrFrames() {
        return (int) (memBytes >>> Addr.PAGE_SHIFT);
    }
}
