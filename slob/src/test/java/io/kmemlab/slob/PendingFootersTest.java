package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PendingFootersTest {
    @Test
    void agreesWithASortedSetOverRandomAddsAndRemoves() {
        SplittableRandom rng = new SplittableRandom(17);
        PendingFooters set = new PendingFooters();
        TreeSet<Long> model = new TreeSet<>();
        for (int step = 0; step < 200_000; step++) {
            // a small key range so that probes collide, wrap and shift often
            long footer = 0xffff_8880_0000_0000L + 24L * rng.nextInt(600);
            if (rng.nextInt(3) == 0 || model.contains(footer)) {
                assertThat(set.remove(footer)).isEqualTo(model.remove(footer));
            } else {
                set.add(footer);
                model.add(footer);
            }
            long probe = 0xffff_8880_0000_0000L + 24L * rng.nextInt(600);
            assertThat(set.contains(probe)).as("step %d", step).isEqualTo(model.contains(probe));
            assertThat(set.size()).isEqualTo(model.size());
        }
        assertThat(set.toSortedArray())
                .containsExactly(model.stream().mapToLong(Long::longValue).toArray());
    }

    @Test
    void growsAndKeepsEveryFooter() {
        PendingFooters set = new PendingFooters();
        for (long i = 1; i <= 10_000; i++) {
            set.add(i * 4096);
        }
        assertThat(set.size()).isEqualTo(10_000);
        for (long i = 1; i <= 10_000; i++) {
            assertThat(set.contains(i * 4096)).isTrue();
            assertThat(set.contains(i * 4096 + 8)).isFalse();
        }
    }

    @Test
    void zeroIsNeverAFooter() {
        PendingFooters set = new PendingFooters();
        assertThat(set.contains(0)).isFalse();
        assertThat(set.remove(0)).isFalse();
        assertThatThrownBy(() -> set.add(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
