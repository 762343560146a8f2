package io.kmemlab.mm.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import org.junit.jupiter.api.Test;

/** kmalloc tables, types, alignment and unique ids against kmalloc-and-slab-common.md. */
class KmallocTablesTest {

    @Test
    void index_everySize1To8192_isSmallestClassHoldingIt() {
        KmallocIndex idx = new KmallocIndex(KmallocLimits.SLUB_6_18);
        int[] classes = {8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096, 8192};
        for (int size = 1; size <= 8192; size++) {
            int expect = 0;
            for (int c : classes) {
                if (size <= c) {
                    expect = c;
                    break;
                }
            }
            assertThat(KmallocIndex.sizeOf(idx.index(size))).as("size %d", size).isEqualTo(expect);
        }
    }

    @Test
    void slabMinSize32_patchesSmallSizesToKmalloc32() {
        KmallocLimits slab = new KmallocLimits(5, 13, 32, 8192, 4L << 20, SlabFlags.HWCACHE_ALIGN, true, true);
        KmallocIndex idx = new KmallocIndex(slab);
        for (int size = 1; size <= 32; size++) {
            assertThat(KmallocIndex.sizeOf(idx.index(size))).isEqualTo(32);
        }
        assertThat(KmallocIndex.sizeOf(idx.index(70))).isEqualTo(96);
    }

    @Test
    void suffixesAndCreationOrder() {
        assertThat(KmallocIndex.suffix(1)).isEqualTo("96");
        assertThat(KmallocIndex.suffix(10)).isEqualTo("1k");
        assertThat(KmallocIndex.suffix(21)).isEqualTo("2M");
        assertThat(new KmallocIndex(KmallocLimits.SLUB_6_18).creationOrder())
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    }

    @Test
    void kmallocType_priorityDmaThenReclaimableThenAccount() {
        assertThat(KmallocType.of(Gfp.GFP_KERNEL)).isEqualTo(KmallocType.NORMAL);
        assertThat(KmallocType.of(Gfp.GFP_KERNEL_ACCOUNT)).isEqualTo(KmallocType.CGROUP);
        assertThat(KmallocType.of(Gfp.__GFP_RECLAIMABLE | Gfp.__GFP_ACCOUNT)).isEqualTo(KmallocType.RECLAIM);
        assertThat(KmallocType.of(Gfp.__GFP_DMA | Gfp.__GFP_RECLAIMABLE)).isEqualTo(KmallocType.DMA);
        assertThat(KmallocType.of(Gfp.__GFP_MOVABLE)).isEqualTo(KmallocType.NORMAL);
    }

    @Test
    void calculateAlignment_hwcacheHalvesForSmallObjects() {
        int hw = SlabFlags.HWCACHE_ALIGN;
        assertThat(SlabLayer.calculateAlignment(hw, 0, 96)).isEqualTo(64);
        assertThat(SlabLayer.calculateAlignment(hw, 0, 64)).isEqualTo(64);
        assertThat(SlabLayer.calculateAlignment(hw, 0, 33)).isEqualTo(64);
        assertThat(SlabLayer.calculateAlignment(hw, 0, 32)).isEqualTo(32);
        assertThat(SlabLayer.calculateAlignment(hw, 0, 17)).isEqualTo(32);
        assertThat(SlabLayer.calculateAlignment(hw, 0, 16)).isEqualTo(16);
        assertThat(SlabLayer.calculateAlignment(hw, 0, 8)).isEqualTo(8);
        assertThat(SlabLayer.calculateAlignment(0, 0, 100)).isEqualTo(8);
        assertThat(SlabLayer.calculateAlignment(0, 4, 100)).isEqualTo(8);
        assertThat(SlabLayer.calculateAlignment(0, 256, 100)).isEqualTo(256);
    }

    @Test
    void uniqueId_lettersInKernelOrder() {
        assertThat(SlabLayer.uniqueId(0, 64)).isEqualTo(":0000064");
        assertThat(SlabLayer.uniqueId(SlabFlags.ACCOUNT, 1280)).isEqualTo(":A-0001280");
        assertThat(SlabLayer.uniqueId(SlabFlags.RECLAIM_ACCOUNT | SlabFlags.ACCOUNT, 16))
                .isEqualTo(":aA-0000016");
        assertThat(SlabLayer.uniqueId(
                        SlabFlags.CACHE_DMA
                                | SlabFlags.CACHE_DMA32
                                | SlabFlags.RECLAIM_ACCOUNT
                                | SlabFlags.CONSISTENCY_CHECKS
                                | SlabFlags.ACCOUNT,
                        8))
                .isEqualTo(":dDaFA-0000008");
    }

    @Test
    void slabFlags_parseAndFormatRoundTrip() {
        int f = SlabFlags.parse("SLAB_HWCACHE_ALIGN|account,reclaim_account");
        assertThat(f).isEqualTo(SlabFlags.HWCACHE_ALIGN | SlabFlags.ACCOUNT | SlabFlags.RECLAIM_ACCOUNT);
        assertThat(SlabFlags.parse(SlabFlags.format(f))).isEqualTo(f);
        assertThat(SlabFlags.parse("BOGUS")).isEqualTo(-1);
        assertThat(SlabFlags.NEVER_MERGE & SlabFlags.TYPESAFE_BY_RCU).isNotZero();
    }
}
