package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorPropertiesBase;
import java.util.Map;

/** Random operation sequences with slab_debug=FZPU on every cache and min_objects forced low. */
class SlubDebugPropertiesTest extends SlabAllocatorPropertiesBase {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of("slub_debug", "", "slub_min_objects", "2"));
    }

    @Override
    protected int cpus() {
        return 4;
    }
}
