package io.kmemlab.boot.replay;

import io.kmemlab.boot.BootParams;
import io.kmemlab.boot.Components;
import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.StandardComponents;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import java.util.ArrayList;
import java.util.List;

/**
 * Boots replay machines the way {@code kmemlab boot} does: {@link Kernel#boot} from the words plus
 * {@code slab=NAME}, with the buddy allocator and the slab allocators found by ServiceLoader.
 */
public final class KernelReplayFactory implements ReplayMachineFactory {
    private final Components components;

    /** The real kernel's parts. */
    public KernelReplayFactory() {
        this(StandardComponents.get());
    }

    public KernelReplayFactory(Components components) {
        this.components = components;
    }

    /** The allocators these components offer, in column order (slab, slub, slob, then others). */
    public List<String> allocators() {
        List<String> found = new ArrayList<>();
        for (SlabAllocatorProvider p : components.slabProviders()) {
            found.add(p.name());
        }
        List<String> ordered = new ArrayList<>();
        for (String n : ReplaySession.ALLOCATOR_ORDER) {
            if (found.contains(n)) {
                ordered.add(n);
            }
        }
        for (String n : found) {
            if (!ordered.contains(n)) {
                ordered.add(n);
            }
        }
        return ordered;
    }

    @Override
    public List<String> wordsFor(String allocator, List<String> selected, List<String> words) {
        return BootParams.wordsFor(allocator, selected, words, components.wordClaims());
    }

    @Override
    public java.util.Map<String, List<String>> compareVariants(String allocator) {
        for (SlabAllocatorProvider p : components.slabProviders()) {
            if (p.name().equals(allocator)) {
                return p.compareVariants();
            }
        }
        return java.util.Map.of();
    }

    @Override
    public ReplayTarget boot(String allocator, List<String> words) {
        List<String> w = new ArrayList<>();
        for (String s : words) {
            if (!s.startsWith("slab=")) {
                w.add(s);
            }
        }
        w.add("slab=" + allocator);
        Kernel.BootResult r = Kernel.boot(w, components);
        if (!r.ok()) {
            // The boot's message is for the boot command; the replay prints its own prefix.
            String error = r.error();
            throw new IllegalArgumentException(error.startsWith("kmemlab: ") ? error.substring(9) : error);
        }
        Kernel k = r.kernel();
        if (k.slab() == null) {
            throw new IllegalArgumentException(k.slabUnavailable());
        }
        return new ReplayTarget(k.machine(), k.slab());
    }
}
