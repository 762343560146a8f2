package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorPropertiesBase;
import java.util.Map;

/** Random operation sequences against the live-object model, 6.18 SLUB with sheaves (capacity 4). */
class SlubSheafPropertiesTest extends SlabAllocatorPropertiesBase {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of());
    }

    @Override
    protected KmemCacheArgs cacheArgs() {
        return KmemCacheArgs.builder().sheafCapacity(4).build();
    }
}
