package io.kmemlab.slab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human explanation {@code kmemlab layout … slab=slab} prints for a SLAB cache. */
final class SlabLayoutExplainer {
    private SlabLayoutExplainer() {}

    /**
     * The slot and slab {@link #explain} describes, as figures: the object after the first red
     * zone, the second red zone and the last-user word at the slot's end (as {@link SlabDebug}
     * places them), alignment slack between; the slab as its slots, the left-over bytes the
     * colour offsets come from, and an on-slab free-list array at the end.
     */
    static SlabLayout layout(ClassicSlabCache c) {
        SlabGeometry g = c.geometryRecord();
        boolean rz = (g.flags() & SlabFlags.RED_ZONE) != 0;
        boolean user = (g.flags() & SlabFlags.STORE_USER) != 0;
        List<SlabLayout.Part> slot = new ArrayList<>();
        if (rz) {
            slot.add(new SlabLayout.Part(0, 8, SlabLayout.Kind.RED_ZONE, "red zone 1"));
        }
        int objEnd = g.objOffset() + g.objectSize();
        slot.add(new SlabLayout.Part(g.objOffset(), objEnd, SlabLayout.Kind.OBJECT, "object"));
        int tail = g.size() - (user ? 8 : 0) - (rz ? (user ? SlabGeometry.REDZONE_ALIGN : 8) : 0);
        if (tail > objEnd) {
            slot.add(new SlabLayout.Part(objEnd, tail, SlabLayout.Kind.SLACK, "alignment slack"));
        }
        if (rz) {
            slot.add(new SlabLayout.Part(tail, tail + 8, SlabLayout.Kind.RED_ZONE, "red zone 2"));
        }
        if (user) {
            slot.add(new SlabLayout.Part(g.size() - 8, g.size(), SlabLayout.Kind.TRACK, "last user"));
        }
        int slabBytes = (int) g.slabBytes();
        int used = g.num() * g.size();
        List<SlabLayout.Part> slab = new ArrayList<>();
        slab.add(new SlabLayout.Part(0, used, SlabLayout.Kind.SLOTS, g.num() + " x " + g.size()));
        int fl = g.mgmt() == SlabGeometry.Mgmt.ON_SLAB ? g.freelistSize() : 0;
        if (used < slabBytes - fl) {
            String colour = g.colour() >= 2
                    ? String.format(Locale.ROOT, "left over (colour: %d offsets of %d B)", g.colour(), g.colourOff())
                    : "left over";
            slab.add(new SlabLayout.Part(used, slabBytes - fl, SlabLayout.Kind.LEFT_OVER, colour));
        }
        if (fl > 0) {
            slab.add(new SlabLayout.Part(slabBytes - fl, slabBytes, SlabLayout.Kind.FREELIST, "freelist"));
        }
        return new SlabLayout(g.size(), slot, slabBytes, g.num(), slab);
    }

    static List<String> explain(ClassicSlabCache c) {
        SlabGeometry g = c.geometryRecord();
        List<String> out = new ArrayList<>();
        long slabBytes = g.slabBytes();
        out.add(String.format(
                Locale.ROOT,
                "slab of %d page%s (%d bytes), %d objects of %d bytes:",
                1 << g.order(),
                g.order() == 0 ? "" : "s",
                slabBytes,
                g.num(),
                g.size()));
        String tail = g.mgmt() == SlabGeometry.Mgmt.ON_SLAB
                ? String.format(Locale.ROOT, " freelist %d B |", g.freelistSize())
                : "";
        String colour = g.colour() >= 2
                ? String.format(Locale.ROOT, " colour 0..%d x %d B |", g.colour() - 1, g.colourOff())
                : "";
        String objs = g.num() == 1
                ? " obj 0 |"
                : g.num() == 2
                        ? " obj 0 | obj 1 |"
                        : String.format(Locale.ROOT, " obj 0 | obj 1 | ... | obj %d |", g.num() - 1);
        out.add(String.format(Locale.ROOT, "  |%s%s left %d B |%s", colour, objs, g.leftOver(), tail));
        switch (g.mgmt()) {
            case OBJFREELIST ->
                out.add(String.format(
                        Locale.ROOT,
                        "freelist: %d-byte index array inside the free object handed out last (OBJFREELIST:"
                                + " no ctor, %d <= object_size %d)",
                        g.freelistSize(),
                        g.freelistSize(),
                        g.objectSize()));
            case OFF_SLAB ->
                out.add(String.format(
                        Locale.ROOT,
                        "freelist: %d-byte index array kmalloc'ed off-slab (left over %d < %d)",
                        g.freelistSize(),
                        g.leftOver(),
                        g.freelistSize()));
            case ON_SLAB ->
                out.add(String.format(
                        Locale.ROOT,
                        "freelist: %d-byte index array at the end of the slab (1 extra byte per object)",
                        g.freelistSize()));
        }
        // calculate_slab_order()'s tests in its own order
        int per = g.size() + (g.mgmt() == SlabGeometry.Mgmt.ON_SLAB ? SlabGeometry.IDX_SIZE : 0);
        boolean firstFit = g.order() > 0 && ((long) Addr.PAGE_SIZE << (g.order() - 1)) / per == 0;
        String why;
        if ((g.flags() & io.kmemlab.mm.slab.SlabFlags.RECLAIM_ACCOUNT) != 0) {
            why = "RECLAIM_ACCOUNT caches stop at the first order that holds an object";
        } else if (g.order() >= c.alloc.slabMaxOrder()) {
            why = firstFit
                    ? "the first order that holds an object (slab_max_order " + c.alloc.slabMaxOrder() + ")"
                    : "slab_max_order " + c.alloc.slabMaxOrder() + " reached";
        } else if ((long) g.leftOver() * 8 <= slabBytes) {
            why = String.format(Locale.ROOT, "waste %d * 8 <= %d (at most 1/8)", g.leftOver(), slabBytes);
        } else {
            why = "the next order would hold more than " + SlabGeometry.SLAB_OBJ_MAX_NUM + " objects";
        }
        out.add(String.format(Locale.ROOT, "order %d: %s", g.order(), why));
        out.add(String.format(
                Locale.ROOT,
                "colour: %d offsets of %d bytes (left over %d / colour_off %d);"
                        + " first slab on a node uses offset %d",
                g.colour(),
                g.colourOff(),
                g.leftOver(),
                g.colourOff(),
                g.colour() >= 2 ? g.colourOff() : 0));
        Tunables t = c.tunables();
        out.add(String.format(
                Locale.ROOT,
                "per-CPU arrays: limit %d, batchcount %d; shared array %d entries per node",
                t.limit(),
                t.batchcount(),
                t.shared() * t.batchcount()));
        if (g.size() > Addr.PAGE_SIZE) {
            out.add("no shared array: objects larger than a page");
        }
        return out;
    }
}
