package io.kmemlab.slab;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;

/** The slab contract suite run against SLAB with the default boot words. */
class SlabContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlabProvider().create(machine, Map.of());
    }
}
