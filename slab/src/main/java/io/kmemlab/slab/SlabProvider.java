package io.kmemlab.slab;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import java.util.Map;
import java.util.Set;

/**
 * {@code slab=slab}: the classic SLAB allocator. Boot words: {@code slab_max_order=N},
 * {@code noaliencache}, and {@code slab_debug} (a kernel built with CONFIG_DEBUG_SLAB).
 */
public final class SlabProvider implements SlabAllocatorProvider {

    @Override
    public String name() {
        return "slab";
    }

    @Override
    public Set<String> bootWords() {
        return Set.of("slab_max_order", "noaliencache", "slab_debug");
    }

    @Override
    public SlabAllocator create(Machine machine, Map<String, String> words) {
        return new ClassicSlabAllocator(machine, parse(words));
    }

    /** The settings the boot words select. */
    public static SlabSettings parse(Map<String, String> words) {
        SlabSettings s = SlabSettings.DEFAULT;
        String order = words.get("slab_max_order");
        if (order != null) {
            // get_option(): a number prefix, else the value stays 0; either way it counts as set
            s = s.withSlabMaxOrder(leadingInt(order));
        }
        if (words.containsKey("noaliencache")) {
            s = s.withNoAlienCache(true);
        }
        String debug = words.get("slab_debug");
        if (debug != null) {
            if (!debug.isEmpty()) {
                throw new IllegalArgumentException("slab_debug takes no value under slab=slab "
                        + "(CONFIG_DEBUG_SLAB debugs every cache): slab_debug=" + debug);
            }
            s = s.withDebug(true);
        }
        return s;
    }

    private static int leadingInt(String v) {
        int i = 0;
        boolean neg = false;
        if (i < v.length() && (v.charAt(i) == '-' || v.charAt(i) == '+')) {
            neg = v.charAt(i) == '-';
            i++;
        }
        long n = 0;
        int start = i;
        while (i < v.length() && Character.isDigit(v.charAt(i)) && n < 1_000_000) {
            n = n * 10 + (v.charAt(i) - '0');
            i++;
        }
        if (i == start) {
            return 0;
        }
        return (int) (neg ? -n : n);
    }
}
