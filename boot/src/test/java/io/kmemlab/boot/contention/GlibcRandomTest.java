package io.kmemlab.boot.contention;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** glibc's rand() and bench-malloc-thread's tables, against values printed by glibc 2.36 itself. */
class GlibcRandomTest {
    @Test
    void defaultSeed_givesGlibcsFirstValues() {
        // printf("%d\n", rand()) five times, no srand, Debian 12's glibc 2.36
        GlibcRandom r = new GlibcRandom();
        assertThat(new int[] {r.next(), r.next(), r.next(), r.next(), r.next()})
                .containsExactly(1804289383, 846930886, 1681692777, 1714636915, 1957747793);
    }

    @Test
    void srand42_andSrand0() {
        // srand(42); printf("%d %d", rand(), rand()) printed "708592740 71876166": gcc evaluates
        // the arguments right to left, so the first rand() is the second number
        GlibcRandom r = new GlibcRandom(42);
        assertThat(r.next()).isEqualTo(71876166);
        assertThat(r.next()).isEqualTo(708592740);
        // srandom_r treats seed 0 as 1
        assertThat(new GlibcRandom(0).next()).isEqualTo(1804289383);
    }

    @Test
    void benchMallocThreadTables_matchTheCProgramsOnThisMachine() {
        // scripts/contention-native.c --tables 12, built with gcc -O2 against glibc 2.36
        assertThat(Arrays.copyOf(GlibcThreadWorkload.SIZES, 12))
                .containsExactly(25, 6, 18, 19, 45, 4, 6, 17, 5, 8, 7, 10);
        assertThat(Arrays.copyOf(GlibcThreadWorkload.OFFSETS, 12))
                .containsExactly(546, 911, 1001, 616, 103, 480, 700, 1007, 998, 713, 452, 725);
        // and the sums of the whole tables (--tables 8000 | awk): every entry agrees
        assertThat(Arrays.stream(GlibcThreadWorkload.SIZES).asLongStream().sum())
                .isEqualTo(311130);
        assertThat(Arrays.stream(GlibcThreadWorkload.OFFSETS).asLongStream().sum())
                .isEqualTo(2107404);
        assertThat(Arrays.stream(GlibcThreadWorkload.SIZES).min().getAsInt()).isGreaterThanOrEqualTo(4);
        assertThat(Arrays.stream(GlibcThreadWorkload.SIZES).max().getAsInt()).isLessThanOrEqualTo(32768);
    }
}
