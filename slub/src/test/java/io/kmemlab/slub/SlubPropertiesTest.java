package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorPropertiesBase;
import java.util.Map;

/** Random operation sequences against the live-object model, SLUB reference configuration. */
class SlubPropertiesTest extends SlabAllocatorPropertiesBase {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of());
    }
}
