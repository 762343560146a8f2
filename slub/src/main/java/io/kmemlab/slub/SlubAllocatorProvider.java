package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import java.util.List;
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

    /** compare runs the SLUB of 7.1 beside 6.18's: what sheaves on every cache change. */
    @Override
    public Map<String, List<String>> compareVariants() {
        return Map.of(
                "slub-" + SlubVersion.V7_1.word(), List.of(SlubConfig.VERSION_WORD + "=" + SlubVersion.V7_1.word()));
    }
}
