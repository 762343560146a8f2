package io.kmemlab.mm.slab;

import io.kmemlab.mm.PhysMem;

/**
 * An object constructor ({@code void (*ctor)(void *)}), run by the allocator when it prepares an
 * object as its algorithm dictates (SLUB and SLAB when a slab is created, SLOB on every
 * allocation). It writes the object's bytes in emulated memory.
 */
@FunctionalInterface
public interface Ctor {
    void construct(PhysMem mem, long obj, int objectSize);

    /** The symbol /sys/kernel/slab/NAME/ctor prints (%pS), e.g. {@code init_once+0x0/0x10}. */
    default String symbol() {
        return "kmemlab_ctor+0x0/0x10";
    }
}
