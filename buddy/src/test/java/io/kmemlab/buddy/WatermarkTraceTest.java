package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZoneMetric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The watermark tracepoints (procfs-and-tracepoints.md §9.1) fire where the kernel fires them. */
class WatermarkTraceTest {

    @Test
    void writingMinFreeKbytes_tracesEveryZonesWatermarksThenTheTotalReserve() {
        BuddyAllocator b = TestBoot.kernelLike(1L << 30, 2);
        List<String> lines = new ArrayList<>();
        b.machine().tracer().addSink(lines::add);
        b.machine().tracer().enable("kmem:mm_setup_per_zone_wmarks,kmem:mm_calculate_totalreserve_pages");

        assertThat(b.setMinFreeKbytes(8192)).isNull();

        List<String> wmarks = lines.stream()
                .filter(l -> l.contains(": mm_setup_per_zone_wmarks: "))
                .toList();
        assertThat(wmarks).hasSize(ZoneType.COUNT);
        for (ZoneType t : ZoneType.values()) {
            ZoneMetric z = b.zone(t);
            assertThat(wmarks.get(t.ordinal()))
                    .endsWith("mm_setup_per_zone_wmarks: node_id=0 zone name=" + t.procName()
                            + " watermark min=" + z.watermark(0) + " low=" + z.watermark(1) + " high=" + z.watermark(2)
                            + " promo=" + z.watermark(3));
        }
        assertThat(wmarks.get(ZoneType.MOVABLE.ordinal()))
                .endsWith("zone name=Movable watermark min=32 low=32 high=32 promo=32");
        assertThat(lines.get(lines.size() - 1))
                .endsWith("mm_calculate_totalreserve_pages: totalreserve_pages=" + b.totalreservePages());
    }

    @Test
    void writingLowmemReserveRatio_tracesEachZonePair() {
        BuddyAllocator b = TestBoot.kernelLike(1L << 30, 2);
        List<String> lines = new ArrayList<>();
        b.machine().tracer().addSink(lines::add);
        b.machine().tracer().enable("kmem:mm_setup_per_zone_lowmem_reserve");

        assertThat(b.setLowmemReserveRatio(new int[] {256, 256, 32, 0, 0})).isNull();

        // pairs (i, j) with i < 4 and j > i: 4 + 3 + 2 + 1
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0))
                .endsWith("mm_setup_per_zone_lowmem_reserve: node_id=0 zone name=DMA upper_zone name=DMA32 "
                        + "lowmem_reserve_pages=" + b.zone(ZoneType.DMA).lowmemReserve(ZoneType.DMA32.ordinal()));
    }
}
