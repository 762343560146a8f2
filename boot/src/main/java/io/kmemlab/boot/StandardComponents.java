package io.kmemlab.boot;

import io.kmemlab.buddy.BuddyAllocator;
import io.kmemlab.buddy.BuddyConfig;
import io.kmemlab.buddy.BuddyViews;

/** The real kernel's parts: the Linux 6.18 buddy allocator and the slab allocators on the class path. */
public final class StandardComponents {
    private StandardComponents() {}

    public static Components get() {
        return new Components(
                machine -> new BuddyAllocator(machine, BuddyConfig.defaults()),
                (machine, pa) -> BuddyViews.register(machine.vfs(), (BuddyAllocator) pa, machine),
                Components.discoveredSlabProviders());
    }
}
