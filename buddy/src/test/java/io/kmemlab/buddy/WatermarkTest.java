package io.kmemlab.buddy;

import static io.kmemlab.buddy.BuddyAllocator.WMARK_HIGH;
import static io.kmemlab.buddy.BuddyAllocator.WMARK_LOW;
import static io.kmemlab.buddy.BuddyAllocator.WMARK_MIN;
import static io.kmemlab.buddy.BuddyAllocator.WMARK_PROMO;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZoneMetric;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Watermarks, lowmem_reserve, totalreserve and pcp sizes against buddy.md §3.4-§4.2 and §7. */
class WatermarkTest {
    private static final int NORMAL = ZoneType.MAX_DMA32_PFN;
    private BuddyAllocator last;

    @AfterEach
    void validate() {
        if (last != null) {
            assertThat(last.validate()).isEmpty();
        }
    }

    /** Example A: managed DMA 3840, DMA32 772808, Normal 163840; 2 CPUs; THP on. */
    private BuddyAllocator exampleA() {
        long mem = (long) (NORMAL + 163840) << 12;
        last = TestBoot.of(mem)
                .cpus(2)
                .free(0x100, ZoneType.MAX_DMA_PFN)
                .free(ZoneType.MAX_DMA_PFN, ZoneType.MAX_DMA_PFN + 772808)
                .free(NORMAL, NORMAL + 163840)
                .boot();
        return last;
    }

    @Test
    void exampleA_minFreeKbytesIsTheThpValueForThreeZones() {
        BuddyAllocator b = exampleA();
        assertThat(b.minFreeKbytes()).isEqualTo(67584);
    }

    @Test
    void exampleA_watermarksMatchTheWorkedExample() {
        BuddyAllocator b = exampleA();
        assertWmarks(b.zone(ZoneType.DMA), 68, 85, 102, 119);
        assertWmarks(b.zone(ZoneType.DMA32), 13883, 17353, 20823, 24293);
        assertWmarks(b.zone(ZoneType.NORMAL), 2943, 3678, 4413, 5148);
    }

    @Test
    void exampleA_protectionMatchesTheWorkedExample() {
        BuddyAllocator b = exampleA();
        assertProtection(b.zone(ZoneType.DMA), 0, 3018, 3658, 3658, 3658);
        assertProtection(b.zone(ZoneType.DMA32), 0, 0, 640, 640, 640);
        assertProtection(b.zone(ZoneType.NORMAL), 0, 0, 0, 0, 0);
    }

    @Test
    void exampleA_pcpBatchAndHighMatchTheWorkedExample() {
        BuddyAllocator b = exampleA();
        assertPcp(b.zone(ZoneType.DMA32), 63, 8676, 48300);
        assertPcp(b.zone(ZoneType.NORMAL), 31, 1839, 10240);
        assertPcp(b.zone(ZoneType.DMA), 1, 42, 240);
        assertThat(b.zone(ZoneType.DMA).pcp(0).high()).isZero();
    }

    @Test
    void exampleA_statThresholdsMatchTheWorkedExample() {
        BuddyAllocator b = exampleA();
        assertThat(b.zone(ZoneType.DMA32).statThreshold()).isEqualTo(24);
        assertThat(b.zone(ZoneType.NORMAL).statThreshold()).isEqualTo(16);
        assertThat(b.zone(ZoneType.DMA).statThreshold()).isEqualTo(4);
    }

    @Test
    void exampleA_dmaZoneFreeCountsMatchTheWorkedExample() {
        BuddyAllocator b = exampleA();
        ZoneMetric dma = b.zone(ZoneType.DMA);
        assertThat(dma.managedPages()).isEqualTo(3840);
        assertThat(dma.nrFreePages()).isEqualTo(3840);
        assertThat(dma.nrFreePagesBlocks()).isEqualTo(3584);
    }

    @Test
    void exampleA_totalreserveIsMaxReservePlusHighCappedAtManaged() {
        BuddyAllocator b = exampleA();
        long expected = Math.min(3840, 3658 + 102) + (640 + 20823) + 4413;
        assertThat(b.totalreservePages()).isEqualTo(expected);
    }

    @Test
    void exampleB_largerNormalZoneMatchesTheWorkedExample() {
        long mem = (long) (NORMAL + 458752) << 12;
        BuddyAllocator b = last = TestBoot.of(mem)
                .cpus(2)
                .free(0x100, ZoneType.MAX_DMA_PFN)
                .free(ZoneType.MAX_DMA_PFN, ZoneType.MAX_DMA_PFN + 772808)
                .free(NORMAL, NORMAL + 458752)
                .boot();
        assertThat(b.zone(ZoneType.DMA).watermark(WMARK_MIN)).isEqualTo(52);
        assertThat(b.zone(ZoneType.DMA32).watermark(WMARK_MIN)).isEqualTo(10569);
        assertThat(b.zone(ZoneType.NORMAL).watermark(WMARK_MIN)).isEqualTo(6274);
        assertThat(b.zone(ZoneType.DMA).watermark(WMARK_LOW)).isEqualTo(65);
        assertThat(b.zone(ZoneType.DMA32).watermark(WMARK_LOW)).isEqualTo(13211);
        assertThat(b.zone(ZoneType.NORMAL).watermark(WMARK_LOW)).isEqualTo(7842);
        assertProtection(b.zone(ZoneType.DMA), 0, 3018, 4810, 4810, 4810);
        assertProtection(b.zone(ZoneType.DMA32), 0, 0, 1792, 1792, 1792);
        assertPcp(b.zone(ZoneType.NORMAL), 63, 3921, 28672);
    }

    @ParameterizedTest(name = "{0} MiB -> min_free_kbytes {1}")
    @CsvSource({"16, 512", "64, 1024", "1024, 4096", "4096, 8192", "16384, 16384"})
    void minFreeKbytes_withoutThp_isIntSqrtOfSixteenTimesLowmem(long mib, int expected) {
        BuddyAllocator b = last = TestBoot.of(mib << 20)
                .wholeMemory()
                .config(BuddyConfig.defaults().withTransparentHugepage(false))
                .boot();
        assertThat(b.minFreeKbytes()).isEqualTo(expected);
    }

    @Test
    void minFreeKbytes_thpRaise_isCappedAtFivePercentOfLowmem() {
        BuddyAllocator b = last = TestBoot.of(64L << 20).wholeMemory().boot();
        // int_sqrt gives 1024 (pages_min 256): highs DMA 64 + 2*16 = 96, DMA32 192 + 2*48 = 288;
        // buffer pages (4096 - 96) + (12288 - 288) = 16000, / 20 = 800 < 512*2*11 -> 3200 kB
        assertThat(b.minFreeKbytes()).isEqualTo(3200);
    }

    @Test
    void minFreeKbytes_userValueLargerThanComputed_isKeptAndLogged() {
        BuddyAllocator b = last = TestBoot.of(64L << 20)
                .wholeMemory()
                .config(BuddyConfig.defaults().withTransparentHugepage(false))
                .userMinFreeKbytes(5000)
                .boot();
        assertThat(b.minFreeKbytes()).isEqualTo(5000);
        assertThat(b.machine().dmesg().text())
                .contains("min_free_kbytes is not updated to 1024 because user defined value 5000 is preferred");
    }

    @ParameterizedTest(name = "managed {0} -> batch {1}")
    @CsvSource({"262144, 63", "772808, 63", "163840, 31", "3840, 0", "65536, 15", "0, 0", "1048576, 63"})
    void zoneBatchsize_followsTheFormula(long managed, int batch) {
        assertThat(BuddyAllocator.zoneBatchsize(managed)).isEqualTo(batch);
    }

    @Test
    void unpopulatedMovableAndDeviceZones_haveTheClampedWatermarks() {
        BuddyAllocator b = last = TestBoot.kernelLike(64L << 20, 2);
        assertWmarks(b.zone(ZoneType.MOVABLE), 32, 32, 32, 32);
        assertWmarks(b.zone(ZoneType.DEVICE), 0, 0, 0, 0);
    }

    @Test
    void intSqrt_isTheFloorSquareRoot() {
        for (long x = 0; x < 100_000; x++) {
            long r = BuddyAllocator.intSqrt(x);
            assertThat(r * r).isLessThanOrEqualTo(x);
            assertThat((r + 1) * (r + 1)).isGreaterThan(x);
        }
        assertThat(BuddyAllocator.intSqrt(Long.MAX_VALUE / 4)).isEqualTo(1518500249L);
    }

    @Test
    void watermarkScaleFactor_sysctlWrite_recomputesDelta() {
        BuddyAllocator b = last = exampleA();
        BuddyViews.register(b.machine().vfs(), b, b.machine());
        assertThat(b.machine().vfs().read("/proc/sys/vm/watermark_scale_factor"))
                .isEqualTo("10\n");
        assertThat(b.machine().vfs().write("/proc/sys/vm/watermark_scale_factor", "1000\n"))
                .isNull();
        // DMA32: tmp 13883, delta = max(3470, 772808 * 1000 / 10000 = 77280)
        assertWmarks(b.zone(ZoneType.DMA32), 13883, 13883 + 77280, 13883 + 2 * 77280, 13883 + 3 * 77280);
        assertThat(b.machine().vfs().write("/proc/sys/vm/watermark_scale_factor", "0"))
                .isEqualTo("EINVAL");
        assertThat(b.machine().vfs().write("/proc/sys/vm/watermark_scale_factor", "x"))
                .isEqualTo("EINVAL");
        assertThat(b.watermarkScaleFactor()).isEqualTo(1000);
    }

    @Test
    void lowmemReserveRatio_sysctlWrite_recomputesProtection() {
        BuddyAllocator b = last = exampleA();
        BuddyViews.register(b.machine().vfs(), b, b.machine());
        assertThat(b.machine().vfs().read("/proc/sys/vm/lowmem_reserve_ratio")).isEqualTo("256\t256\t32\t0\t0\n");
        assertThat(b.machine().vfs().write("/proc/sys/vm/lowmem_reserve_ratio", "128 0 32 0 0"))
                .isNull();
        assertProtection(b.zone(ZoneType.DMA), 0, 6037, 7317, 7317, 7317);
        assertProtection(b.zone(ZoneType.DMA32), 0, 0, 0, 0, 0);
        assertThat(b.machine().vfs().write("/proc/sys/vm/lowmem_reserve_ratio", "a b"))
                .isEqualTo("EINVAL");
        assertThat(b.machine().vfs().write("/proc/sys/vm/lowmem_reserve_ratio", "-5"))
                .isNull();
        assertThat(b.lowmemReserveRatio(0)).isZero();
    }

    @Test
    void minFreeKbytes_sysctlWrite_setsWatermarksAndRejectsNegative() {
        BuddyAllocator b = last = exampleA();
        BuddyViews.register(b.machine().vfs(), b, b.machine());
        assertThat(b.machine().vfs().read("/proc/sys/vm/min_free_kbytes")).isEqualTo("67584\n");
        assertThat(b.machine().vfs().write("/proc/sys/vm/min_free_kbytes", "-1"))
                .isEqualTo("EINVAL");
        assertThat(b.machine().vfs().write("/proc/sys/vm/min_free_kbytes", "4096"))
                .isNull();
        // pages_min 1024: DMA32 1024 * 772808 / 940488 = 841
        assertThat(b.zone(ZoneType.DMA32).watermark(WMARK_MIN)).isEqualTo(841);
    }

    @Test
    void exampleA_zoneinfoPrintsTheWorkedExampleLines() {
        BuddyAllocator b = exampleA();
        String text = BuddyViews.zoneinfo(b, b.machine());
        String dma = text.substring(0, text.indexOf("Node 0, zone    DMA32"));
        assertThat(dma)
                .contains("\n  pages free     3840\n        boost    0\n        min      68\n"
                        + "        low      85\n        high     102\n        promo    119\n");
        assertThat(dma)
                .contains("\n        managed  3840\n        cma      0\n"
                        + "        protection: (0, 3018, 3658, 3658, 3658)\n      nr_free_pages 3840\n"
                        + "      nr_free_pages_blocks 3584\n");
        assertThat(dma)
                .contains("\n    cpu: 1\n              count:    0\n              high:     0\n"
                        + "              batch:    1\n              high_min: 42\n              high_max: 240\n"
                        + "  vm stats threshold: 4\n  node_unreclaimable:  0\n  start_pfn:           1\n");
        String dma32 = text.substring(text.indexOf("Node 0, zone    DMA32"), text.indexOf("Node 0, zone   Normal"));
        assertThat(dma32)
                .contains("protection: (0, 0, 640, 640, 640)")
                .contains("high_min: 8676")
                .contains("high_max: 48300")
                .contains("batch:    63")
                .contains("vm stats threshold: 24");
        assertThat(text).contains("high_min: 1839").contains("high_max: 10240").contains("vm stats threshold: 16");
    }

    private static void assertWmarks(ZoneMetric z, long min, long low, long high, long promo) {
        assertThat(new long[] {
                    z.watermark(WMARK_MIN), z.watermark(WMARK_LOW), z.watermark(WMARK_HIGH), z.watermark(WMARK_PROMO)
                })
                .as(z.type().procName())
                .containsExactly(min, low, high, promo);
    }

    private static void assertProtection(ZoneMetric z, long... expected) {
        long[] got = new long[ZoneType.COUNT];
        for (int i = 0; i < got.length; i++) {
            got[i] = z.lowmemReserve(i);
        }
        assertThat(got).as(z.type().procName()).containsExactly(expected);
    }

    private static void assertPcp(ZoneMetric z, int batch, int highMin, int highMax) {
        for (int cpu = 0; cpu < 2; cpu++) {
            assertThat(z.pcp(cpu).batch()).as(z.type().procName() + " batch").isEqualTo(batch);
            assertThat(z.pcp(cpu).highMin())
                    .as(z.type().procName() + " high_min")
                    .isEqualTo(highMin);
            assertThat(z.pcp(cpu).highMax())
                    .as(z.type().procName() + " high_max")
                    .isEqualTo(highMax);
        }
    }
}
