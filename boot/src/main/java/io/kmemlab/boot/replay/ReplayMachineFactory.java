package io.kmemlab.boot.replay;

import java.util.List;

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
}
