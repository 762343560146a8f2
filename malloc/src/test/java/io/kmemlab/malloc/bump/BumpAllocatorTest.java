package io.kmemlab.malloc.bump;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.ArrayUserSpace;
import io.kmemlab.mm.user.Syscall;
import org.junit.jupiter.api.Test;

class BumpAllocatorTest {

    @Test
    void populate_faultsTheWholeArenaInsideMmap() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(
                s, BumpOptions.defaults().withArenaBytes(64 * 1024).withPopulate(true));
        a.malloc(10);
        assertThat(s.minflt()).isEqualTo(16);
        assertThat(s.rssPages()).isEqualTo(16);
        for (int i = 0; i < 100; i++) {
            a.malloc(500);
        }
        assertThat(s.minflt()).as("no fault after the mmap").isEqualTo(16);

        ArrayUserSpace d = new ArrayUserSpace();
        BumpAllocator demand = new BumpAllocator(d, BumpOptions.defaults().withArenaBytes(64 * 1024));
        demand.malloc(10);
        assertThat(d.minflt()).isEqualTo(1);
        for (int i = 0; i < 100; i++) {
            demand.malloc(500);
        }
        assertThat(d.minflt()).as("one fault per page touched").isEqualTo(13);
    }

    @Test
    void bumping_isAnAlignedPointerIncrement_andFreeIsACountedNoop() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(s, BumpOptions.defaults());
        long p = a.malloc(10);
        long q = a.malloc(10);
        assertThat(p % 16).isZero();
        assertThat(q - p).as("8-byte header, 16 usable, aligned").isEqualTo(32);
        a.free(p);
        assertThat(a.noopFrees()).isEqualTo(1);
        assertThat(a.malloc(10)).as("freed bytes are not reused").isEqualTo(q + 32);
        assertThat(a.metric().liveBlocks()).isEqualTo(2);
    }

    @Test
    void fullArena_chainsANewOne_largeRequestsGetTheirOwnMapping() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(s, BumpOptions.defaults().withArenaBytes(8192));
        long last = 0;
        for (int i = 0; i < 100; i++) {
            last = a.malloc(200);
            assertThat(last).isNotZero();
        }
        assertThat(a.arenas()).isEqualTo(3);
        long big = a.malloc(5000);
        assertThat(a.arenas()).isEqualTo(4);
        assertThat(a.usableSize(big)).isEqualTo(5000);
        assertThat(a.malloc(200)).as("the current arena stays current").isEqualTo(last + 208);
        assertThat(a.metric().heapBytes()).isEqualTo(s.mappedBytes());
        assertThat(s.syscalls(Syscall.MMAP)).isEqualTo(4);
        assertThat(a.validate()).isEmpty();
    }

    @Test
    void reset_keepsTheFirstArena_unmapsTheRest_andStartsOver() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(s, BumpOptions.defaults().withArenaBytes(8192));
        long first = a.malloc(100);
        s.fill(first, 0x77, 100);
        for (int i = 0; i < 100; i++) {
            a.malloc(200);
        }
        a.malloc(9000);
        a.reset();
        assertThat(a.arenas()).isEqualTo(1);
        assertThat(a.metric().heapBytes()).isEqualTo(8192);
        assertThat(s.mappedBytes()).isEqualTo(8192);
        assertThat(a.metric().liveBlocks()).isZero();
        assertThat(a.validate()).isEmpty();
        long again = a.calloc(1, 100);
        assertThat(again).isEqualTo(first);
        assertThat(s.readU8(again + 50)).as("calloc zeroes reused arena bytes").isZero();
        assertThat(a.validate()).isEmpty();
    }

    @Test
    void realloc_ofTheNewestBlock_movesOnlyTop() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(s, BumpOptions.defaults());
        a.malloc(10);
        long p = a.malloc(10);
        assertThat(a.realloc(p, 1000)).isEqualTo(p);
        assertThat(a.usableSize(p)).isEqualTo(1000);
        assertThat(a.malloc(1) - p).as("1000 usable, then a header, aligned").isEqualTo(1008);
        assertThat(a.validate()).isEmpty();
    }

    @Test
    void validate_findsABrokenArenaChain() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(s, BumpOptions.defaults().withArenaBytes(8192));
        for (int i = 0; i < 60; i++) {
            a.malloc(200);
        }
        long arena = (a.malloc(1) & -4096L) - 4096;
        assertThat(a.validate()).isEmpty();
        s.writeU64(arena + BumpAllocator.OFF_PREV, 0);
        assertThat(a.validate()).isNotEmpty();
    }

    @Test
    void garbageInAnArena_endsTheHeapDrawing_andResetStillWorks() {
        ArrayUserSpace s = new ArrayUserSpace();
        BumpAllocator a = new BumpAllocator(s, BumpOptions.defaults().withArenaBytes(8192));
        long p = a.malloc(24);
        a.memalign(64, 8);
        for (int i = 0; i < 60; i++) {
            a.malloc(200);
        }
        s.writeU64(p - 8, BumpAllocator.TAG_PAD << BumpAllocator.TAG_SHIFT);
        s.writeU64(p + 8 + 16, -1);
        long[] blocks = {0};
        a.heapView().orElseThrow().forEachBlock((addr, size, used, payload) -> blocks[0]++);
        assertThat(blocks[0]).isPositive();
        assertThat(a.validate()).isNotEmpty();
        a.reset();
        assertThat(a.validate()).isEmpty();
        assertThat(a.arenas()).isEqualTo(1);
    }
}
