package io.kmemlab.buddy;

import java.util.Arrays;
import org.apache.commons.lang3.Validate;

/**
 * Boot knobs and sysctls of the buddy allocator that exist before the first allocation.
 *
 * @param watermarkScaleFactor vm.watermark_scale_factor (1 … 3000, default 10 = 0.1 %)
 * @param lowmemReserveRatio vm.lowmem_reserve_ratio, one entry per zone (default 256 256 32 0 0)
 * @param percpuPagelistHighFraction vm.percpu_pagelist_high_fraction (0, or ≥ 8)
 * @param watermarkBoostFactor vm.watermark_boost_factor (default 15000)
 * @param transparentHugepage CONFIG_TRANSPARENT_HUGEPAGE: raises min_free_kbytes
 *     (set_recommended_min_free_kbytes) and adds the order-9 per-CPU lists
 * @param shuffle page_alloc.shuffle: random head/tail placement of freed max-order blocks
 */
public record BuddyConfig(
        int watermarkScaleFactor,
        int[] lowmemReserveRatio,
        int percpuPagelistHighFraction,
        int watermarkBoostFactor,
        boolean transparentHugepage,
        boolean shuffle) {

    public BuddyConfig {
        Validate.inclusiveBetween(
                1, 3000, watermarkScaleFactor, "watermark_scale_factor must be 1..3000: %d", watermarkScaleFactor);
        Validate.isTrue(
                lowmemReserveRatio != null && lowmemReserveRatio.length == 5,
                "lowmem_reserve_ratio needs one entry per zone (5)");
        lowmemReserveRatio = lowmemReserveRatio.clone();
        Validate.isTrue(
                percpuPagelistHighFraction == 0 || percpuPagelistHighFraction >= 8,
                "percpu_pagelist_high_fraction must be 0 or >= 8");
        Validate.isTrue(watermarkBoostFactor >= 0, "watermark_boost_factor must be >= 0");
    }

    /** The Linux 6.18 defaults (buddy.md §6), THP on, shuffle off. */
    public static BuddyConfig defaults() {
        return new BuddyConfig(10, new int[] {256, 256, 32, 0, 0}, 0, 15000, true, false);
    }

    @Override
    public int[] lowmemReserveRatio() {
        return lowmemReserveRatio.clone();
    }

    public BuddyConfig withTransparentHugepage(boolean on) {
        return new BuddyConfig(
                watermarkScaleFactor,
                lowmemReserveRatio,
                percpuPagelistHighFraction,
                watermarkBoostFactor,
                on,
                shuffle);
    }

    public BuddyConfig withWatermarkScaleFactor(int factor) {
        return new BuddyConfig(
                factor,
                lowmemReserveRatio,
                percpuPagelistHighFraction,
                watermarkBoostFactor,
                transparentHugepage,
                shuffle);
    }

    public BuddyConfig withPercpuPagelistHighFraction(int fraction) {
        return new BuddyConfig(
                watermarkScaleFactor, lowmemReserveRatio, fraction, watermarkBoostFactor, transparentHugepage, shuffle);
    }

    public BuddyConfig withShuffle(boolean on) {
        return new BuddyConfig(
                watermarkScaleFactor,
                lowmemReserveRatio,
                percpuPagelistHighFraction,
                watermarkBoostFactor,
                transparentHugepage,
                on);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BuddyConfig c
                && c.watermarkScaleFactor == watermarkScaleFactor
                && Arrays.equals(c.lowmemReserveRatio, lowmemReserveRatio)
                && c.percpuPagelistHighFraction == percpuPagelistHighFraction
                && c.watermarkBoostFactor == watermarkBoostFactor
                && c.transparentHugepage == transparentHugepage
                && c.shuffle == shuffle;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(lowmemReserveRatio) * 31 + watermarkScaleFactor;
    }

    @Override
    public String toString() {
        return "BuddyConfig[watermarkScaleFactor=" + watermarkScaleFactor + ", lowmemReserveRatio="
                + Arrays.toString(lowmemReserveRatio) + ", percpuPagelistHighFraction="
                + percpuPagelistHighFraction + ", watermarkBoostFactor=" + watermarkBoostFactor
                + ", transparentHugepage=" + transparentHugepage + ", shuffle=" + shuffle + "]";
    }
}
