package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Layout relations of slub.md §1 for random sizes, alignments, flags and CPU counts. */
class SlubGeometryPropertiesTest {

    @Property
    void layout_respectsSlotMap(
            @ForAll @IntRange(min = 1, max = 70000) int os,
            @ForAll @IntRange(min = 3, max = 12) int alignShift,
            @ForAll @IntRange(min = 0, max = 127) int flagBits,
            @ForAll boolean ctor,
            @ForAll @IntRange(min = 1, max = 64) int cpus)
            throws Exception {
        int align = 1 << alignShift;
        int flags = 0;
        int[] choices = {
            SlabFlags.CONSISTENCY_CHECKS,
            SlabFlags.RED_ZONE,
            SlabFlags.POISON,
            SlabFlags.STORE_USER,
            SlabFlags.KMALLOC,
            SlabFlags.TYPESAFE_BY_RCU,
            SlabFlags.TRACE
        };
        for (int i = 0; i < choices.length; i++) {
            if ((flagBits & (1 << i)) != 0) {
                flags |= choices[i];
            }
        }
        SlubGeometry g =
                SlubGeometry.compute(os, align, flags, ctor, -1, false, SlubGeometry.OrderParams.defaults(cpus));
        assertThat(g.size() % align).isZero();
        assertThat(g.inuse())
                .isGreaterThanOrEqualTo(os)
                .isEqualTo(((os + 7) & ~7) + ((flags & SlabFlags.RED_ZONE) != 0 && os % 8 == 0 ? 8 : 0));
        boolean outside = (flags & (SlabFlags.TYPESAFE_BY_RCU | SlabFlags.POISON)) != 0
                || ctor
                || ((flags & SlabFlags.RED_ZONE) != 0 && (os < 8 || g.origSizeTracking()));
        assertThat(g.freeptrOutside()).isEqualTo(outside);
        if (!outside) {
            assertThat(g.offset()).isEqualTo((os / 2) & ~7);
        }
        assertThat(g.redLeftPad()).isEqualTo((flags & SlabFlags.RED_ZONE) != 0 ? Math.max(8, align) : 0);
        assertThat(g.metadataEnd()).isLessThanOrEqualTo(g.sizeFromObject());
        assertThat(g.sizeFromObject() - g.metadataEnd())
                .isLessThan(align + ((flags & SlabFlags.RED_ZONE) != 0 ? 8 : 0) + 8);
        assertThat(g.order())
                .isEqualTo(SlubGeometry.calculateOrder(
                        g.size(), SlubGeometry.OrderParams.defaults(cpus), new ArrayList<>()));
        assertThat(g.objects()).isEqualTo((4096 << g.order()) / g.size()).isPositive();
        assertThat(g.cpuPartial()).isEqualTo(g.debug() ? 0 : SlubGeometry.cpuPartialObjects(g.size()));
    }
}
