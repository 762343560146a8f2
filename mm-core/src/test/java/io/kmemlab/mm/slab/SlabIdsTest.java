package io.kmemlab.mm.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The per-slab id table SLUB, SLAB and SLOB share. */
class SlabIdsTest {
    private final List<Integer> grownTo = new ArrayList<>();

    @Test
    void allocate_handsOutIdsFromFirstId_andGrowsTheRowsByDoubling() {
        SlabIds ids = new SlabIds(1, 4, grownTo::add);
        assertThat(ids.allocate()).isEqualTo(1);
        assertThat(ids.allocate()).isEqualTo(2);
        assertThat(ids.allocate()).isEqualTo(3);
        assertThat(grownTo).isEmpty();

        assertThat(ids.allocate()).isEqualTo(4);
        assertThat(grownTo).containsExactly(8);
        assertThat(ids.capacity()).isEqualTo(8);
        assertThat(ids.high()).isEqualTo(5);
        assertThat(ids.live()).isEqualTo(4);
        assertThat(ids.inRange(0)).isFalse();
        assertThat(ids.inRange(4)).isTrue();
        assertThat(ids.inRange(5)).isFalse();
    }

    @Test
    void release_recyclesLastInFirstOut_withoutGrowing() {
        SlabIds ids = new SlabIds(0, 16, grownTo::add);
        for (int i = 0; i < 10; i++) {
            ids.allocate();
        }
        ids.release(3);
        ids.release(7);

        assertThat(ids.live()).isEqualTo(8);
        assertThat(ids.allocate()).isEqualTo(7);
        assertThat(ids.allocate()).isEqualTo(3);
        assertThat(ids.allocate()).isEqualTo(10);
        assertThat(ids.high()).isEqualTo(11);
        assertThat(grownTo).isEmpty();
    }

    @Test
    void randomTakeAndRelease_neverHandsOutALiveId_andEveryIdFitsTheRows() {
        SlabIds ids = new SlabIds(0, 2, grownTo::add);
        BitSet live = new BitSet();
        List<Integer> held = new ArrayList<>();
        SplittableRandom r = new SplittableRandom(3);
        for (int step = 0; step < 20_000; step++) {
            if (held.isEmpty() || r.nextInt(3) > 0) {
                int id = ids.allocate();
                assertThat(live.get(id)).isFalse();
                assertThat(id).isLessThan(ids.capacity());
                live.set(id);
                held.add(id);
            } else {
                int id = held.remove(r.nextInt(held.size()));
                live.clear(id);
                ids.release(id);
            }
            assertThat(ids.live()).isEqualTo(held.size());
        }
        assertThat(ids.high()).isLessThanOrEqualTo(ids.capacity());
        assertThat(grownTo).isSorted().last().isEqualTo(ids.capacity());
    }

    @Test
    void capacity_mustLeaveRoomAboveFirstId() {
        assertThatThrownBy(() -> new SlabIds(1, 1, n -> {})).isInstanceOf(IllegalArgumentException.class);
    }
}
