package io.kmemlab.slab;

import io.kmemlab.mm.Addr;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The human explanation {@code kmemlab layout … slab=slab} prints for a SLAB cache. */
final class SlabLayoutExplainer {
    private SlabLayoutExplainer() {}

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
