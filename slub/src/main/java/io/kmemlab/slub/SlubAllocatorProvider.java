package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import java.util.Map;
import java.util.Set;

/** Registers SLUB under {@code slab=slub} (the default allocator). */
public final class SlubAllocatorProvider implements SlabAllocatorProvider {
    @Override
    public String name() {
        return "slub";
    }

    @Override
    public Set<String> bootWords() {
        return SlubConfig.BOOT_WORDS;
    }

    @Override
    public SlabAllocator create(Machine machine, Map<String, String> words) {
        return new SlubAllocator(machine, SlubConfig.parse(words));
    }
}
