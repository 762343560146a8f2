package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZoneMetric;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Watermarks, protection and pcp sizes of kernel-like machines of several sizes against a second,
 * straight-line transcription of the formulas of buddy.md §3.4, §3.5 and §4.2.
 */
class FormulaTableTest {

    @ParameterizedTest(name = "{0} MiB, {1} CPUs")
    @CsvSource({"16, 1", "64, 2", "1024, 2", "4160, 4", "16384, 8"})
    void kernelLikeMachine_matchesTheFormulas(long mib, int cpus) {
        BuddyAllocator b = TestBoot.kernelLike(mib << 20, cpus);
        long[] managed = new long[ZoneType.COUNT];
        for (int i = 0; i < managed.length; i++) {
            managed[i] = b.zone(i).managedPages();
        }
        long lowmem = managed[0] + managed[1] + managed[2] + managed[4];
        long pagesMin = b.minFreeKbytes() / 4;
        long[] high = new long[ZoneType.COUNT];
        for (int i = 0; i < ZoneType.COUNT; i++) {
            ZoneMetric z = b.zone(i);
            long tmp = pagesMin * managed[i] / lowmem;
            long min = i == ZoneType.MOVABLE.ordinal() ? Math.max(32, Math.min(managed[i] / 1024, 128)) : tmp;
            long delta = Math.max(tmp / 4, managed[i] * 10 / 10000);
            assertThat(z.watermark(0)).as("min " + i).isEqualTo(min);
            assertThat(z.watermark(1)).as("low " + i).isEqualTo(min + delta);
            assertThat(z.watermark(2)).as("high " + i).isEqualTo(min + 2 * delta);
            assertThat(z.watermark(3)).as("promo " + i).isEqualTo(min + 3 * delta);
            high[i] = min + 2 * delta;
            int[] ratio = {256, 256, 32, 0, 0};
            long sum = 0;
            for (int j = i + 1; j < ZoneType.COUNT; j++) {
                sum += managed[j];
                long expected = ratio[i] == 0 || managed[i] == 0 ? 0 : sum / ratio[i];
                assertThat(z.lowmemReserve(j)).as("protection " + i + "," + j).isEqualTo(expected);
            }
            long batch = Math.min(managed[i] >> 10, 256) / 4;
            batch = Long.highestOneBit(Math.max(batch, 1) + Math.max(batch, 1) / 2) - 1;
            batch = Math.max(1, batch);
            long highMin = Math.max((min + delta) / cpus, batch * 4);
            long highMax = Math.max(managed[i] / 8 / cpus, batch * 4);
            for (int cpu = 0; cpu < cpus; cpu++) {
                assertThat(z.pcp(cpu).batch()).as("batch " + i).isEqualTo((int) batch);
                assertThat(z.pcp(cpu).highMin()).as("high_min " + i).isEqualTo((int) highMin);
                assertThat(z.pcp(cpu).highMax()).as("high_max " + i).isEqualTo((int) highMax);
            }
        }
        long total = 0;
        for (int i = 0; i < ZoneType.COUNT; i++) {
            long max = 0;
            for (int j = i; j < ZoneType.COUNT; j++) {
                max = Math.max(max, b.zone(i).lowmemReserve(j));
            }
            total += Math.min(managed[i], max + high[i]);
        }
        assertThat(b.totalreservePages()).isEqualTo(total);
        // min_free_kbytes: the larger of int_sqrt(16 × lowmem kB) and the THP recommendation
        // (the THP recommendation sees the watermarks of the first, unraised pass)
        long sqrt = (long) Math.floor(Math.sqrt(16.0 * lowmem * 4));
        long first = Math.max(128, Math.min(sqrt, 262144));
        int populated = 0;
        long buffer = 0;
        for (int i = 0; i <= ZoneType.NORMAL.ordinal(); i++) {
            if (b.zone(i).populated()) {
                populated++;
            }
            long tmp = first / 4 * managed[i] / lowmem;
            long high0 = tmp + 2 * Math.max(tmp / 4, managed[i] * 10 / 10000);
            buffer += Math.max(0, managed[i] - high0);
        }
        long rec = Math.min(512L * populated * 11, buffer / 20) * 4;
        assertThat(b.minFreeKbytes()).isEqualTo((int) Math.max(first, rec));
        assertThat(b.validate()).isEmpty();
    }
}
