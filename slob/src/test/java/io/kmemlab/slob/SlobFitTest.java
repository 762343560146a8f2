package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import io.kmemlab.mm.testing.SimplePageAllocator;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The fit policies on one crafted page, and how boot finds them. */
class SlobFitTest {

    /**
     * One small-list page laid out (units) as
     * <pre>
     *   [0,32) x1  [32,48) g1  [48,64) x2  [64,80) g2  [80,560) x3a..x3d  [560,576) g3
     *   [576,1896) fillers  [1896,2048) free tail (152 units)
     * </pre>
     * While it is laid out the tail is the only free block, so every policy builds the same page.
     * Then x1, x2 and x3a..d are freed: holes of 32, 16 and 480 units before the 152-unit tail,
     * and next fit's rover stands at 1896, just past the last allocation.
     */
    private static long craftedThenKmalloc24(SlobFit fit) {
        SlobFixture f = crafted(fit);
        long obj = f.kmalloc(24); // 16 units
        f.assertValid();
        return SlobFixture.unitOffset(obj - 8);
    }

    private static SlobFixture crafted(SlobFit fit) {
        SlobFixture f = new SlobFixture(fit);
        long x1 = f.kmalloc(56);
        f.kmalloc(24);
        long x2 = f.kmalloc(24);
        f.kmalloc(24);
        long[] x3 = new long[4];
        for (int i = 0; i < 4; i++) {
            x3[i] = f.kmalloc(232);
        }
        f.kmalloc(24);
        for (int i = 0; i < 11; i++) {
            f.kmalloc(232);
        }
        assertThat(SlobFixture.unitOffset(x1 - 8)).isZero();
        assertThat(SlobFixture.unitOffset(x2 - 8)).isEqualTo(48);
        assertThat(SlobFixture.unitOffset(x3[0] - 8)).isEqualTo(80);
        assertThat(f.blocks(x1)).containsExactly("1896:152");
        f.kfree(x1);
        f.kfree(x2);
        for (long x : x3) {
            f.kfree(x);
        }
        assertThat(f.blocks(x1)).containsExactly("0:32", "48:16", "80:480", "1896:152");
        return f;
    }

    @Test
    void nextFit_wrapsToTheBlocksBeforeTheRover_whenNothingAfterItFits() {
        SlobFixture f = crafted(SlobFit.NEXT);
        assertThat(SlobFixture.unitOffset(f.kmalloc(24) - 8)).isEqualTo(1896); // rover 1912
        assertThat(SlobFixture.unitOffset(f.kmalloc(232) - 8)).isEqualTo(1912); // rover 2032
        assertThat(SlobFixture.unitOffset(f.kmalloc(24) - 8)).isEqualTo(2032); // rover 2048

        long wrapped = f.kmalloc(56); // 32 units: nothing after the rover, so from the page start

        assertThat(SlobFixture.unitOffset(wrapped - 8)).isZero();
        f.assertValid();
    }

    @Test
    void eachPolicy_picksADifferentBlock_onTheCraftedPage() {
        Map<SlobFit, Long> at = new EnumMap<>(SlobFit.class);
        for (SlobFit fit : SlobFit.values()) {
            at.put(fit, craftedThenKmalloc24(fit));
        }

        assertThat(at)
                .containsEntry(SlobFit.FIRST, 0L) // the first hole that fits
                .containsEntry(SlobFit.BEST, 48L) // the exact 16-unit hole
                .containsEntry(SlobFit.WORST, 80L) // the 480-unit hole
                .containsEntry(SlobFit.NEXT, 1896L); // resumes at the rover
    }

    @ParameterizedTest
    @EnumSource(SlobFit.class)
    void everyPolicy_freshPageWhenNothingFits_andTheHeapEmptiesAgain(SlobFit fit) {
        SlobFixture f = new SlobFixture(fit);
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            objs.add(f.kmalloc(100 + (i * 37) % 900));
        }
        f.assertValid();
        assertThat(f.heap.heapPages()).isGreaterThan(1);
        for (int i = 0; i < objs.size(); i += 2) {
            f.kfree(objs.get(i));
        }
        f.assertValid();
        for (int i = 1; i < objs.size(); i += 2) {
            f.kfree(objs.get(i));
        }
        f.assertValid();
        assertThat(f.heap.heapPages()).isZero();
        assertThat(f.pages.allocatedPages()).isZero();
    }

    @Test
    void provider_isFoundByName_andParsesSlobFit() {
        SlabAllocatorProvider provider = ServiceLoader.load(SlabAllocatorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals("slob"))
                .findFirst()
                .orElseThrow();
        Machine m = SimplePageAllocator.machine(16L << 20, 1);

        SlabAllocator dflt = provider.create(m, Map.of());
        SlabAllocator best = provider.create(m, Map.of("slob_fit", "best"));

        assertThat(provider.bootWords()).containsExactly("slob_fit");
        assertThat(((SlobAllocator) dflt).settings().fit()).isEqualTo(SlobFit.FIRST);
        assertThat(((SlobAllocator) best).settings().fit()).isEqualTo(SlobFit.BEST);
        assertThatThrownBy(() -> provider.create(m, Map.of("slob_fit", "random")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("slob_fit=random: unknown fit policy (first, next, best, worst)");
    }
}
