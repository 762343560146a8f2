package io.kmemlab.boot.replay;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabLayer;

/** A booted machine to replay on: the machine (with its page allocator) and its slab layer. */
public record ReplayTarget(Machine machine, SlabLayer slab) {

    /** The {@code slab=} name of the object allocator. */
    public String allocatorName() {
        return slab.allocator().name();
    }
}
