package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GfpTest {

    // Examples from procfs-and-tracepoints.md §8.3 (show_gfp_flags, 6.18).
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "0xcc0;GFP_KERNEL",
                "0xdc0;GFP_KERNEL|__GFP_ZERO",
                "0x400dc0;GFP_KERNEL_ACCOUNT|__GFP_ZERO",
                "0x100dca;GFP_HIGHUSER_MOVABLE|__GFP_ZERO",
                "0x820;GFP_ATOMIC",
                "0x2800;GFP_NOWAIT",
                "0x2820;GFP_ATOMIC|__GFP_NOWARN",
                "0x0;none",
                "0x152cc0;GFP_USER|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP",
                "0x200;0x200",
                "0x2200;__GFP_NOWARN|0x200",
            })
    void format_matchesShowGfpFlags(String hex, String expected) {
        int gfp = Integer.parseInt(hex.substring(2), 16);
        assertThat(Gfp.format(gfp)).isEqualTo(expected);
    }

    @Test
    void parse_roundTripsEveryFormattedValue() {
        for (int gfp : new int[] {0, 0xcc0, 0xdc0, 0x400dc0, 0x100dca, 0x820, 0x2820, 0x1c24ca, 0x40cc0}) {
            assertThat(Gfp.parse(Gfp.format(gfp))).isEqualTo(gfp);
        }
    }

    @Test
    void parse_acceptsHexAndShortLowercaseNames_rejectsUnknown() {
        assertThat(Gfp.parse("0xcc0")).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(Gfp.parse("kernel|zero")).isEqualTo(Gfp.GFP_KERNEL | Gfp.__GFP_ZERO);
        assertThat(Gfp.parse("GFP_BOGUS")).isEqualTo(-1);
        assertThat(Gfp.parse("")).isEqualTo(-1);
    }

    @Test
    void gfpZone_followsTheZoneTable() {
        assertThat(Gfp.gfpZone(Gfp.GFP_KERNEL)).isEqualTo(ZoneType.NORMAL.ordinal());
        assertThat(Gfp.gfpZone(Gfp.GFP_DMA)).isEqualTo(ZoneType.DMA.ordinal());
        assertThat(Gfp.gfpZone(Gfp.GFP_DMA32)).isEqualTo(ZoneType.DMA32.ordinal());
        assertThat(Gfp.gfpZone(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo(ZoneType.MOVABLE.ordinal());
        assertThat(Gfp.gfpZone(Gfp.__GFP_MOVABLE)).isEqualTo(ZoneType.NORMAL.ordinal());
        assertThat(Gfp.gfpZone(Gfp.__GFP_DMA | Gfp.__GFP_DMA32)).isEqualTo(-1);
    }

    /** include/linux/gfp.h's table of the 16 zone-modifier combinations (this machine has DMA, DMA32 and Normal). */
    @Test
    void gfpZone_everyCombinationOfTheZoneModifiers_asGfpHTabulatesThem() {
        int normal = ZoneType.NORMAL.ordinal();
        int dma = ZoneType.DMA.ordinal();
        int dma32 = ZoneType.DMA32.ordinal();
        int movable = ZoneType.MOVABLE.ordinal();
        int bad = -1;
        int[] expected = {
            normal, dma, normal, bad, dma32, bad, bad, bad, normal, dma, movable, bad, dma32, bad, bad, bad
        };
        for (int bits = 0; bits < 16; bits++) {
            assertThat(Gfp.gfpZone(bits)).as("zone bits %x", bits).isEqualTo(expected[bits]);
            // the other gfp bits do not matter
            assertThat(Gfp.gfpZone(bits | (Gfp.GFP_KERNEL & ~Gfp.GFP_ZONEMASK) | Gfp.__GFP_ZERO))
                    .isEqualTo(expected[bits]);
        }
    }

    @Test
    void gfpMigratetype_unmovableMovableReclaimable() {
        assertThat(Gfp.gfpMigratetype(Gfp.GFP_KERNEL)).isEqualTo(0);
        assertThat(Gfp.gfpMigratetype(Gfp.GFP_HIGHUSER_MOVABLE)).isEqualTo(1);
        assertThat(Gfp.gfpMigratetype(Gfp.GFP_KERNEL | Gfp.__GFP_RECLAIMABLE)).isEqualTo(2);
    }
}
