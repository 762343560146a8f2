package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Geometry against slab.md §14 (Linux 5.4.54 rows, RAM > 32 MiB, 2 CPUs) and the rules of §3–§6. */
class SlabGeometryTest {

    /** kmalloc-32 as the off-slab lookup sees it once the kmalloc caches exist. */
    private static final SlabGeometry.FreelistCacheLookup KMALLOC = bytes ->
            bytes <= 32 ? 32 : bytes <= 64 ? 64 : bytes <= 96 ? 128 : bytes <= 128 ? 128 : bytes <= 192 ? 192 : 256;

    private static SlabGeometry geometry(int objectSize, int align, int flags, boolean ctor, int slabMaxOrder) {
        int a = SlabLayer.calculateAlignment(flags, align, objectSize);
        return SlabGeometry.compute(new SlabGeometry.Request(objectSize, a, flags, ctor, false, slabMaxOrder, KMALLOC));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // name, objsize, natural align, flags, ctor, slot, objperslab, pages, limit, batch, shared, mgmt
        "kmalloc-32, 32, 32, HWCACHE_ALIGN, false, 32, 124, 1, 120, 60, 8, ON_SLAB",
        "kmalloc-96, 96, 0, HWCACHE_ALIGN, false, 128, 32, 1, 120, 60, 8, OBJFREELIST",
        "kmalloc-192, 192, 0, HWCACHE_ALIGN, false, 192, 21, 1, 120, 60, 8, OBJFREELIST",
        "kmalloc-8k, 8192, 8192, HWCACHE_ALIGN, false, 8192, 1, 2, 8, 4, 0, OBJFREELIST",
        "kmalloc-128k, 131072, 131072, HWCACHE_ALIGN, false, 131072, 1, 32, 8, 4, 0, OBJFREELIST",
        "kmalloc-4M, 4194304, 4194304, HWCACHE_ALIGN, false, 4194304, 1, 1024, 1, 1, 0, OBJFREELIST",
        "kmem_cache (2 nodes), 264, 0, HWCACHE_ALIGN, false, 320, 12, 1, 54, 27, 8, OBJFREELIST",
        "radix_tree_node, 576, 0, RECLAIM_ACCOUNT, true, 576, 7, 1, 54, 27, 8, ON_SLAB",
        "xfs_rui_item, 696, 0, , false, 696, 11, 2, 54, 27, 8, OBJFREELIST",
        "ext4_inode_cache, 1072, 0, RECLAIM_ACCOUNT|ACCOUNT, true, 1072, 3, 1, 24, 12, 8, ON_SLAB",
        "task_struct, 5312, 64, ACCOUNT, false, 5312, 1, 2, 8, 4, 0, OBJFREELIST",
        "kvm_vcpu, 16192, 64, ACCOUNT, false, 16192, 1, 4, 8, 4, 0, OBJFREELIST",
    })
    void referenceRows_matchLinux54Slabinfo(
            String name,
            int objectSize,
            int align,
            String flags,
            boolean ctor,
            int slot,
            int num,
            int pages,
            int limit,
            int batch,
            int shared,
            String mgmt) {
        SlabGeometry g = geometry(objectSize, align, SlabFlags.parse(flags), ctor, 1);
        assertThat(g.size()).as("objsize").isEqualTo(slot);
        assertThat(g.num()).as("objperslab").isEqualTo(num);
        assertThat(1 << g.order()).as("pagesperslab").isEqualTo(pages);
        assertThat(g.mgmt()).isEqualTo(SlabGeometry.Mgmt.valueOf(mgmt));
        assertThat(g.defaultTunables(2, false)).isEqualTo(new Tunables(limit, batch, shared));
    }

    @Test
    void smallMemory_slabMaxOrderZero_twoThousandByteObjectsGetOnePerPage() {
        // slab.md §5: with ≤ 32 MiB a 2240-byte object gets 1 per page instead of 3 per 2 pages
        assertThat(geometry(2240, 0, 0, false, 0))
                .extracting(SlabGeometry::num, SlabGeometry::order)
                .containsExactly(1, 0);
        assertThat(geometry(2240, 0, 0, false, 1))
                .extracting(SlabGeometry::num, SlabGeometry::order)
                .containsExactly(3, 1);
    }

    @Test
    void ctorCacheWith512ByteObjects_goesOffSlab() {
        // 8 objects leave 0 bytes: the 8-byte index array cannot move back on-slab
        SlabGeometry g = geometry(512, 0, 0, true, 1);
        assertThat(g.mgmt()).isEqualTo(SlabGeometry.Mgmt.OFF_SLAB);
        assertThat(g.num()).isEqualTo(8);
        assertThat(g.freelistSize()).isEqualTo(8);
        assertThat(g.colour()).isZero();
    }

    @Test
    void offSlabBeforeKmallocCachesExist_fallsBackOnSlab() {
        SlabGeometry g = SlabGeometry.compute(
                new SlabGeometry.Request(512, 8, 0, true, false, 1, SlabGeometry.FreelistCacheLookup.EARLY_BOOT));
        assertThat(g.mgmt()).isEqualTo(SlabGeometry.Mgmt.ON_SLAB);
        assertThat(g.num()).isEqualTo(7);
    }

    @Test
    void noleaktrace_neverOffSlab() {
        SlabGeometry g = geometry(512, 0, SlabFlags.NOLEAKTRACE, true, 1);
        assertThat(g.mgmt()).isEqualTo(SlabGeometry.Mgmt.ON_SLAB);
    }

    @Test
    void eightByteObjects_occupySixteenByteSlots() {
        SlabGeometry g = geometry(8, 0, 0, false, 1);
        assertThat(g.size()).isEqualTo(16);
        // 256 objects would need more than a byte index: capped at order 0 with 255? no: 4096/16 = 256 > 255 → break
        // with nothing saved, so OBJFREELIST and OFF_SLAB fail and ON_SLAB gives 4096 / 17 = 240
        assertThat(g.mgmt()).isEqualTo(SlabGeometry.Mgmt.ON_SLAB);
        assertThat(g.num()).isEqualTo(240);
    }

    @Test
    void colour_countsLeftoverInCacheLines() {
        // kmalloc-192: 21 objects leave 64 bytes: one colour step of 64
        SlabGeometry g = geometry(192, 0, SlabFlags.HWCACHE_ALIGN, false, 1);
        assertThat(g.leftOver()).isEqualTo(64);
        assertThat(g.colour()).isEqualTo(1);
        assertThat(g.colourOff()).isEqualTo(64);
        // xfs_rui_item: 536 bytes over at order 1 → 8 colours
        SlabGeometry x = geometry(696, 0, 0, false, 1);
        assertThat(x.leftOver()).isEqualTo(536);
        assertThat(x.colour()).isEqualTo(8);
    }

    @Test
    void forcedDebug_addsRedZoneAndUserWord_onlyForWordAlignedCaches() {
        SlabGeometry g = SlabGeometry.compute(new SlabGeometry.Request(64, 8, 0, false, true, 1, KMALLOC));
        assertThat(g.flags() & (SlabFlags.RED_ZONE | SlabFlags.STORE_USER | SlabFlags.POISON))
                .isEqualTo(SlabFlags.RED_ZONE | SlabFlags.STORE_USER | SlabFlags.POISON);
        assertThat(g.objOffset()).isEqualTo(8);
        assertThat(g.size()).isEqualTo(64 + 16 + 8);
        // HWCACHE-aligned kmalloc-64: alignment 64 > 8 drops red zone and user word, keeps poison
        SlabGeometry k = SlabGeometry.compute(
                new SlabGeometry.Request(64, 64, SlabFlags.HWCACHE_ALIGN, false, true, 1, KMALLOC));
        assertThat(k.flags() & (SlabFlags.RED_ZONE | SlabFlags.STORE_USER)).isZero();
        assertThat(k.flags() & SlabFlags.POISON).isNotZero();
        assertThat(k.size()).isEqualTo(64);
        // debug caps the limit at 32
        assertThat(k.defaultTunables(2, true)).isEqualTo(new Tunables(32, 16, 8));
    }

    @Test
    void forcedDebug_largeObjectJustAboveNothing_keepsRedZoneOnlyBelowPowerOfTwoCrossing() {
        // 8192: fls(8191) = 13, fls(8191 + 24) = 14: the 24 bytes would cross 2^13 → no red zone
        SlabGeometry big = SlabGeometry.compute(new SlabGeometry.Request(8192, 8, 0, false, true, 1, KMALLOC));
        assertThat(big.flags() & SlabFlags.RED_ZONE).isZero();
        // 5000: fls(4999) = fls(5023) = 13 → red zone and user word
        SlabGeometry mid = SlabGeometry.compute(new SlabGeometry.Request(5000, 8, 0, false, true, 1, KMALLOC));
        assertThat(mid.flags() & SlabFlags.RED_ZONE).isNotZero();
        assertThat(mid.size()).isEqualTo(5000 + 24);
    }

    @Test
    void everySize_slotIsAlignedAndSlabHoldsObjectsAndIndex() {
        for (int size = 1; size <= 70000; size += size < 4096 ? 1 : 61) {
            for (boolean ctor : new boolean[] {false, true}) {
                SlabGeometry g = geometry(size, 0, 0, ctor, 1);
                assertThat(g).as("size %d", size).isNotNull();
                assertThat(g.size() % g.align()).isZero();
                assertThat(g.size()).isGreaterThanOrEqualTo(Math.max(size, 16));
                long used = (long) g.num() * g.size() + (g.mgmt() == SlabGeometry.Mgmt.ON_SLAB ? g.num() : 0);
                assertThat(used + g.leftOver()).as("size %d", size).isEqualTo(g.slabBytes());
                assertThat(g.num()).isBetween(1, 255);
                assertThat(g.colour()).isEqualTo(g.leftOver() / g.colourOff());
                if (g.mgmt() == SlabGeometry.Mgmt.OBJFREELIST) {
                    assertThat(ctor).isFalse();
                    assertThat(g.num()).isLessThanOrEqualTo(size);
                }
            }
        }
    }
}
