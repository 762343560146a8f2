package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple3;
import org.junit.jupiter.api.Test;

class LongLongMapTest {
    private static final long MISSING = Long.MIN_VALUE;

    @Test
    void zeroKey_isAnOrdinaryKey() {
        LongLongMap m = new LongLongMap(MISSING);
        assertThat(m.get(0)).isEqualTo(MISSING);
        m.put(0, 7);
        assertThat(m.get(0)).isEqualTo(7);
        assertThat(m.size()).isEqualTo(1);
        assertThat(m.remove(0)).isEqualTo(7);
        assertThat(m.containsKey(0)).isFalse();
    }

    @Test
    void growsAndRemovesAcrossClusters() {
        LongLongMap m = new LongLongMap(MISSING);
        for (long k = 1; k <= 100_000; k++) {
            m.put(k << 4, k);
        }
        for (long k = 1; k <= 100_000; k += 2) {
            assertThat(m.remove(k << 4)).isEqualTo(k);
        }
        assertThat(m.size()).isEqualTo(50_000);
        for (long k = 1; k <= 100_000; k++) {
            assertThat(m.get(k << 4)).isEqualTo(k % 2 == 0 ? k : MISSING);
        }
        assertThat(m.removeValue(2)).isEqualTo(1);
        assertThat(m.get(2 << 4)).isEqualTo(MISSING);
    }

    @Test
    void clear_forgetsEveryEntry_zeroKeyIncluded_andTheMapWorksAfter() {
        LongLongMap m = new LongLongMap(MISSING);
        for (long k = 0; k < 1000; k++) {
            m.put(k * 16, k + 1);
        }
        m.clear();
        assertThat(m.size()).isZero();
        for (long k = 0; k < 1000; k++) {
            assertThat(m.containsKey(k * 16)).isFalse();
            assertThat(m.get(k * 16)).isEqualTo(MISSING);
        }
        long[] visited = new long[1];
        m.forEach((k, v) -> visited[0]++);
        assertThat(visited[0]).isZero();
        // Refilled after the reset, the table answers as a fresh one would.
        for (long k = 0; k < 1000; k += 3) {
            assertThat(m.put(k * 16, -k)).isEqualTo(MISSING);
        }
        assertThat(m.size()).isEqualTo(334);
        assertThat(m.remove(0)).isZero();
        assertThat(m.get(3 * 16)).isEqualTo(-3);
        assertThat(m.get(16)).isEqualTo(MISSING);
    }

    /** Random put/remove/removeValue sequences never disagree with java.util.HashMap. */
    @Property
    void agreesWithHashMap(@ForAll("ops") List<Tuple3<Integer, Long, Long>> ops) {
        LongLongMap m = new LongLongMap(MISSING);
        Map<Long, Long> ref = new HashMap<>();
        for (Tuple3<Integer, Long, Long> op : ops) {
            long k = op.get2();
            long v = op.get3();
            switch (op.get1()) {
                case 0, 1 -> assertThat(m.put(k, v)).isEqualTo(orMissing(ref.put(k, v)));
                case 2 -> assertThat(m.remove(k)).isEqualTo(orMissing(ref.remove(k)));
                default -> {
                    int n = (int) ref.values().stream().filter(x -> x == v).count();
                    ref.values().removeIf(x -> x == v);
                    assertThat(m.removeValue(v)).isEqualTo(n);
                }
            }
            assertThat(m.size()).isEqualTo(ref.size());
        }
        for (Map.Entry<Long, Long> e : ref.entrySet()) {
            assertThat(m.get(e.getKey())).isEqualTo(e.getValue());
        }
        long[] seen = new long[1];
        m.forEach((k, v) -> {
            assertThat(ref.get(k)).isEqualTo(v);
            seen[0]++;
        });
        assertThat(seen[0]).isEqualTo(ref.size());
    }

    @Provide
    Arbitrary<List<Tuple3<Integer, Long, Long>>> ops() {
        // Few distinct keys and values, so that collisions, re-puts and removals are frequent.
        Arbitrary<Long> keys = Arbitraries.longs().between(-40, 400).map(k -> k * 64);
        Arbitrary<Long> values = Arbitraries.longs().between(0, 5);
        return Arbitraries.integers()
                .between(0, 3)
                .flatMap(op -> keys.flatMap(k -> values.map(v -> Tuple.of(op, k, v))))
                .list()
                .ofMaxSize(400);
    }

    /** Keys close together (heavy collisions, wrap-around, backward shifts) against a TreeMap. */
    @Test
    void agreesWithATreeMapOverRandomPutsAndRemovesOfCloseKeys() {
        SplittableRandom rng = new SplittableRandom(17);
        LongLongMap map = new LongLongMap(MISSING);
        TreeMap<Long, Long> model = new TreeMap<>();
        for (int step = 0; step < 200_000; step++) {
            long key = 0xffff_8880_0000_0000L + 24L * rng.nextInt(600);
            if (rng.nextInt(3) == 0 || model.containsKey(key)) {
                assertThat(map.remove(key)).isEqualTo(orMissing(model.remove(key)));
            } else {
                map.put(key, step);
                model.put(key, (long) step);
            }
            long probe = 0xffff_8880_0000_0000L + 24L * rng.nextInt(600);
            assertThat(map.containsKey(probe)).as("step %d", step).isEqualTo(model.containsKey(probe));
            assertThat(map.get(probe)).isEqualTo(orMissing(model.get(probe)));
            assertThat(map.size()).isEqualTo(model.size());
        }
        Map<Long, Long> seen = new TreeMap<>();
        map.forEach(seen::put);
        assertThat(seen).isEqualTo(model);
    }

    private static long orMissing(Long v) {
        return v == null ? MISSING : v;
    }
}
