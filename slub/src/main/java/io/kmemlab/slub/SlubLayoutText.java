package io.kmemlab.slub;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;

/** The drawings and order reasoning {@code kmemlab layout} prints for a SLUB cache. */
final class SlubLayoutText {
    private SlubLayoutText() {}

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
