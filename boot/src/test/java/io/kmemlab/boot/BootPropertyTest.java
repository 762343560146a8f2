package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.memblock.MemblockType;
import io.kmemlab.boot.testing.FakeZonedAllocator;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ZoneType;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * For any machine shape, the hand-over is exact: the boot chunks are naturally aligned, at most
 * order 10, disjoint, inside present memory and outside every reservation, and together with the
 * reserved present pages they make up exactly the present pages.
 */
class BootPropertyTest {

    @Property(tries = 40)
    void handOver_coversPresentMinusReservedExactly(
            @ForAll @IntRange(min = 16, max = 6144) int memMiB, @ForAll @IntRange(min = 1, max = 64) int cpus) {
        Kernel.BootResult r = Kernel.boot(
                List.of("mem=" + memMiB + "M", "nr_cpus=" + cpus), FakeZonedAllocator.components(List.of()));
        if (!r.ok()) {
            // Only a machine too small for its per-CPU areas may refuse to boot.
            assertThat(r.error()).contains("Failed to initialize percpu areas");
            return;
        }
        Kernel k = r.kernel();
        FakeZonedAllocator fa = (FakeZonedAllocator) k.pageAllocator();
        PageFrames frames = k.machine().frames();
        BitSet handed = new BitSet();
        for (int[] c : fa.chunks) {
            int pfn = c[0];
            int n = 1 << c[1];
            assertThat(c[1]).isBetween(0, 10);
            assertThat(pfn % n).isZero();
            assertThat(handed.get(pfn, pfn + n).isEmpty())
                    .as("chunk at %d overlaps another", pfn)
                    .isTrue();
            handed.set(pfn, pfn + n);
        }
        BitSet reserved = new BitSet();
        MemblockType res = k.memblock().reserved();
        for (int i = 0; i < res.cnt(); i++) {
            reserved.set((int) (res.base(i) >>> 12), (int) Math.min((res.end(i) + 4095) >>> 12, frames.nrFrames()));
        }
        assertThat(handed.intersects(reserved)).isFalse();
        long present = 0;
        long reservedPresent = 0;
        for (int pfn = 0; pfn < frames.nrFrames(); pfn++) {
            if (frames.valid(pfn)) {
                present++;
                if (reserved.get(pfn)) {
                    reservedPresent++;
                }
            } else {
                assertThat(handed.get(pfn)).as("hole %d handed over", pfn).isFalse();
            }
        }
        long zones = 0;
        for (ZoneType z : ZoneType.values()) {
            zones += k.zonePresent(z);
        }
        assertThat(zones).isEqualTo(present).isEqualTo(k.totalPages());
        assertThat((long) handed.cardinality()).isEqualTo(present - reservedPresent);
        assertThat(k.memblock().validate()).isEmpty();
    }
}
