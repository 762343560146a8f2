package io.kmemlab.mm.slab;

import io.kmemlab.mm.Machine;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How boot finds the object allocators without compiling against them: each allocator module
 * registers one provider in {@code META-INF/services/io.kmemlab.mm.slab.SlabAllocatorProvider}, and
 * {@code slab=NAME} picks it by {@link #name()}.
 */
public interface SlabAllocatorProvider {

    /** The {@code slab=} value: "slub", "slab" or "slob". */
    String name();

    /**
     * Kernel command-line words this allocator understands (e.g. {@code slub_debug},
     * {@code slub_max_order}); boot rejects words nobody claims.
     */
    Set<String> bootWords();

    /**
     * Creates the allocator for a machine.
     *
     * @param words the boot words given for this allocator (name → value, "" for a bare word)
     * @throws IllegalArgumentException with a user-facing message naming the bad word
     */
    SlabAllocator create(Machine machine, Map<String, String> words);

    /**
     * Further machines {@code compare} runs for this allocator beside its default one: a column
     * label and the boot words of the allocator's own that make it (SLUB: {@code slub-7.1} →
     * {@code slub_version=7.1}). In the column order.
     */
    default Map<String, List<String>> compareVariants() {
        return Map.of();
    }
}
