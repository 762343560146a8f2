package io.kmemlab.boot.memblock;

import static io.kmemlab.boot.memblock.Memblock.PHYS_ADDR_MAX;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * tools/testing/memblock/tests/basic_api.c (Linux 6.18), ported with the same expectations:
 * memblock_add, memblock_reserve, memblock_remove, memblock_phys_free, bottom_up, trim_memory and
 * overlaps_region (memblock.md §6.1-6.4).
 */
class MemblockBasicApiTest {
    static final long K = 1024;
    static final long M = 1024 * K;
    static final long G = 1024 * M;
    /** SMP_CACHE_BYTES of the test harness. */
    static final long A = 32;

    Memblock mb;

    @BeforeEach
    void setUp() {
        mb = new Memblock(32);
    }

    @AfterEach
    void invariants() {
        assertThat(mb.validate()).isEmpty();
    }

    static void assertRegion(MemblockType t, int i, long base, long size) {
        assertThat(t.base(i)).as("%s[%d].base", t.name(), i).isEqualTo(base);
        assertThat(t.size(i)).as("%s[%d].size", t.name(), i).isEqualTo(size);
    }

    // --- initialization and memblock_add ----------------------------------------------------

    @Test
    void initialization_freshMemblock_isEmptyTopDownAnywhere() {
        for (MemblockType t : new MemblockType[] {mb.memory(), mb.reserved()}) {
            assertThat(t.cnt()).isZero();
            assertThat(t.max()).isEqualTo(128);
            assertRegion(t, 0, 0, 0);
            assertThat(t.nid(0)).isEqualTo(Memblock.MAX_NUMNODES);
        }
        assertThat(mb.memory().name()).isEqualTo("memory");
        assertThat(mb.reserved().name()).isEqualTo("reserved");
        assertThat(mb.bottomUp()).isFalse();
        assertThat(mb.currentLimit()).isEqualTo(Memblock.ALLOC_ANYWHERE);
    }

    @Test
    void add_simple_oneRegion() {
        mb.add(G, 4 * M);
        assertRegion(mb.memory(), 0, G, 4 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(4 * M);
    }

    @Test
    void addNode_simple_keepsNidAndFlags() {
        mb.addNode(M, 16 * M, 1, Memblock.FLAG_HOTPLUG);
        assertRegion(mb.memory(), 0, M, 16 * M);
        assertThat(mb.memory().nid(0)).isEqualTo(1);
        assertThat(mb.memory().flags(0)).isEqualTo(Memblock.FLAG_HOTPLUG);
        assertThat(mb.memory().totalSize()).isEqualTo(16 * M);
    }

    @Test
    void add_disjoint_twoRegionsInOrder() {
        mb.add(G, 8 * K);
        mb.add(G + 16 * K, 8 * K);
        assertRegion(mb.memory(), 0, G, 8 * K);
        assertRegion(mb.memory(), 1, G + 16 * K, 8 * K);
        assertThat(mb.memory().cnt()).isEqualTo(2);
        assertThat(mb.memory().totalSize()).isEqualTo(16 * K);
    }

    @Test
    void add_overlapTop_mergesIntoOne() {
        mb.add(512 * M, G);
        mb.add(256 * M, 512 * M);
        assertRegion(mb.memory(), 0, 256 * M, G + 256 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(G + 256 * M);
    }

    @Test
    void add_overlapBottom_mergesIntoOne() {
        mb.add(128 * M, 512 * M);
        mb.add(256 * M, G);
        assertRegion(mb.memory(), 0, 128 * M, G + 128 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(G + 128 * M);
    }

    @Test
    void add_within_changesNothing() {
        mb.add(8 * M, 32 * M);
        mb.add(16 * M, M);
        assertRegion(mb.memory(), 0, 8 * M, 32 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(32 * M);
    }

    @Test
    void add_twice_countsOnce() {
        mb.add(16 * K, 2 * M);
        mb.add(16 * K, 2 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(2 * M);
    }

    @Test
    void add_between_mergesAllThree() {
        mb.add(G, 8 * K);
        mb.add(G + 16 * K, 8 * K);
        mb.add(G + 8 * K, 8 * K);
        assertRegion(mb.memory(), 0, G, 24 * K);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(24 * K);
    }

    @Test
    void add_nearMax_capsSize() {
        long base = PHYS_ADDR_MAX - M;
        mb.add(base, 2 * M);
        assertRegion(mb.memory(), 0, base, PHYS_ADDR_MAX - base);
        assertThat(mb.memory().totalSize()).isEqualTo(M);
    }

    @Test
    void add_many_doublesMemoryArrayAndReservesIt() {
        mb.allowResize();
        long base = 0x100000;
        long newRegionsSize = 8192; // PAGE_ALIGN(128 * 2 * 24)
        mb.add(base, newRegionsSize);
        base += newRegionsSize + 64;
        for (int i = 0; i < 128; i++) {
            mb.add(base, 64);
            base += 128;
            assertThat(mb.memory().cnt()).isEqualTo(i + 2);
            assertThat(mb.memory().totalSize()).isEqualTo(newRegionsSize + (i + 1) * 64L);
        }
        assertThat(mb.memory().max()).isEqualTo(256);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertThat(mb.reserved().totalSize()).isEqualTo(newRegionsSize);
        assertRegion(mb.reserved(), 0, 0x100000, newRegionsSize);
        mb.add(16 * K, 4 * K);
        assertRegion(mb.memory(), 0, 16 * K, 4 * K);
        assertThat(mb.memory().cnt()).isEqualTo(130);
        assertThat(mb.memory().totalSize()).isEqualTo(128 * 64 + newRegionsSize + 4 * K);
        assertThat(mb.memory().max()).isEqualTo(256);
    }

    // --- memblock_reserve -------------------------------------------------------------------

    @Test
    void reserve_simple_oneRegion() {
        mb.reserve(2 * G, 128 * M);
        assertRegion(mb.reserved(), 0, 2 * G, 128 * M);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
    }

    @Test
    void reserve_disjoint_twoRegions() {
        mb.reserve(256 * M, 16 * M);
        mb.reserve(512 * M, 512 * M);
        assertRegion(mb.reserved(), 0, 256 * M, 16 * M);
        assertRegion(mb.reserved(), 1, 512 * M, 512 * M);
        assertThat(mb.reserved().totalSize()).isEqualTo(528 * M);
    }

    @Test
    void reserve_overlapTop_mergesIntoOne() {
        mb.reserve(G, G);
        mb.reserve(128 * M, G);
        assertRegion(mb.reserved(), 0, 128 * M, G + 896 * M);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
    }

    @Test
    void reserve_overlapBottom_mergesIntoOne() {
        mb.reserve(2 * K, 128 * K);
        mb.reserve(128 * K, 128 * K);
        assertRegion(mb.reserved(), 0, 2 * K, 254 * K);
    }

    @Test
    void reserve_within_changesNothing() {
        mb.reserve(M, 8 * M);
        mb.reserve(2 * M, 64 * K);
        assertRegion(mb.reserved(), 0, M, 8 * M);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
    }

    @Test
    void reserve_twice_countsOnce() {
        mb.reserve(16 * K, 2 * M);
        mb.reserve(16 * K, 2 * M);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
        assertThat(mb.reserved().totalSize()).isEqualTo(2 * M);
    }

    @Test
    void reserve_between_mergesAllThree() {
        mb.reserve(G, 8 * K);
        mb.reserve(G + 16 * K, 8 * K);
        mb.reserve(G + 8 * K, 8 * K);
        assertRegion(mb.reserved(), 0, G, 24 * K);
    }

    @Test
    void reserve_nearMax_capsSize() {
        long base = PHYS_ADDR_MAX - M;
        mb.reserve(base, 2 * M);
        assertRegion(mb.reserved(), 0, base, M);
    }

    @Test
    void reserve_many_doublesReservedArray() {
        mb.allowResize();
        long memBase = 0x100000;
        mb.add(memBase, 64 * K);
        long base = 0x10000000;
        for (int i = 0; i < 129; i++) {
            mb.reserve(base, 64);
            base += 128;
        }
        assertThat(mb.reserved().max()).isEqualTo(256);
        // 129 reservations plus the new array (top-down: the end of memory).
        assertThat(mb.reserved().cnt()).isEqualTo(130);
        assertThat(mb.reserved().totalSize()).isEqualTo(129 * 64 + 8192);
        assertRegion(mb.reserved(), 0, memBase + 64 * K - 8192, 8192);
    }

    @Test
    void reserve_allLocations_129thAtEveryIndexDoublesOnce() {
        long memBase = 0x100000;
        long memSize = 32 * K;
        long r2Size = 32 * K;
        for (int skip = 1; skip <= 129; skip++) {
            mb.reset();
            mb.allowResize();
            mb.add(memBase, memSize);
            long base = 0x40000000;
            long skipBase = 0;
            for (int i = 1; i <= 129; i++) {
                if (i != skip) {
                    mb.reserve(base, 32 * K);
                } else {
                    skipBase = base;
                }
                base += 64 * K;
            }
            assertThat(mb.reserved().cnt()).isEqualTo(128);
            mb.reserve(skipBase, r2Size);
            assertThat(mb.reserved().cnt()).as("skip %d", skip).isEqualTo(130);
            assertThat(mb.reserved().totalSize()).isEqualTo(129 * 32 * K + 8192);
            assertThat(mb.reserved().max()).isEqualTo(256);
            // The new array sits at the top of memory, below every reservation.
            assertRegion(mb.reserved(), 0, memBase + memSize - 8192, 8192);
            mb.reserve(16 * K, 16 * K);
            assertRegion(mb.reserved(), 0, 16 * K, 16 * K);
            assertThat(mb.validate()).isEmpty();
        }
    }

    @Test
    void reserveManyMayConflict_newArrayAvoidsTheRangeBeingReserved() {
        mb.allowResize();
        long memBase = 0x100000;
        mb.add(memBase, 64 * K);
        // 128 small reservations fill the array; they occupy the bottom 8K of memory.
        for (int i = 0; i < 128; i++) {
            mb.reserve(memBase + i * 64L, 32);
        }
        // The 129th covers the top 8K, exactly where top-down would put the new array.
        long r = memBase + 56 * K;
        mb.reserve(r, 8 * K);
        assertThat(mb.reserved().max()).isEqualTo(256);
        assertThat(mb.reserved().cnt()).isEqualTo(130);
        MemblockType t = mb.reserved();
        assertRegion(t, 128, memBase + 48 * K, 8192);
        assertThat(t.flags(128)).isEqualTo(Memblock.FLAG_RSRV_KERN);
        assertRegion(t, 129, r, 8 * K);
        assertThat(t.totalSize()).isEqualTo(128 * 32 + 8192 + 8 * K);
    }

    @Test
    void setNode_splitsMemoryIntoNodes() {
        mb.add(0x100000, 64 * K);
        mb.setNode(0x100000, 32 * K, mb.memory(), 0);
        mb.setNode(0x100000 + 32 * K, 32 * K, mb.memory(), 1);
        assertThat(mb.memory().cnt()).isEqualTo(2);
        assertThat(mb.memory().nid(0)).isZero();
        assertThat(mb.memory().nid(1)).isEqualTo(1);
        assertRegion(mb.memory(), 1, 0x100000 + 32 * K, 32 * K);
    }

    // --- memblock_remove ------------------------------------------------------------------

    @Test
    void remove_simple_leavesTheOther() {
        mb.add(2 * K, 4 * K);
        mb.add(128 * K, 4 * M);
        mb.remove(2 * K, 4 * K);
        assertRegion(mb.memory(), 0, 128 * K, 4 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertThat(mb.memory().totalSize()).isEqualTo(4 * M);
    }

    @Test
    void remove_absent_changesNothing() {
        mb.add(512 * K, 4 * M);
        mb.remove(64 * M, G);
        assertRegion(mb.memory(), 0, 512 * K, 4 * M);
        assertThat(mb.memory().cnt()).isEqualTo(1);
    }

    @Test
    void remove_overlapTop_trimsStart() {
        mb.add(32 * M, 32 * M);
        mb.remove(16 * M, 32 * M);
        assertRegion(mb.memory(), 0, 48 * M, 16 * M);
        assertThat(mb.memory().totalSize()).isEqualTo(16 * M);
    }

    @Test
    void remove_overlapBottom_trimsEnd() {
        mb.add(2 * M, 64 * M);
        mb.remove(32 * M, 256 * M);
        assertRegion(mb.memory(), 0, 2 * M, 30 * M);
        assertThat(mb.memory().totalSize()).isEqualTo(30 * M);
    }

    @Test
    void remove_within_splitsInTwo() {
        mb.add(M, 32 * M);
        mb.remove(16 * M, M);
        assertRegion(mb.memory(), 0, M, 15 * M);
        assertRegion(mb.memory(), 1, 17 * M, 16 * M);
        assertThat(mb.memory().cnt()).isEqualTo(2);
        assertThat(mb.memory().totalSize()).isEqualTo(31 * M);
    }

    @Test
    void remove_onlyRegion_leavesEmptyArray() {
        mb.add(2 * K, 4 * K);
        mb.remove(2 * K, 4 * K);
        assertRegion(mb.memory(), 0, 0, 0);
        assertThat(mb.memory().cnt()).isZero();
        assertThat(mb.memory().totalSize()).isZero();
    }

    @Test
    void remove_nearMax_capsTheRemovedSize() {
        long base = PHYS_ADDR_MAX - 2 * M;
        mb.add(base, 2 * M);
        mb.remove(PHYS_ADDR_MAX - M, 2 * M);
        assertRegion(mb.memory(), 0, base, M);
        assertThat(mb.memory().totalSize()).isEqualTo(M);
    }

    @Test
    void remove_overlapTwo_trimsBoth() {
        mb.add(16 * M, 32 * M);
        mb.add(64 * M, 64 * M);
        mb.remove(32 * M, 64 * M);
        assertRegion(mb.memory(), 0, 16 * M, 16 * M);
        assertRegion(mb.memory(), 1, 96 * M, 32 * M);
        assertThat(mb.memory().cnt()).isEqualTo(2);
        assertThat(mb.memory().totalSize()).isEqualTo(48 * M);
    }

    // --- memblock_phys_free -----------------------------------------------------------------

    @Test
    void free_simple_leavesTheOther() {
        mb.reserve(4 * M, M);
        mb.reserve(8 * M, M);
        mb.physFree(4 * M, M);
        assertRegion(mb.reserved(), 0, 8 * M, M);
        assertThat(mb.reserved().cnt()).isEqualTo(1);
    }

    @Test
    void free_absent_changesNothing() {
        mb.reserve(2 * M, 8 * K);
        mb.physFree(16 * M, 128 * M);
        assertRegion(mb.reserved(), 0, 2 * M, 8 * K);
    }

    @Test
    void free_overlapTop_trimsStart() {
        mb.reserve(8 * M, 32 * M);
        mb.physFree(M, 8 * M);
        assertRegion(mb.reserved(), 0, 9 * M, 31 * M);
    }

    @Test
    void free_overlapBottom_trimsEnd() {
        mb.reserve(8 * M, 32 * M);
        mb.physFree(32 * M, 32 * M);
        assertRegion(mb.reserved(), 0, 8 * M, 24 * M);
    }

    @Test
    void free_within_splitsInTwo() {
        mb.reserve(M, 8 * M);
        mb.physFree(4 * M, M);
        assertRegion(mb.reserved(), 0, M, 3 * M);
        assertRegion(mb.reserved(), 1, 5 * M, 4 * M);
        assertThat(mb.reserved().totalSize()).isEqualTo(7 * M);
    }

    @Test
    void free_onlyRegion_leavesZeroedRegion() {
        mb.reserve(2 * K, 4 * K);
        mb.physFree(2 * K, 4 * K);
        assertThat(mb.reserved().cnt()).isZero();
        assertRegion(mb.reserved(), 0, 0, 0);
        assertThat(mb.reserved().totalSize()).isZero();
    }

    @Test
    void free_nearMax_capsTheFreedSize() {
        long base = PHYS_ADDR_MAX - 2 * M;
        mb.reserve(base, 2 * M);
        mb.physFree(PHYS_ADDR_MAX - M, 2 * M);
        assertRegion(mb.reserved(), 0, base, M);
    }

    @Test
    void free_overlapTwo_trimsBoth() {
        mb.reserve(16 * M, 32 * M);
        mb.reserve(64 * M, 64 * M);
        mb.physFree(32 * M, 64 * M);
        assertRegion(mb.reserved(), 0, 16 * M, 16 * M);
        assertRegion(mb.reserved(), 1, 96 * M, 32 * M);
    }

    // --- other basic tests ---------------------------------------------------------------

    @Test
    void bottomUp_roundTrips() {
        mb.setBottomUp(true);
        assertThat(mb.bottomUp()).isTrue();
        mb.setBottomUp(false);
        assertThat(mb.bottomUp()).isFalse();
    }

    @Test
    void trimMemory_alignedUntouched_smallRemoved() {
        mb.add(0, A);
        mb.add(4 * A, A - 2);
        mb.trimMemory(A);
        assertThat(mb.memory().cnt()).isEqualTo(1);
        assertRegion(mb.memory(), 0, 0, A);
    }

    @Test
    void trimMemory_unalignedBase_roundsUp() {
        mb.add(0, A);
        mb.add(4 * A + 2, 2 * A - 2);
        mb.trimMemory(A);
        assertThat(mb.memory().cnt()).isEqualTo(2);
        assertRegion(mb.memory(), 1, 5 * A, A);
    }

    @Test
    void trimMemory_unalignedEnd_roundsDown() {
        mb.add(0, A);
        mb.add(4 * A, 2 * A - 2);
        mb.trimMemory(A);
        assertThat(mb.memory().cnt()).isEqualTo(2);
        assertRegion(mb.memory(), 1, 4 * A, A);
    }

    @Test
    void overlapsRegion_halfOpen() {
        mb.add(G, 4 * M);
        MemblockType t = mb.memory();
        assertThat(mb.overlapsRegion(t, M, M)).isFalse();
        assertThat(mb.overlapsRegion(t, 2 * G, M)).isFalse();
        assertThat(mb.overlapsRegion(t, G - M, M)).isFalse();
        assertThat(mb.overlapsRegion(t, G + 4 * M, M)).isFalse();
        assertThat(mb.overlapsRegion(t, G - M, 2 * M)).isTrue();
        assertThat(mb.overlapsRegion(t, G + 2 * M, 2 * M)).isTrue();
        assertThat(mb.overlapsRegion(t, G, 4 * M)).isTrue();
        assertThat(mb.overlapsRegion(t, G - 2 * M, 8 * M)).isTrue();
        assertThat(mb.overlapsRegion(t, G + M, M)).isTrue();
    }

    @Test
    void debugfs_printsInclusiveEndsNidAndFirstFlag() {
        mb.add(0x1000, 0x9e000);
        mb.setNode(0, PHYS_ADDR_MAX, mb.memory(), 0);
        mb.reserve(0, 0x100000);
        mb.reserveKern(0x1000000, 0x2000);
        assertThat(Memblock.debugfs(mb.memory())).isEqualTo("   0: 0x0000000000001000..0x000000000009efff    0 NONE\n");
        assertThat(Memblock.debugfs(mb.reserved()))
                .isEqualTo("   0: 0x0000000000000000..0x00000000000fffff    x NONE\n"
                        + "   1: 0x0000000001000000..0x0000000001001fff    x RSV_KERN\n");
    }

    @Test
    void dumpAll_printsKernelFormat() {
        mb.add(0x1000, 0x9e000);
        mb.setNode(0, PHYS_ADDR_MAX, mb.memory(), 0);
        mb.reserveKern(0x1000000, 0x2000);
        assertThat(mb.dumpAll())
                .containsExactly(
                        "MEMBLOCK configuration:",
                        " memory size = 0x000000000009e000 reserved size = 0x0000000000002000",
                        " memory.cnt  = 0x1",
                        " memory[0x0]\t[0x0000000000001000-0x000000000009efff], 0x000000000009e000 bytes on node 0 flags: 0x0",
                        " reserved.cnt  = 0x1",
                        " reserved[0x0]\t[0x0000000001000000-0x0000000001001fff], 0x0000000000002000 bytes flags: 0x20");
    }
}
