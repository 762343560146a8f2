package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class E820Test {

    @Test
    void oneGig_hasLowRamAndFirmwareHolesOnly() {
        List<E820.Entry> map = E820.pcLayout(1L << 30);
        assertThat(map)
                .extracting(E820.Entry::line)
                .containsExactly(
                        "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
                        "BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved",
                        "BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved",
                        "BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable",
                        "BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved",
                        "BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved");
        assertThat(E820.endOfRam(map)).isEqualTo(1L << 30);
    }

    @Test
    void above3G_ramUnderThePciHoleMovesAbove4G() {
        List<E820.Entry> map = E820.pcLayout(24L << 30);
        assertThat(map.get(3).end()).isEqualTo(3L << 30);
        assertThat(map.get(6).line()).isEqualTo("BIOS-e820: [mem 0x0000000100000000-0x000000063fffffff] usable");
        assertThat(E820.endOfRam(map)).isEqualTo(25L << 30);
    }

    @Test
    void exactly3G_hasNoHighRam() {
        List<E820.Entry> map = E820.pcLayout(3L << 30);
        assertThat(map).hasSize(6);
        assertThat(E820.endOfRam(map)).isEqualTo(3L << 30);
    }
}
