package io.kmemlab.slab;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorPropertiesBase;
import java.util.Map;

/** The common live-object model properties, SLAB with default boot words. */
class SlabPropertiesTest extends SlabAllocatorPropertiesBase {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlabProvider().create(machine, Map.of());
    }
}
