package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;

/** The contract suite with full slab_debug on every cache (F, Z, P, U) and 3 CPUs. */
class SlubDebugContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of("slab_debug", ""));
    }

    @Override
    protected int cpus() {
        return 3;
    }
}
