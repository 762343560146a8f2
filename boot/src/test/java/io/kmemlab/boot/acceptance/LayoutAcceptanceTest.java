package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Issue 3 §5 / issue 4: {@code kmemlab layout SIZE [--align N] [--flags A,B] [--ctor]
 * [--freeptr-offset N] [WORDS…]} prints sysfs-named {@code key: value} lines, a drawing and the
 * order choice, for every allocator; keys an allocator lacks are omitted.
 */
class LayoutAcceptanceTest {
    private static final String[] SLUB_KEYS = {
        "object_size", "slab_size", "align", "order", "objs_per_slab", "offset", "inuse", "min_partial", "cpu_partial"
    };

    /** The leading key: value lines. */
    private static Map<String, String> keys(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : out.split("\n")) {
            int c = l.indexOf(": ");
            if (c <= 0 || !l.substring(0, c).matches("[a-z_]+")) {
                break;
            }
            m.put(l.substring(0, c), l.substring(c + 2));
        }
        return m;
    }

    @Test
    void slub_kmalloc96Geometry_hasEveryRequiredKey_drawingAndOrderReasoning() {
        Cli.Run r = Cli.run("layout", "96", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        Map<String, String> k = keys(r.out());
        assertThat(k).containsKeys(SLUB_KEYS);
        // kmalloc-and-slab-common worked example: kmalloc-96 -> 42 per order-0 slab
        assertThat(k)
                .containsEntry("object_size", "96")
                .containsEntry("slab_size", "96")
                .containsEntry("order", "0")
                .containsEntry("objs_per_slab", "42")
                .containsEntry("offset", "48")
                .containsEntry("min_partial", "5");
        assertThat(r.out())
                .contains(
                        "object (slot of 96 bytes",
                        "slab (order 0, 4096 bytes): 42 x 96 = 4032, 64 bytes left over",
                        "fraction 1/16, order 0: waste 64 <= 256 -> order 0");
    }

    @Test
    void slub_taskStruct5824_twoCpus_isOrder3With5Objects() {
        Map<String, String> k = keys(Cli.run("layout", "5824", "nr_cpus=2").out());
        assertThat(k).containsEntry("order", "3").containsEntry("objs_per_slab", "5");
    }

    @Test
    void slub_debugFlagsAlignCtor_drawRedZonesTrackAndOutsideFreePointer() {
        Cli.Run r = Cli.run(
                "layout", "64", "--align", "64", "--flags", "SLAB_RED_ZONE,SLAB_POISON,SLAB_STORE_USER", "--ctor");
        assertThat(r.exit()).isZero();
        assertThat(keys(r.out()))
                .containsEntry("align", "64")
                .containsEntry("red_zone", "1")
                .containsEntry("poison", "1")
                .containsEntry("store_user", "1");
        assertThat(r.out())
                .contains(
                        "left red zone",
                        "right red zone",
                        "free pointer (outside the object)",
                        "alloc track",
                        "free track",
                        "padding");
    }

    @Test
    void slub_slubDebugWordAndFreeptrOffset() {
        Cli.Run r = Cli.run("layout", "64", "--freeptr-offset", "8", "--flags", "TYPESAFE_BY_RCU", "slub_debug=F");
        assertThat(r.exit()).isZero();
        assertThat(keys(r.out())).containsEntry("sanity_checks", "1").containsKeys(SLUB_KEYS);
    }

    @Test
    void slab_printsItsOwnKeys_andOmitsSlubOnes() {
        Cli.Run r = Cli.run("layout", "96", "slab=slab", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        Map<String, String> k = keys(r.out());
        assertThat(k)
                .containsKeys(
                        "object_size",
                        "slab_size",
                        "order",
                        "objs_per_slab",
                        "align",
                        "colour",
                        "colour_off",
                        "freelist",
                        "limit",
                        "batchcount",
                        "sharedfactor");
        assertThat(k).doesNotContainKeys("offset", "inuse", "min_partial", "cpu_partial");
        assertThat(k)
                .containsEntry("freelist", "obj")
                .containsEntry("limit", "120")
                .containsEntry("batchcount", "60")
                .containsEntry("sharedfactor", "8");
        assertThat(r.out()).contains("order 0: waste 64 * 8 <= 4096");
    }

    @Test
    void slob_printsItsOwnKeys_andOmitsSlabOnes() {
        Cli.Run r = Cli.run("layout", "100", "slab=slob", "--flags", "TYPESAFE_BY_RCU");
        assertThat(r.exit()).isZero();
        Map<String, String> k = keys(r.out());
        // slob.md: TYPESAFE_BY_RCU adds the 24-byte struct slob_rcu footer to c->size
        assertThat(k)
                .containsEntry("object_size", "100")
                .containsEntry("slab_size", "124")
                .containsEntry("align", "8")
                .containsEntry("rcu_footer", "24")
                .doesNotContainKeys("order", "objs_per_slab", "offset", "min_partial", "cpu_partial");
        assertThat(r.out()).contains("SLOB: no slabs");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("io.kmemlab.boot.acceptance.Allocators#all")
    void everyAllocator_printsTheCommonKeysFirst(String slab) {
        Cli.Run r = Cli.run("layout", "200", "slab=" + slab);
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        Map<String, String> k = keys(r.out());
        assertThat(k).containsKeys("object_size", "slab_size", "align").containsEntry("object_size", "200");
        assertThat(r.out().split("\n").length).isGreaterThan(k.size());
    }

    @Test
    void badLayoutInput_failsCleanly() {
        Cli.Run zero = Cli.run("layout", "0");
        assertThat(zero.exit()).isEqualTo(1);
        assertThat(zero.err())
                .endsWith("kmemlab: layout: cannot create a cache of 0 bytes\n")
                .doesNotContain("Exception");
        Cli.Run flags = Cli.run("layout", "64", "--flags", "NOPE");
        assertThat(flags.exit()).isEqualTo(2);
        assertThat(flags.err()).isEqualTo("kmemlab: layout: invalid --flags 'NOPE'\n");
        Cli.Run huge = Cli.run("layout", "99999999999", "slab=slab");
        assertThat(huge.exit()).isEqualTo(1);
        assertThat(huge.err())
                .contains("__kmem_cache_create_args(layout) failed with error -22")
                .doesNotContain("Exception");
    }
}
