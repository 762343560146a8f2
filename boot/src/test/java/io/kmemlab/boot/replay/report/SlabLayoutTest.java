package io.kmemlab.boot.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The figures the HTML report draws ({@link io.kmemlab.mm.slab.SlabCache#slabLayout}) against
 * what {@code kmemlab layout} prints and the cache's geometry: the slot's parts tile the slot (a
 * free pointer inside the object overlaps it), the slab's parts tile the slab, the slots are
 * objs_per_slab × slab_size, and under SLUB every {@code [a, b)} line of the drawing is one part.
 * Over object sizes 8 … 5824, with and without red zones, poisoning and user tracking.
 */
class SlabLayoutTest {
    private static final Pattern RANGE = Pattern.compile("^\\s+\\[\\s*(\\d+),\\s*(\\d+)\\)\\s+(.*)$");
    private static final int[] SIZES = {8, 24, 96, 192, 700, 1568, 4096, 5824};

    @ParameterizedTest
    @ValueSource(strings = {"slub", "slab"})
    void layout_tilesSlotAndSlab_andMatchesTheLayoutDrawing(String allocator) {
        Kernel k = Kernel.boot(List.of("slab=" + allocator, "mem=64M", "nr_cpus=2"))
                .kernel();
        int n = 0;
        for (int debug : new int[] {0, SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER}) {
            for (int size : SIZES) {
                KmemCache c = k.slab()
                        .kmemCacheCreate(
                                "layout-" + n++,
                                size,
                                debug | SlabFlags.NO_MERGE,
                                KmemCacheArgs.builder().build());
                SlabLayout l = c.impl().slabLayout().orElseThrow();
                Map<String, String> geo = c.impl().geometry();
                String what = allocator + " size " + size + " flags " + debug;
                assertThat(l.slotSize()).as(what).isEqualTo(Integer.parseInt(geo.get("slab_size")));
                assertThat(l.objects()).as(what).isEqualTo(Integer.parseInt(geo.get("objs_per_slab")));
                assertThat(l.slabBytes()).isEqualTo(4096 << Integer.parseInt(geo.get("order")));
                tiles(what + " slot", l.slot(), l.slotSize());
                tiles(what + " slab", l.slab(), l.slabBytes());
                assertThat(l.slot())
                        .filteredOn(p -> p.kind() == SlabLayout.Kind.OBJECT)
                        .singleElement()
                        .extracting(SlabLayout.Part::bytes)
                        .isEqualTo(size);
                assertThat(l.slab().get(0).kind()).isEqualTo(SlabLayout.Kind.SLOTS);
                assertThat(l.slab().get(0).bytes()).isEqualTo(l.objects() * l.slotSize());
                if (allocator.equals("slub")) {
                    Set<String> drawn = new HashSet<>();
                    for (String line : c.impl().explainLayout()) {
                        Matcher m = RANGE.matcher(line);
                        if (m.matches()) {
                            drawn.add(m.group(1) + "," + m.group(2));
                        }
                    }
                    Set<String> parts = new HashSet<>();
                    for (SlabLayout.Part p : l.slot()) {
                        if (!p.label().contains("inside")) {
                            parts.add(p.start() + "," + p.end());
                        }
                    }
                    assertThat(parts).as(what).isEqualTo(drawn);
                    assertThat(l.slot())
                            .as(what + " one free pointer")
                            .filteredOn(p -> p.kind() == SlabLayout.Kind.FREE_POINTER)
                            .hasSize(1);
                }
                if (debug != 0) {
                    assertThat(l.slot()).as(what).anyMatch(p -> p.kind() == SlabLayout.Kind.RED_ZONE);
                    assertThat(l.slot()).as(what).anyMatch(p -> p.kind() == SlabLayout.Kind.TRACK);
                }
            }
        }
    }

    /** Parts other than an inside free pointer cover [0, total) end to end. */
    private static void tiles(String what, List<SlabLayout.Part> parts, int total) {
        List<SlabLayout.Part> solid = new ArrayList<>();
        for (SlabLayout.Part p : parts) {
            if (!(p.kind() == SlabLayout.Kind.FREE_POINTER && p.label().contains("inside"))) {
                solid.add(p);
            }
        }
        int at = 0;
        for (SlabLayout.Part p : solid) {
            assertThat(p.start()).as(what + " " + parts).isEqualTo(at);
            assertThat(p.end()).as(what).isGreaterThan(p.start());
            at = p.end();
        }
        assertThat(at).as(what).isEqualTo(total);
    }
}
