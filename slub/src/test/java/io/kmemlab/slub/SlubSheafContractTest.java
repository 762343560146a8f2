package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;

/**
 * The slab contract suite against 6.18's SLUB with sheaves on every cache the suite creates
 * (capacity 4, so that main, spare and barn all turn over within a test).
 */
class SlubSheafContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of());
    }

    @Override
    protected KmemCacheArgs cacheArgs() {
        return KmemCacheArgs.builder().sheafCapacity(4).build();
    }
}
