package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorContractTest;
import java.util.Map;

/** The slab contract suite against the SLUB of 7.1 (sheaves on every cache, kmalloc's included). */
class Slub71ContractTest extends SlabAllocatorContractTest {
    @Override
    protected SlabAllocator createAllocator(Machine machine) {
        return new SlubAllocatorProvider().create(machine, Map.of(SlubConfig.VERSION_WORD, "7.1"));
    }

    @Override
    protected boolean kmallocCachesMayFragment() {
        return true;
    }
}
