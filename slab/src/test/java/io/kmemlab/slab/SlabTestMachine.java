package io.kmemlab.slab;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.SimplePageAllocator;

/** A machine with the simple page allocator and SLAB booted on it. */
final class SlabTestMachine {
    final Machine machine;
    final SimplePageAllocator pages;
    final ClassicSlabAllocator slab;
    final SlabLayer layer;

    SlabTestMachine(long mem, int cpus, int nodes, SlabSettings settings) {
        machine = new Machine(new MachineConfig(mem, cpus, nodes, 0));
        pages = new SimplePageAllocator(machine);
        machine.setPageAllocator(pages);
        slab = new ClassicSlabAllocator(machine, settings);
        layer = new SlabLayer(machine, slab);
        layer.init();
    }

    static SlabTestMachine of(long mem, int cpus) {
        return new SlabTestMachine(mem, cpus, 1, SlabSettings.DEFAULT);
    }

    ClassicSlabCache impl(KmemCache c) {
        return (ClassicSlabCache) c.impl();
    }

    ClassicSlabCache impl(String name) {
        return (ClassicSlabCache) layer.find(name).impl();
    }

    KmemCache create(String name, int size, int align, int flags) {
        return layer.kmemCacheCreate(name, size, align, flags, null, 0, 0, KmemCache.NO_FREEPTR_OFFSET);
    }

    String row(String name) {
        for (String line : layer.slabinfo().split("\n")) {
            if (line.startsWith(name + " ")) {
                return line;
            }
        }
        return null;
    }
}
