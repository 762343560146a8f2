package io.kmemlab.mm.slab.contract;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.SimplePageAllocator;
import java.util.function.Function;

/**
 * A machine with {@link SimplePageAllocator} and the allocator under test behind a booted
 * {@link SlabLayer}; shared by {@link SlabAllocatorContractTest} and
 * {@link SlabAllocatorPropertiesBase}.
 */
public final class SlabContractFixture {
    public final Machine machine;
    public final SimplePageAllocator pages;
    public final SlabLayer layer;

    public SlabContractFixture(long memBytes, int cpus, Function<Machine, SlabAllocator> factory) {
        machine = new Machine(MachineConfig.of(memBytes, cpus));
        pages = new SimplePageAllocator(machine);
        machine.setPageAllocator(pages);
        layer = new SlabLayer(machine, factory.apply(machine));
        layer.init();
    }

    /** Shrinks every cache (kmem_cache_shrink on each). */
    public void shrinkAll() {
        // Shrinking one cache can free objects into another (SLUB's sheaves are kmalloc objects,
        // so a flushed spare lands in a kmalloc cache shrunk before it): repeat to a fixed point.
        long pages = -1;
        for (int pass = 0; pass < 4 && pages != this.pages.allocatedPages(); pass++) {
            pages = this.pages.allocatedPages();
            for (KmemCache c : layer.caches()) {
                layer.kmemCacheShrink(c);
            }
        }
    }

    /** slabinfo's active_objs of every cache, by name (after {@link #shrinkAll}: the objects in use). */
    public java.util.Map<String, Long> activeObjects() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        for (KmemCache c : layer.caches()) {
            m.put(c.name(), c.impl().metric().activeObjs());
        }
        return m;
    }

    /** The cache whose slab holds {@code obj}, or null (for allocators that track ownership). */
    public KmemCache ownerOf(long obj) {
        var impl = layer.allocator().ownerOf(obj);
        return impl == null ? null : impl.descriptor();
    }
}
