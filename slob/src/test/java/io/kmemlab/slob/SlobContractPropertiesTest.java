package io.kmemlab.slob;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.contract.SlabAllocatorPropertiesBase;
import java.util.Map;

/** The contract's live-object model property against SLOB (first fit, the kernel's policy). */
class SlobContractPropertiesTest extends SlabAllocatorPropertiesBase {

    @Override
    protected SlabAllocator createAllocator(Machine m) {
        return new SlobAllocatorProvider().create(m, Map.of());
    }

    @Override
    protected boolean ownsSlabs() {
        return false;
    }
}
