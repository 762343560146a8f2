package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AddrTest {

    @Test
    void pfnPhysVirt_roundTrip() {
        for (int pfn : new int[] {0, 1, 0x9f, 0x1000, 0x100000, 0xfffffff}) {
            long phys = Addr.pfnToPhys(pfn);
            long virt = Addr.pfnToVirt(pfn);
            assertThat(Addr.physToPfn(phys)).isEqualTo(pfn);
            assertThat(Addr.virtToPfn(virt)).isEqualTo(pfn);
            assertThat(Addr.virtToPhys(virt)).isEqualTo(phys);
            assertThat(Addr.physToVirt(phys)).isEqualTo(virt);
            assertThat(Addr.virtToPfn(virt + 4095)).isEqualTo(pfn);
        }
    }

    @Test
    void directMap_startsAtPageOffset() {
        assertThat(Addr.pfnToVirt(0x1000)).isEqualTo(0xffff888001000000L);
        assertThat(Addr.hex(Addr.pfnToVirt(0x1000))).isEqualTo("0xffff888001000000");
        assertThat(Addr.structPage(0x10e56b)).isEqualTo(0xffffea0000000000L + 0x10e56bL * 64);
        assertThat(Addr.isDirectMap(Addr.pfnToVirt(15), 16)).isTrue();
        assertThat(Addr.isDirectMap(Addr.pfnToVirt(16), 16)).isFalse();
        assertThat(Addr.isDirectMap(0x1000, 16)).isFalse();
    }

    @Test
    void getOrder_isTheSmallestOrderThatFits() {
        assertThat(Addr.getOrder(1)).isEqualTo(0);
        assertThat(Addr.getOrder(4096)).isEqualTo(0);
        assertThat(Addr.getOrder(4097)).isEqualTo(1);
        assertThat(Addr.getOrder(8192)).isEqualTo(1);
        assertThat(Addr.getOrder(8193)).isEqualTo(2);
        assertThat(Addr.getOrder(4L << 20)).isEqualTo(10);
    }
}
