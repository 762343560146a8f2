package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * List movement of slub.md §6–§8 observed through the sysfs counters: a 96-byte cache (42 objects
 * per order-0 slab, cpu_partial 120 → cpu_partial_slabs 6, min_partial 5) on 2 CPUs.
 */
class SlubListMovementTest {
    private SlabLayer layer;
    private KmemCache c;
    private VirtualFs vfs;
    /** Objects by slab page, in allocation order of the slabs. */
    private final Map<Long, List<Long>> bySlab = new LinkedHashMap<>();

    @BeforeEach
    void setUp() {
        layer = SlubTesting.boot(2);
        c = layer.kmemCacheCreate("lm", 96, SlabFlags.NO_MERGE, KmemCacheArgs.NONE);
        vfs = layer.machine().vfs();
        assertThat(read("objs_per_slab")).isEqualTo("42");
        assertThat(read("cpu_partial")).isEqualTo("120");
        assertThat(read("min_partial")).isEqualTo("5");
    }

    private String read(String attr) {
        return vfs.read("/sys/kernel/slab/lm/" + attr).strip();
    }

    private long stat(String attr) {
        return Long.parseLong(read(attr).split(" ")[0]);
    }

    private void allocOnCpu0(int n) {
        for (int i = 0; i < n; i++) {
            long p = layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, 0);
            bySlab.computeIfAbsent(p & ~4095L, k -> new ArrayList<>()).add(p);
        }
    }

    @Test
    void fullSlab_firstRemoteFree_goesToThatCpusPartialList() {
        allocOnCpu0(43);
        assertThat(stat("alloc_slab")).isEqualTo(2);
        assertThat(stat("deactivate_bypass")).isEqualTo(1);
        assertThat(stat("alloc_fastpath")).isEqualTo(41);
        long first = bySlab.values().iterator().next().get(0);
        layer.kmemCacheFree(1, c, first, 0);
        assertThat(read("cpu_partial_free")).isEqualTo("1 C1=1");
        assertThat(read("cpu_slabs")).isEqualTo("2 N0=2");
        assertThat(read("slabs_cpu_partial")).isEqualTo("21(1) C1=21(1)");
        long again = layer.kmemCacheAlloc(1, c, Gfp.GFP_KERNEL, 0);
        assertThat(again).isEqualTo(first);
        assertThat(read("cpu_partial_alloc")).isEqualTo("1 C1=1");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void cpuPartialList_drainsWhenFull_thenEmptySlabsDiscardedDownToMinPartial() {
        allocOnCpu0(420);
        assertThat(bySlab).hasSize(10);
        List<List<Long>> slabs = new ArrayList<>(bySlab.values());
        for (int s = 0; s < 9; s++) {
            layer.kmemCacheFree(1, c, slabs.get(s).get(0), 0);
        }
        assertThat(stat("cpu_partial_free")).isEqualTo(9);
        assertThat(stat("cpu_partial_drain")).isEqualTo(1);
        assertThat(stat("free_add_partial")).isEqualTo(6);
        assertThat(read("partial")).isEqualTo("6 N0=6");
        assertThat(read("slabs_cpu_partial")).isEqualTo("63(3) C1=63(3)");
        assertThat(vfs.write("/sys/kernel/slab/lm/shrink", "1")).isNull();
        assertThat(stat("deactivate_full")).isEqualTo(1);
        assertThat(read("partial")).isEqualTo("9 N0=9");
        assertThat(read("objects_partial")).isEqualTo("369 N0=369");
        assertThat(read("cpu_slabs")).isEqualTo("0");
        for (List<Long> slab : slabs) {
            for (long p : slab) {
                if (p != slab.get(0) || slabs.indexOf(slab) == 9) {
                    layer.kmemCacheFree(1, c, p, 0);
                }
            }
        }
        assertThat(stat("free_slab")).isEqualTo(5);
        assertThat(stat("free_remove_partial")).isEqualTo(5);
        assertThat(read("slabs")).isEqualTo("5 N0=5");
        assertThat(read("objects")).isEqualTo("42 N0=42");
        assertThat(vfs.write("/sys/kernel/slab/lm/shrink", "1")).isNull();
        assertThat(read("slabs")).isEqualTo("0");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void remoteFreeToFrozenSlab_countsFreeFrozen_andDeactivatesToTail() {
        allocOnCpu0(10);
        long p = bySlab.values().iterator().next().get(3);
        layer.kmemCacheFree(1, c, p, 0);
        assertThat(read("free_frozen")).isEqualTo("1 C1=1");
        assertThat(vfs.write("/sys/kernel/slab/lm/shrink", "1")).isNull();
        assertThat(stat("deactivate_remote_frees")).isEqualTo(1);
        assertThat(stat("deactivate_to_tail")).isEqualTo(1);
        assertThat(read("partial")).isEqualTo("1 N0=1");
        assertThat(read("objects")).isEqualTo("9 N0=9");
        assertThat(layer.slabinfo())
                .contains(
                        "lm                     9     42     96   42    1 : tunables    0    0    0 : slabdata      1      1      0");
    }

    @Test
    void explainLayout_listsOrderSteps() {
        List<String> lines = c.impl().explainLayout();
        assertThat(lines).anyMatch(l -> l.contains("min_objects = 4 * (fls(2) + 1) = 12"));
        assertThat(lines).anyMatch(l -> l.contains("fraction 1/16, order 0: waste 64 <= 256 -> order 0"));
        assertThat(c.impl().geometry()).containsEntry("objs_per_slab", "42").containsEntry("offset", "48");
    }
}
