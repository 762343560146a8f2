package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** calculate_sizes / calculate_order against slub.md §3 and debugging.md §3. */
class SlubGeometryTest {
    private static final int KM = SlabFlags.KMALLOC;
    private static final int F = SlabFlags.CONSISTENCY_CHECKS;
    private static final int Z = SlabFlags.RED_ZONE;
    private static final int P = SlabFlags.POISON;
    private static final int U = SlabFlags.STORE_USER;

    private static SlubGeometry geo(int os, int align, int flags, boolean ctor, int fpo, int cpus) throws Exception {
        return SlubGeometry.compute(os, align, flags, ctor, fpo, false, SlubGeometry.OrderParams.defaults(cpus));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, os, align, flags, ctor, freeptr offset, cpus, size, order, objects, minPartial, cpuPartial, offset
        "kmalloc-96,      96,   32,   8,   false, -1, 2, 96,   0, 42, 5, 120, 48",
        "kmalloc-192,     192,  64,   8,   false, -1, 2, 192,  0, 21, 5, 120, 96",
        "kmalloc-512,     512,  512,  8,   false, -1, 2, 512,  1, 16, 5, 52,  256",
        "kmalloc-512 1cpu,512,  512,  8,   false, -1, 1, 512,  0, 8,  5, 52,  256",
        "kmalloc-8k,      8192, 8192, 8,   false, -1, 2, 8192, 3, 4,  6, 6,   4096",
        "task_struct,     5824, 64,   0,   false, -1, 2, 5824, 3, 5,  6, 6,   2912",
        "dentry,          192,  8,    0,   false, -1, 2, 192,  0, 21, 5, 120, 96",
        "inode_cache,     616,  8,    0,   true,  -1, 2, 624,  1, 13, 5, 52,  616",
        "vm_area_struct,  192,  64,   512, false, 8,  2, 192,  0, 21, 5, 120, 8",
        "kmem_cache_node, 72,   64,   16,  false, -1, 2, 128,  0, 32, 5, 120, 32",
        "kmem_cache,      232,  64,   16,  false, -1, 2, 256,  0, 16, 5, 52,  112",
    })
    void workedExamples_matchReference(
            String name,
            int os,
            int align,
            int flags,
            boolean ctor,
            int fpo,
            int cpus,
            int size,
            int order,
            int objects,
            int minPartial,
            int cpuPartial,
            int offset)
            throws Exception {
        SlubGeometry g = geo(os, align, flags, ctor, fpo, cpus);
        assertThat(g.size()).as("size").isEqualTo(size);
        assertThat(g.order()).as("order").isEqualTo(order);
        assertThat(g.objects()).as("objects").isEqualTo(objects);
        assertThat(g.minPartial()).as("min_partial").isEqualTo(minPartial);
        assertThat(g.cpuPartial()).as("cpu_partial").isEqualTo(cpuPartial);
        assertThat(g.offset()).as("offset").isEqualTo(offset);
    }

    @Test
    void kmalloc96_cpuPartialSlabsIsSix() throws Exception {
        assertThat(geo(96, 32, KM, false, -1, 2).cpuPartialSlabs()).isEqualTo(6);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, flags, align, os, inuse, offset, rlp, size, order, objects
        "RZ,           2,   8,    64,   72,   32,   8,    88,   0, 46",
        "poison,       4,   8,    64,   64,   64,   0,    72,   0, 56",
        "RZ_kmalloc,   138, 8,    32,   40,   40,   8,    136,  0, 30",
        "krealloc,     138, 8,    64,   72,   72,   8,    168,  0, 24",
        "FZPU-64,      135, 8,    64,   72,   72,   8,    160,  0, 25",
        "kmalloc-64,   143, 64,   64,   72,   72,   64,   256,  0, 16",
        "kmalloc-96,   143, 32,   96,   104,  104,  32,   224,  0, 18",
        "kmalloc-1k,   143, 1024, 1024, 1032, 1032, 1024, 3072, 3, 10",
    })
    void debugLayouts_matchReference(
            String name, int flags, int align, int os, int inuse, int offset, int rlp, int size, int order, int objects)
            throws Exception {
        SlubGeometry g = geo(os, align, flags, false, -1, 2);
        assertThat(g.inuse()).as("inuse").isEqualTo(inuse);
        assertThat(g.offset()).as("offset").isEqualTo(offset);
        assertThat(g.redLeftPad()).as("red_left_pad").isEqualTo(rlp);
        assertThat(g.size()).as("size").isEqualTo(size);
        assertThat(g.order()).as("order").isEqualTo(order);
        assertThat(g.objects()).as("objects").isEqualTo(objects);
        assertThat(g.cpuPartial()).as("debug caches have no cpu partial").isZero();
    }

    /**
     * 4 × (fls(n) + 1) with the kernel's fls (most significant set bit, 1-based: fls(3) = 2,
     * fls(4) = 3). The reference's parenthetical "fls(3..4) = 3" disagrees with fls itself; its
     * 1-, 2- and 64-CPU values agree with both.
     */
    @ParameterizedTest
    @CsvSource({"1, 8", "2, 12", "3, 12", "4, 16", "5, 16", "7, 16", "8, 20", "9, 20", "16, 24", "64, 32"})
    void minObjects_followsPresentCpus(int cpus, int minObjects) {
        assertThat(SlubGeometry.autoMinObjects(cpus)).isEqualTo(minObjects);
    }

    @Test
    void slotSizes10928To12280_useOrderThreeWithTwoObjects() {
        for (int size = 10928; size <= 12280; size += 8) {
            int order = SlubGeometry.calculateOrder(size, SlubGeometry.OrderParams.defaults(2), new ArrayList<>());
            assertThat(order).as("size %d", size).isEqualTo(3);
            assertThat(SlubGeometry.orderObjects(order, size)).isEqualTo(2);
        }
    }

    /**
     * An independent statement of the order rule: the chosen order is the first (fraction, order)
     * pair, fractions 16 → 2 and orders from min_order up, whose waste fits; checked for every
     * slot size that is a multiple of 8 up to 40000 and several CPU counts.
     */
    @Test
    void everySlotSize_orderIsFirstFittingFraction() {
        for (int cpus : new int[] {1, 2, 4, 8, 64}) {
            int minObjects = 4 * (32 - Integer.numberOfLeadingZeros(cpus) + 1);
            for (int size = 8; size <= 40000; size += 8) {
                int order =
                        SlubGeometry.calculateOrder(size, SlubGeometry.OrderParams.defaults(cpus), new ArrayList<>());
                int maxObj = Math.max((4096 << 3) / size, 1);
                int mo = Math.min(minObjects, maxObj);
                long need = (long) mo * size;
                int minOrder = 0;
                while ((4096L << minOrder) < need) {
                    minOrder++;
                }
                int expect = -1;
                for (int fraction = 16; fraction >= 2 && expect < 0; fraction /= 2) {
                    for (int o = minOrder; o <= 3; o++) {
                        int slab = 4096 << o;
                        if (slab % size <= slab / fraction) {
                            expect = o;
                            break;
                        }
                    }
                }
                if (expect < 0) {
                    expect = minOrder;
                }
                assertThat(order).as("size %d cpus %d", size, cpus).isEqualTo(expect);
            }
        }
    }

    @Test
    void minPartial_growsWithSlotSize() throws Exception {
        assertThat(geo(4000, 8, 0, false, -1, 2).minPartial()).isEqualTo(5);
        assertThat(geo(4096, 8, 0, false, -1, 2).minPartial()).isEqualTo(6);
        assertThat(geo(16384, 8, 0, false, -1, 2).minPartial()).isEqualTo(7);
        assertThat(geo(1 << 20, 8, 0, false, -1, 2).minPartial()).isEqualTo(10);
    }

    @Test
    void optionO_dropsDebugWhenOrderWouldGrow() throws Exception {
        SlubGeometry g = SlubGeometry.compute(
                4096, 4096, KM | F | Z | P | U, false, -1, true, SlubGeometry.OrderParams.defaults(2));
        assertThat(g.hasFlag(Z)).isFalse();
        assertThat(g.hasFlag(F)).isTrue();
        assertThat(g.size()).isEqualTo(4096);
    }

    @Test
    void kmallocCachesInBootedLayer_haveSlubSlotsAndAlignments() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.find("kmalloc-96").impl().align()).isEqualTo(32);
        assertThat(layer.find("kmalloc-96").impl().size()).isEqualTo(96);
        assertThat(layer.find("kmalloc-192").impl().align()).isEqualTo(64);
        assertThat(layer.find("kmalloc-8k").impl().align()).isEqualTo(8192);
        assertThat(layer.find("kmalloc-96").impl().objsPerSlab()).isEqualTo(42);
    }

    @Test
    void slubDebugBoot_kmalloc96HasDebugSlot() {
        SlabLayer layer = SlubTesting.boot(2, "slub_debug");
        assertThat(layer.find("kmalloc-96").impl().size()).isEqualTo(224);
        assertThat(layer.find("kmalloc-1k").impl().size()).isEqualTo(3072);
        assertThat(layer.find("kmalloc-1k").impl().order()).isEqualTo(3);
    }

    @Test
    void slubDebugPerCacheList_onlyNamedCachesDebugged() {
        SlabLayer layer = SlubTesting.boot(2, "slub_debug=FZ,kmalloc-64");
        assertThat(layer.find("kmalloc-64").impl().effectiveFlags() & (F | Z)).isEqualTo(F | Z);
        assertThat(layer.find("kmalloc-128").impl().effectiveFlags() & (F | Z)).isZero();
        assertThat(layer.find("kmalloc-64").impl().size()).isEqualTo(64 + 64 + 64);
    }
}
