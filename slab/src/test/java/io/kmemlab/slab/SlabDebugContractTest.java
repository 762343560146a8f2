package io.kmemlab.slab;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;

/** The contract suite on a DEBUG_SLAB kernel (forced red zones, poison, last user) with 3 CPUs. */
class SlabDebugContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlabProvider().create(machine, Map.of("slab_debug", ""));
    }

    @Override
    protected int cpus() {
        return 3;
    }
}
