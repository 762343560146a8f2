package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorPropertiesBase;
import java.util.Map;

/** Random operation sequences against the live-object model, the SLUB of 7.1. */
class Slub71PropertiesTest extends SlabAllocatorPropertiesBase {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of(SlubConfig.VERSION_WORD, "7.1"));
    }

    @Override
    protected boolean kmallocCachesMayFragment() {
        return true;
    }
}
