package io.kmemlab.slub;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.SimplePageAllocator;
import java.util.HashMap;
import java.util.Map;

/** Boots a small machine with SimplePageAllocator and SLUB for module tests. */
final class SlubTesting {
    private SlubTesting() {}

    /** A booted SLUB machine; words as on the kernel command line ("slub_debug=FZ,foo"). */
    static SlabLayer boot(int cpus, String... words) {
        return boot(64L << 20, cpus, words);
    }

    static SlabLayer boot(long mem, int cpus, String... words) {
        Machine m = new Machine(MachineConfig.of(mem, cpus));
        m.setPageAllocator(new SimplePageAllocator(m));
        Map<String, String> map = new HashMap<>();
        for (String w : words) {
            int eq = w.indexOf('=');
            if (eq < 0) {
                map.put(w, "");
            } else {
                map.put(w.substring(0, eq), w.substring(eq + 1));
            }
        }
        SlubAllocator a = new SlubAllocator(m, SlubConfig.parse(map));
        SlabLayer layer = new SlabLayer(m, a);
        layer.init();
        return layer;
    }

    static SlubAllocator slub(SlabLayer layer) {
        return (SlubAllocator) layer.allocator();
    }

    static SimplePageAllocator pages(SlabLayer layer) {
        return (SimplePageAllocator) layer.machine().pageAllocator();
    }
}
