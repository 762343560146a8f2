package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuddyFragmentationTest {

    @Test
    void indices_matchVmstatFormulas() {
        // 8 free order-0 pages and one free order-2 block: 12 free pages in 9 blocks.
        long[] nrFree = new long[11];
        nrFree[0] = 8;
        nrFree[2] = 1;
        BuddyFragmentation f = BuddyFragmentation.of(nrFree);
        assertThat(f.freePages()).isEqualTo(12);
        // unusable_free_index(1) = (12 - (2 << 1)) * 1000 / 12 = 666; order 2: (12 - 4) * 1000 / 12 = 666;
        // order 3: no suitable block: 1000.
        assertThat(f.unusable()[0]).isZero();
        assertThat(f.unusable()[1]).isEqualTo(666);
        assertThat(f.unusable()[2]).isEqualTo(666);
        assertThat(f.unusable()[3]).isEqualTo(1000);
        // __fragmentation_index: -1000 while a block fits; order 3: 1000 - (1000 + 12000 / 8) / 9 = 723.
        assertThat(f.extfrag()[2]).isEqualTo(-1000);
        assertThat(f.extfrag()[3]).isEqualTo(723);
        assertThat(f.unusableRow()).startsWith("0.000 0.666 0.666 1.000");
        assertThat(f.extfragRow()).startsWith("-1.000 -1.000 -1.000  0.723");
    }

    @Test
    void noFreeMemory_isFullyUnusable_andExtfragZero() {
        BuddyFragmentation f = BuddyFragmentation.of(new long[11]);
        assertThat(f.unusable()[0]).isEqualTo(1000);
        assertThat(f.extfrag()[0]).isZero();
    }
}
