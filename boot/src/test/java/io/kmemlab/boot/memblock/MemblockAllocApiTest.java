package io.kmemlab.boot.memblock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * tools/testing/memblock/tests/{alloc_api,alloc_helpers_api,alloc_nid_api,alloc_exact_nid_api}.c
 * (Linux 6.18) with the same expectations (memblock.md §6.5-6.8). As in the harness: MEM_SIZE
 * 32 KiB registered at a fixed page-aligned base, SMP_CACHE_BYTES 32, the backing memory filled
 * with 1s, and every allocation checked for zeroing (non-raw) or untouched bytes (raw).
 */
class MemblockAllocApiTest {
    static final long MEM_SIZE = 32 * 1024;
    static final long B = 0x100000;
    static final long E = B + MEM_SIZE;
    static final long A = 32;
    /** alloc_nid_api's node fractions, in 1/10000 of MEM_SIZE. */
    static final int[] NODE_FRACTIONS = {2500, 625, 1250, 1250, 625, 625, 2500, 625};

    Memblock mb;
    byte[] backing;

    @BeforeEach
    void setUp() {
        mb = new Memblock(32);
        backing = new byte[(int) MEM_SIZE];
        Arrays.fill(backing, (byte) 1);
        mb.setBacking((phys, size) -> {
            for (long p = phys; p < phys + size; p++) {
                backing[(int) (p - B)] = 0;
            }
        });
        mb.add(B, MEM_SIZE);
    }

    @AfterEach
    void invariants() {
        assertThat(mb.validate()).isEmpty();
    }

    boolean zeroed(long phys, long size) {
        for (long p = phys; p < phys + size; p++) {
            if (backing[(int) (p - B)] != 0) {
                return false;
            }
        }
        return true;
    }

    boolean untouched(long phys, long size) {
        for (long p = phys; p < phys + size; p++) {
            if (backing[(int) (p - B)] != 1) {
                return false;
            }
        }
        return true;
    }

    void assertReserved(int i, long base, long size) {
        assertThat(mb.reserved().base(i)).as("reserved[%d].base", i).isEqualTo(base);
        assertThat(mb.reserved().size(i)).as("reserved[%d].size", i).isEqualTo(size);
    }

    /** run_memblock_alloc: zeroing or raw, checked like the harness. */
    long alloc(long size, long align, boolean raw) {
        long p = raw ? mb.allocRaw(size, align) : mb.alloc(size, align);
        if (p != 0) {
            assertThat(raw ? untouched(p, size) : zeroed(p, size)).isTrue();
        }
        return p;
    }

    // --- alloc_api.c: top-down -----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void topDown_simple_allocatesAtEnd(boolean raw) {
        long p = alloc(2, A, raw);
        assertThat(p).isEqualTo(E - 32);
        assertReserved(0, E - 32, 2);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertThat(mb.reserved().totalSize()).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void topDown_disjoint_doesNotMergeWithPlainReservation(boolean raw) {
        mb.reserve(E - 2, 2);
        long p = alloc(16, 64, raw);
        assertThat(p).isEqualTo(E - 64);
        assertReserved(0, E - 64, 16);
        assertReserved(1, E - 2, 2);
        assertThat(mb.reserved().cnt()).isEqualTo(2);
        assertThat(mb.reserved().totalSize()).isEqualTo(18);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void topDown_before_mergesWithKernReservationAbove(boolean raw) {
        mb.reserveKern(E - 544, 32);
        long p = alloc(512, A, raw);
        assertThat(p).isEqualTo(E - 512);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, E - 544, 544);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void topDown_after_mergesWithKernReservationAtEnd(boolean raw) {
        mb.reserveKern(E - 32, 8);
        long p = alloc(512, A, raw);
        assertThat(p).isEqualTo(E - 544);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, E - 544, 520);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void topDown_secondFit_mergesBelowTheLowerReservation(boolean raw) {
        mb.reserveKern(E - 512, 512);
        mb.reserveKern(E - 1024, 256);
        long p = alloc(1024, A, raw);
        assertThat(p).isEqualTo(E - 2048);
        assertThat(mb.reserved().cnt()).isEqualTo(2);
        assertReserved(0, E - 2048, 1280);
        assertReserved(1, E - 512, 512);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void inBetween_exactGap_mergesAllThree(boolean raw) {
        long gap = 64;
        long r1Size = 16320;
        mb.reserveKern(B + A, r1Size);
        mb.reserveKern(B + A + r1Size + gap, MEM_SIZE - 2 * A - r1Size - gap);
        long p = alloc(gap, A, raw);
        assertThat(p).isEqualTo(B + A + r1Size);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, B + A, MEM_SIZE - 2 * A);
        assertThat(MEM_SIZE - 2 * A).isEqualTo(32704);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void smallGaps_nothingFits(boolean raw) {
        long base = B;
        while (base < E) {
            mb.reserve(base, Math.min(1024, E - base));
            base += 1024 + 256;
        }
        assertThat(alloc(1024, A, raw)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void allReserved_returnsNull(boolean raw) {
        mb.reserve(B, MEM_SIZE);
        assertThat(alloc(256, A, raw)).isZero();
        assertThat(mb.reserved().cnt()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noSpace_returnsNull(boolean raw) {
        mb.reserve(B, MEM_SIZE - 256);
        assertThat(alloc(1024, A, raw)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void limitedSpace_fillsMemoryExactly(boolean raw) {
        mb.reserveKern(B, MEM_SIZE - 256);
        long p = alloc(256, A, raw);
        assertThat(p).isEqualTo(E - 256);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, B, MEM_SIZE);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void noMemory_returnsNullAndReservesNothing(boolean raw) {
        mb.reset();
        assertThat(alloc(1024, A, raw)).isZero();
        assertThat(mb.reserved().cnt()).isZero();
        assertThat(mb.reserved().totalSize()).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void tooLarge_returnsNull(boolean raw) {
        assertThat(alloc(MEM_SIZE + 2, A, raw)).isZero();
        assertThat(mb.reserved().cnt()).isZero();
    }

    // --- alloc_api.c: bottom-up -----------------------------------------------------------

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bottomUp_simple_allocatesAtStart(boolean raw) {
        mb.setBottomUp(true);
        long p = alloc(2, A, raw);
        assertThat(p).isEqualTo(B);
        assertReserved(0, B, 2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bottomUp_disjoint_newRegionSecond(boolean raw) {
        mb.setBottomUp(true);
        mb.reserve(B + 2, 2);
        long p = alloc(16, 64, raw);
        assertThat(p).isEqualTo(B + 64);
        assertReserved(0, B + 2, 2);
        assertReserved(1, B + 64, 16);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bottomUp_before_mergesWithReservationAbove(boolean raw) {
        mb.setBottomUp(true);
        mb.reserveKern(B + 512, 128);
        long p = alloc(512, A, raw);
        assertThat(p).isEqualTo(B);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, B, 640);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void bottomUp_after_mergesWithReservationBelow(boolean raw) {
        mb.setBottomUp(true);
        mb.reserveKern(B + A, 64);
        long p = alloc(512, A, raw);
        assertThat(p).isEqualTo(B + A + 64);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, B + A, 576);
    }

    // --- alloc_helpers_api.c: memblock_alloc_from ----------------------------------------

    @Test
    void allocFrom_simple_atMin() {
        long min = E - 32;
        long p = mb.allocFrom(16, A, min);
        assertThat(p).isEqualTo(min);
        assertThat(zeroed(p, 16)).isTrue();
        assertReserved(0, min, 16);
    }

    @Test
    void allocFrom_misaligned_onlyAlignedSlotAboveMin() {
        long p = mb.allocFrom(32, A, E - 63);
        assertThat(p).isEqualTo(E - 32);
    }

    @Test
    void allocFrom_topDownHighAddr_dropsMin() {
        long p = mb.allocFrom(32, A, E - 16);
        assertThat(p).isEqualTo(E - 32);
        assertReserved(0, E - 32, 32);
    }

    @Test
    void allocFrom_noSpaceAbove_fallsBelowAndMerges() {
        long min = B + MEM_SIZE / 2;
        mb.reserveKern(min, E - min);
        long p = mb.allocFrom(64, A, min);
        assertThat(p).isEqualTo(min - 64);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, min - 64, E - min + 64);
    }

    @Test
    void allocFrom_minBelowDram_succeeds() {
        long p = mb.allocFrom(64, A, B - 1024);
        assertThat(p).isEqualTo(E - 64);
        mb.setBottomUp(true);
        long q = mb.allocFrom(64, A, B - 1024);
        assertThat(q).isEqualTo(B);
    }

    // --- alloc_nid_api.c: range tests on one node -----------------------------------------

    long tryNid(long size, long min, long max, boolean raw) {
        long p = raw
                ? mb.allocTryNidRaw(size, A, min, max, Memblock.NUMA_NO_NODE)
                : mb.allocTryNid(size, A, min, max, Memblock.NUMA_NO_NODE);
        if (p != 0) {
            assertThat(raw ? untouched(p, size) : zeroed(p, size)).isTrue();
        }
        return p;
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_simple_topDownAtMaxBottomUpAtMin(boolean raw) {
        long min = B + 64;
        long max = min + 512;
        assertThat(tryNid(128, min, max, raw)).isEqualTo(max - 128);
        mb.setBottomUp(true);
        assertThat(tryNid(128, min, max, raw)).isEqualTo(min);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_endMisaligned_roundsDown(boolean raw) {
        long min = B + 64;
        long max = min + 512 + 2;
        assertThat(tryNid(128, min, max, raw)).isEqualTo(max - 128 - 2);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_exactAddress_fillsRange(boolean raw) {
        long min = B + 1024;
        long max = min + 1024;
        assertThat(tryNid(1024, min, max, raw)).isEqualTo(min);
        mb.reset();
        mb.add(B, MEM_SIZE);
        mb.setBottomUp(true);
        assertThat(tryNid(1024, min, max, raw)).isEqualTo(min);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_narrowRange_dropsMin(boolean raw) {
        long min = B + 512;
        long max = min + 64;
        assertThat(tryNid(256, min, max, raw)).isEqualTo(max - 256);
        mb.reset();
        mb.add(B, MEM_SIZE);
        mb.setBottomUp(true);
        assertThat(tryNid(256, min, max, raw)).isEqualTo(B);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_lowMax_returnsNull(boolean raw) {
        assertThat(tryNid(1024, B, B + 512, raw)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_minReserved_mergesWithReservationBelow(boolean raw) {
        long min = B + 1024;
        long max = min + 256;
        mb.reserveKern(B, 1024);
        assertThat(tryNid(256, min, max, raw)).isEqualTo(min);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, B, 1280);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_maxReserved_mergesWithReservationAbove(boolean raw) {
        long max = E - 1024;
        long min = max - 256;
        mb.reserveKern(max, 1024);
        assertThat(tryNid(256, min, max, raw)).isEqualTo(min);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, min, 1280);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_reservedWithSpace_fitsBetweenAndMerges(boolean raw) {
        long min = B + 1024;
        long max = min + 2048;
        mb.reserveKern(min, 512);
        mb.reserveKern(max - 512, 512);
        long p = tryNid(512, min, max, raw);
        assertThat(p).isEqualTo(max - 1024);
        assertThat(mb.reserved().cnt()).isEqualTo(2);
        assertReserved(1, max - 1024, 1024);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_reservedFullMerge_allThreeMerge(boolean raw) {
        long min = B + 1024;
        long max = min + 2048;
        mb.reserveKern(min, 512);
        mb.reserveKern(min + 1024, 1024);
        long p = tryNid(512, min, max, raw);
        assertThat(p).isEqualTo(min + 512);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertReserved(0, min, 2048);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_reservedNoSpace_fallsBelowMin(boolean raw) {
        long min = B + 4096;
        long max = min + 2048;
        mb.reserveKern(min, 1024);
        mb.reserveKern(min + 1024 + 256, 768);
        long p = tryNid(512, min, max, raw);
        assertThat(p).isEqualTo(min - 512);
        assertThat(mb.reserved().cnt()).isEqualTo(2);
        assertReserved(0, min - 512, 1536);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_reservedAll_returnsNull(boolean raw) {
        mb.reserve(B, MEM_SIZE);
        assertThat(tryNid(256, B + 1024, B + 2048, raw)).isZero();
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void nid_capMaxAndMin_clampToDram(boolean raw) {
        assertThat(tryNid(256, B - 4096, E + 4096, raw)).isEqualTo(E - 256);
        mb.setBottomUp(true);
        assertThat(tryNid(256, B - 4096, E + 4096, raw)).isEqualTo(B);
    }

    // --- alloc_nid_api.c / alloc_exact_nid_api.c: NUMA --------------------------------

    long[] nodeBase = new long[8];
    long[] nodeSize = new long[8];

    void setupNuma() {
        mb.reset();
        long base = B;
        for (int n = 0; n < 8; n++) {
            nodeBase[n] = base;
            nodeSize[n] = MEM_SIZE * NODE_FRACTIONS[n] / 10000;
            mb.addNode(base, nodeSize[n], n, Memblock.FLAG_HOTPLUG);
            base += nodeSize[n];
        }
        assertThat(mb.memory().cnt()).isEqualTo(8);
    }

    @Test
    void numa_simple_landsOnRequestedNode() {
        setupNuma();
        long size = nodeSize[3] / 4;
        long p = mb.allocTryNid(size, A, B, E, 3);
        assertThat(p).isEqualTo(nodeBase[3] + nodeSize[3] - size);
        assertThat(mb.reserved().nid(0)).isEqualTo(3);
        mb.setBottomUp(true);
        assertThat(mb.allocTryNid(size, A, B, E, 3)).isEqualTo(nodeBase[3]);
    }

    @Test
    void numa_smallNode_fallsBackToAnyNode() {
        setupNuma();
        long size = 2 * nodeSize[1];
        long p = mb.allocTryNid(size, A, B, E, 1);
        assertThat(p).isEqualTo(nodeBase[6] + nodeSize[6] - size);
        assertThat(mb.reserved().nid(0)).isEqualTo(Memblock.NUMA_NO_NODE);
        mb.setBottomUp(true);
        assertThat(mb.allocTryNid(size, A, B, E, 1)).isEqualTo(nodeBase[0]);
    }

    @Test
    void numa_nodeReserved_fallsBackToAnyNode() {
        setupNuma();
        mb.reserve(nodeBase[2], nodeSize[2]);
        long size = nodeSize[2] / 2;
        long p = mb.allocTryNid(size, A, B, E, 2);
        assertThat(p).isEqualTo(nodeBase[7] + nodeSize[7] - size);
    }

    @Test
    void numa_largeRegion_returnsNull() {
        setupNuma();
        assertThat(mb.allocTryNid(nodeSize[6] + 64, A, B, E, 6)).isZero();
        assertThat(mb.reserved().cnt()).isZero();
    }

    @Test
    void numa_allocNodeOnCorrectNid_reservedCarriesNid() {
        setupNuma();
        long p = mb.allocTryNid(64, A, B, E, 5);
        assertThat(p).isBetween(nodeBase[5], nodeBase[5] + nodeSize[5] - 64);
        assertThat(mb.reserved().nid(0)).isEqualTo(5);
    }

    @Test
    void exactNid_smallNode_returnsNullInsteadOfFallingBack() {
        setupNuma();
        assertThat(mb.allocExactNidRaw(2 * nodeSize[1], A, B, E, 1)).isZero();
        assertThat(mb.reserved().cnt()).isZero();
    }

    @Test
    void exactNid_nodeReserved_returnsNull() {
        setupNuma();
        mb.reserve(nodeBase[2], nodeSize[2]);
        assertThat(mb.allocExactNidRaw(nodeSize[2] / 2, A, B, E, 2)).isZero();
    }

    @Test
    void exactNid_fits_sameAsTryNid() {
        setupNuma();
        long size = nodeSize[3] / 4;
        long p = mb.allocExactNidRaw(size, A, B, E, 3);
        assertThat(p).isEqualTo(nodeBase[3] + nodeSize[3] - size);
        assertThat(untouched(p, size)).isTrue();
    }

    @Test
    void movableNode_skipsHotplugRegions() {
        setupNuma();
        mb.setMovableNode(true);
        assertThat(mb.allocTryNid(64, A, B, E, 3)).isZero();
    }
}
