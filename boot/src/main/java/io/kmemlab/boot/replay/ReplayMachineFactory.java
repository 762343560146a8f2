package io.kmemlab.boot.replay;

import java.util.List;
import java.util.Map;

/**
 * Boots a fresh machine for one replay. The CLI wires this to {@code Kernel.boot}; tests use a
 * small machine over a test page allocator. Each call must return a new, independent machine.
 */
@FunctionalInterface
public interface ReplayMachineFactory {

    /**
     * @param allocator the {@code slab=} value ("slab", "slub", "slob")
     * @param words further kernel command-line words ({@code mem=}, {@code nr_cpus=}, …)
     * @throws IllegalArgumentException with a user-facing message if a word is bad or the
     *     allocator is not available
     */
    ReplayTarget boot(String allocator, List<String> words);

    /**
     * The words a machine of {@code allocator} takes when the {@code selected} allocators replay
     * side by side: all of them but those another selected allocator claims and this one does not
     * know ({@code slab_freelist_random=on} goes to SLUB only). A word no selected allocator knows
     * is kept, so that the boot rejects it. Factories without allocator words keep them all.
     */
    default List<String> wordsFor(String allocator, List<String> selected, List<String> words) {
        return words;
    }

    /**
     * Further columns {@code compare} shows for {@code allocator}: label → the allocator's own boot
     * words for that machine ({@code slub-7.1} → {@code slub_version=7.1}); none by default.
     */
    default Map<String, List<String>> compareVariants(String allocator) {
        return Map.of();
    }
}
