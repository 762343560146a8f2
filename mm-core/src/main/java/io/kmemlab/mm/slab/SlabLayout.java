package io.kmemlab.mm.slab;

import java.util.List;

/**
 * A cache's layout as {@code kmemlab layout} draws it, as figures a report can draw again (the
 * HTML report's SVG): the parts of one object slot — the object, red zones, the free pointer,
 * debug tracks, padding — and the parts of one slab — the run of slots, the left-over bytes, an
 * on-slab free-list array. Parts are in address order; a free pointer kept inside the object
 * follows the object part it overlaps.
 *
 * @param slotSize {@code s->size}: bytes from one object's slot to the next
 * @param slot the slot's parts, offsets from the slot's start
 * @param slabBytes bytes of one slab (PAGE_SIZE << order)
 * @param objects objects per slab
 * @param slab the slab's parts, offsets from the slab's first byte
 */
public record SlabLayout(int slotSize, List<Part> slot, int slabBytes, int objects, List<Part> slab) {
    public SlabLayout {
        slot = List.copyOf(slot);
        slab = List.copyOf(slab);
    }

    /** What a part is (its colour in a drawing). */
    public enum Kind {
        OBJECT,
        RED_ZONE,
        FREE_POINTER,
        TRACK,
        PADDING,
        SLACK,
        SLOTS,
        LEFT_OVER,
        FREELIST
    }

    /** Bytes [start, end) of a slot or slab, with the words {@code kmemlab layout} uses for them. */
    public record Part(int start, int end, Kind kind, String label) {
        public int bytes() {
            return end - start;
        }
    }
}
