package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider, its boot words, and the geometry keys of {@code kmemlab layout}. */
class SlabProviderTest {

    @Test
    void serviceLoader_findsSlabProvider() {
        List<String> names = ServiceLoader.load(SlabAllocatorProvider.class).stream()
                .map(p -> p.get().name())
                .toList();
        assertThat(names).contains("slab");
        assertThat(new SlabProvider().bootWords())
                .containsExactlyInAnyOrder("slab_max_order", "noaliencache", "slab_debug");
    }

    @Test
    void bootWords_parseAsTheKernelDoes() {
        assertThat(SlabProvider.parse(Map.of())).isEqualTo(SlabSettings.DEFAULT);
        assertThat(SlabProvider.parse(Map.of("slab_max_order", "3")).slabMaxOrder())
                .isEqualTo(3);
        assertThat(SlabProvider.parse(Map.of("slab_max_order", "-4")).slabMaxOrder())
                .isZero();
        // get_option() finds no number: the default 0 stays, and counts as set
        assertThat(SlabProvider.parse(Map.of("slab_max_order", "lots")).slabMaxOrder())
                .isZero();
        assertThat(SlabProvider.parse(Map.of("noaliencache", "")).noAlienCache())
                .isTrue();
        assertThat(SlabProvider.parse(Map.of("slab_debug", "")).debug()).isTrue();
        assertThatThrownBy(() -> SlabProvider.parse(Map.of("slab_debug", "FZP")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("slab_debug");
    }

    @Test
    void geometry_hasTheLayoutKeysInOrder() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache c = t.layer.find("kmalloc-96");
        assertThat(c.impl().geometry())
                .containsExactly(
                        Map.entry("object_size", "96"),
                        Map.entry("slab_size", "128"),
                        Map.entry("order", "0"),
                        Map.entry("objs_per_slab", "32"),
                        Map.entry("align", "64"),
                        Map.entry("colour", "0"),
                        Map.entry("colour_off", "64"),
                        Map.entry("freelist", "obj"),
                        Map.entry("limit", "120"),
                        Map.entry("batchcount", "60"),
                        Map.entry("sharedfactor", "8"));
        assertThat(t.layer.find("kmalloc-32").impl().geometry()).containsEntry("freelist", "on-slab");
        KmemCache off =
                t.layer.kmemCacheCreate("ctor512", 512, 0, 0, (m, o, s) -> {}, 0, 0, KmemCache.NO_FREEPTR_OFFSET);
        assertThat(off.impl().geometry()).containsEntry("freelist", "off-slab");
        assertThat(off.impl().explainLayout()).isNotEmpty();
    }

    @Test
    void layoutExplanation_matchesGolden() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache xfs = t.create("xfs_rui_item", 696, 0, 0);
        KmemCache off =
                t.layer.kmemCacheCreate("ctor512", 512, 0, 0, (m, o, s) -> {}, 0, 0, KmemCache.NO_FREEPTR_OFFSET);
        StringBuilder sb = new StringBuilder();
        for (KmemCache c : List.of(
                t.layer.find("kmalloc-96"),
                t.layer.find("kmalloc-32"),
                t.layer.find("kmalloc-8k"),
                t.layer.find("kmalloc-rcl-2k"),
                xfs,
                off)) {
            sb.append(c.name()).append('\n');
            c.impl()
                    .geometry()
                    .forEach((k, v) ->
                            sb.append("  ").append(k).append(": ").append(v).append('\n'));
            c.impl().explainLayout().forEach(l -> sb.append("  ").append(l).append('\n'));
        }
        Golden.assertMatches("layout.txt", sb.toString());
    }

    @Test
    void offSlabCache_keepsIndexArrayInKmalloc32() {
        SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
        KmemCache off = t.layer.kmemCacheCreate(
                "ctor512", 512, 0, 0, (m, o, s) -> m.writeU64(o, 0x1234), 0, 0, KmemCache.NO_FREEPTR_OFFSET);
        long before = t.impl("kmalloc-32").slabinfo().activeObjs();
        long p = t.layer.kmemCacheAlloc(0, off, Gfp.GFP_KERNEL, 0);
        // the constructor ran when the slab was created
        assertThat(t.machine.mem().readU64(p)).isEqualTo(0x1234);
        assertThat(t.impl("kmalloc-32").slabinfo().activeObjs()).isGreaterThan(before);
        t.layer.kmemCacheFree(0, off, p, 0);
        t.layer.kmemCacheShrink(off);
        assertThat(t.impl(off).totalSlabs()).isZero();
        assertThat(t.impl(off).validateProblems()).isEmpty();
    }
}
