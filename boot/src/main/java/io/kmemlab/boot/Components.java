package io.kmemlab.boot;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.page.ZonedPageAllocator;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * What a boot wires together: the page allocator (built for the machine once memblock has sized
 * it), the registration of its /proc views, and the slab allocators that can be chosen with
 * {@code slab=}. {@link #standard()} is the real kernel; tests pass their own parts.
 *
 * @param pageAllocator builds the zoned page allocator for a machine
 * @param pageViews registers the page allocator's files (/proc/buddyinfo, …) after boot
 * @param slabProviders the object allocators {@code slab=} chooses from
 */
public record Components(
        Function<Machine, ZonedPageAllocator> pageAllocator,
        BiConsumer<Machine, ZonedPageAllocator> pageViews,
        List<SlabAllocatorProvider> slabProviders) {

    public Components {
        slabProviders = List.copyOf(slabProviders);
    }

    /** The slab allocators registered with ServiceLoader on the class path. */
    public static List<SlabAllocatorProvider> discoveredSlabProviders() {
        List<SlabAllocatorProvider> out = new ArrayList<>();
        for (SlabAllocatorProvider p : ServiceLoader.load(SlabAllocatorProvider.class)) {
            out.add(p);
        }
        return out;
    }

    /** The provider named {@code name}, or null. */
    public SlabAllocatorProvider slabProvider(String name) {
        for (SlabAllocatorProvider p : slabProviders) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    /** The same components with other slab providers. */
    public Components withSlabProviders(List<SlabAllocatorProvider> providers) {
        return new Components(pageAllocator, pageViews, providers);
    }

    /**
     * The boot words these components understand, for {@code kmemlab boot --help}: kmemlab's own
     * ({@link BootParams#WORDS}), then each slab allocator's, as its provider claims them.
     */
    public String bootWordsHelp() {
        StringBuilder sb = new StringBuilder("Boot words (the kernel command line; later words win):\n");
        for (BootParams.Word w : BootParams.WORDS) {
            sb.append(String.format("  %-21s %s%n", w.synopsis(), w.help()));
        }
        sb.append("Words of the allocator slab= chooses (e.g. slub_debug=FZ,kmalloc-64):\n");
        for (SlabAllocatorProvider p : slabProviders) {
            StringBuilder line = new StringBuilder(String.format("  %-21s", "slab=" + p.name() + ":"));
            for (String word : new java.util.TreeSet<>(p.bootWords())) {
                if (line.length() + 1 + word.length() > 79) {
                    sb.append(line).append('\n');
                    line = new StringBuilder(" ".repeat(23));
                }
                line.append(' ').append(word);
            }
            sb.append(line).append('\n');
        }
        return sb.toString().replace("\r", "");
    }

    /** Claims of the boot words by the available providers, for {@link BootParams#parse}. */
    public BootParams.WordClaims wordClaims() {
        return new BootParams.WordClaims() {
            @Override
            public boolean hasAllocator(String slab) {
                return slabProvider(slab) != null;
            }

            @Override
            public boolean claims(String slab, String name) {
                SlabAllocatorProvider p = slabProvider(slab);
                return p != null && p.bootWords().contains(name);
            }

            @Override
            public String claimedByOther(String slab, String name) {
                for (SlabAllocatorProvider p : slabProviders) {
                    if (!p.name().equals(slab) && p.bootWords().contains(name)) {
                        return p.name();
                    }
                }
                return null;
            }
        };
    }
}
