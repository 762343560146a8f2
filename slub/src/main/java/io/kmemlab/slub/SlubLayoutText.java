package io.kmemlab.slub;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayout;
import java.util.ArrayList;
import java.util.List;

/** The drawings and order reasoning {@code kmemlab layout} prints for a SLUB cache. */
final class SlubLayoutText {
    private SlubLayoutText() {}

    /**
     * The parts {@link #explain} prints, as figures: the same ranges and words (the free pointer
     * inside the object as a part of its own after the object).
     */
    static SlabLayout layout(SlubCache c) {
        SlubGeometry g = c.geo;
        int os = c.desc.objectSize();
        List<SlabLayout.Part> slot = new ArrayList<>();
        int rlp = g.redLeftPad();
        if (rlp > 0) {
            slot.add(new SlabLayout.Part(0, rlp, SlabLayout.Kind.RED_ZONE, "left red zone"));
        }
        slot.add(new SlabLayout.Part(rlp, rlp + os, SlabLayout.Kind.OBJECT, "object"));
        if (!g.freeptrOutside()) {
            slot.add(new SlabLayout.Part(
                    rlp + g.offset(),
                    rlp + g.offset() + SlubGeometry.WORD,
                    SlabLayout.Kind.FREE_POINTER,
                    "free pointer (inside the free object)"));
        }
        if (g.inuse() > os) {
            boolean rz = g.hasFlag(SlabFlags.RED_ZONE);
            slot.add(new SlabLayout.Part(
                    rlp + os,
                    rlp + g.inuse(),
                    rz ? SlabLayout.Kind.RED_ZONE : SlabLayout.Kind.SLACK,
                    rz ? "right red zone" : "alignment slack"));
        }
        if (g.freeptrOutside()) {
            slot.add(new SlabLayout.Part(
                    rlp + g.offset(),
                    rlp + g.offset() + SlubGeometry.WORD,
                    SlabLayout.Kind.FREE_POINTER,
                    "free pointer"));
        }
        int pos = rlp + g.infoEnd();
        if (g.hasFlag(SlabFlags.STORE_USER)) {
            slot.add(new SlabLayout.Part(pos, pos + SlubGeometry.TRACK_SIZE, SlabLayout.Kind.TRACK, "alloc track"));
            pos += SlubGeometry.TRACK_SIZE;
            slot.add(new SlabLayout.Part(pos, pos + SlubGeometry.TRACK_SIZE, SlabLayout.Kind.TRACK, "free track"));
            pos += SlubGeometry.TRACK_SIZE;
            if (g.hasFlag(SlabFlags.KMALLOC)) {
                slot.add(new SlabLayout.Part(
                        pos, pos + SlubGeometry.ORIG_SIZE_SIZE, SlabLayout.Kind.TRACK, "kmalloc orig_size"));
                pos += SlubGeometry.ORIG_SIZE_SIZE;
            }
        }
        if (pos < g.size()) {
            slot.add(new SlabLayout.Part(pos, g.size(), SlabLayout.Kind.PADDING, "padding"));
        }
        int slabBytes = Addr.PAGE_SIZE << g.order();
        int used = g.objects() * g.size();
        List<SlabLayout.Part> slab = new ArrayList<>();
        slab.add(new SlabLayout.Part(0, used, SlabLayout.Kind.SLOTS, g.objects() + " x " + g.size()));
        if (used < slabBytes) {
            slab.add(new SlabLayout.Part(used, slabBytes, SlabLayout.Kind.LEFT_OVER, "left over"));
        }
        return new SlabLayout(g.size(), slot, slabBytes, g.objects(), slab);
    }

    static List<String> explain(SlubCache c) {
        SlubGeometry g = c.geo;
        List<String> out = new ArrayList<>();
        int os = c.desc.objectSize();
        out.add("object (slot of " + g.size() + " bytes; offsets from the slot start):");
        int rlp = g.redLeftPad();
        if (rlp > 0) {
            out.add(String.format("  [%5d, %5d)  left red zone (0xbb free / 0xcc allocated)", 0, rlp));
        }
        out.add(String.format(
                "  [%5d, %5d)  object (%d bytes)%s",
                rlp, rlp + os, os, g.freeptrOutside() ? "" : ", free pointer inside at +" + g.offset()));
        if (g.inuse() > os) {
            out.add(String.format(
                    "  [%5d, %5d)  %s",
                    rlp + os, rlp + g.inuse(), g.hasFlag(SlabFlags.RED_ZONE) ? "right red zone" : "alignment slack"));
        }
        if (g.freeptrOutside()) {
            out.add(String.format(
                    "  [%5d, %5d)  free pointer (outside the object)",
                    rlp + g.offset(), rlp + g.offset() + SlubGeometry.WORD));
        }
        int pos = rlp + g.infoEnd();
        if (g.hasFlag(SlabFlags.STORE_USER)) {
            out.add(String.format("  [%5d, %5d)  alloc track", pos, pos + SlubGeometry.TRACK_SIZE));
            out.add(String.format(
                    "  [%5d, %5d)  free track", pos + SlubGeometry.TRACK_SIZE, pos + 2 * SlubGeometry.TRACK_SIZE));
            pos += 2 * SlubGeometry.TRACK_SIZE;
            if (g.hasFlag(SlabFlags.KMALLOC)) {
                out.add(String.format("  [%5d, %5d)  kmalloc orig_size", pos, pos + SlubGeometry.ORIG_SIZE_SIZE));
                pos += SlubGeometry.ORIG_SIZE_SIZE;
            }
        }
        if (pos < g.size()) {
            out.add(String.format(
                    "  [%5d, %5d)  padding%s", pos, g.size(), g.hasFlag(SlabFlags.POISON) ? " (0x5a)" : ""));
        }
        int slab = Addr.PAGE_SIZE << g.order();
        out.add("slab (order " + g.order() + ", " + slab + " bytes): " + g.objects() + " x " + g.size()
                + " = " + (long) g.objects() * g.size() + ", " + (slab - (long) g.objects() * g.size())
                + " bytes left over");
        out.add("order:");
        for (String step : g.orderSteps()) {
            out.add("  " + step);
        }
        return out;
    }
}
