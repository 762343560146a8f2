package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayMachineFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One column of a replay or compare: a machine with {@code slab=allocator} and, after the common
 * boot words, the words of its own ({@code slob_fit=best}). Plain {@code compare} runs one
 * variant per allocator with no words of its own; {@code slob-fit} runs SLOB four times.
 *
 * @param label the column's name in progress and reports ({@code slub}, {@code best})
 */
record Variant(String label, String allocator, List<String> words) {

    Variant {
        words = List.copyOf(words);
    }

    /** One variant per allocator, labelled by its name. */
    static List<Variant> of(List<String> allocators) {
        List<Variant> out = new ArrayList<>();
        for (String a : allocators) {
            out.add(new Variant(a, a, List.of()));
        }
        return out;
    }

    /**
     * {@code compare}'s columns: each allocator, followed by the further machines the factory offers
     * for it ({@link ReplayMachineFactory#compareVariants}: the SLUB of 7.1 after 6.18's).
     */
    static List<Variant> forCompare(ReplayMachineFactory factory, List<String> allocators) {
        List<Variant> out = new ArrayList<>();
        for (String a : allocators) {
            out.add(new Variant(a, a, List.of()));
            for (Map.Entry<String, List<String>> e : factory.compareVariants(a).entrySet()) {
                out.add(new Variant(e.getKey(), a, e.getValue()));
            }
        }
        return out;
    }

    static List<String> labels(List<Variant> variants) {
        return variants.stream().map(Variant::label).toList();
    }

    /**
     * A factory that boots a variant by its label: {@code factory} gets the variant's allocator and
     * the common words this allocator takes when the variants' allocators run side by side
     * ({@link ReplayMachineFactory#wordsFor}), then the variant's own words.
     */
    static ReplayMachineFactory factory(ReplayMachineFactory factory, List<Variant> variants) {
        Map<String, Variant> byLabel = new LinkedHashMap<>();
        List<String> selected = new ArrayList<>();
        for (Variant v : variants) {
            byLabel.put(v.label, v);
            if (!selected.contains(v.allocator)) {
                selected.add(v.allocator);
            }
        }
        return (label, common) -> {
            Variant v = byLabel.get(label);
            List<String> w = new ArrayList<>(factory.wordsFor(v.allocator, selected, common));
            w.addAll(v.words);
            return factory.boot(v.allocator, w);
        };
    }
}
