package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;

/** The slab contract suite run against SLUB with the reference configuration. */
class SlubContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of());
    }
}
