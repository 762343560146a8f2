package io.kmemlab.mm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.Syscall;
import org.junit.jupiter.api.Test;

class FlatUserSpaceTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    @Test
    void brkAndMmap_giveZeroedMemory_countFaults_andUnmappedAccessKills() {
        FlatUserSpace u = new FlatUserSpace();
        long b = u.brkAddress();
        assertThat(u.brk(b + 10_000)).isEqualTo(b + 10_000);
        assertThat(u.writeU64(b + 8, 42)).isTrue();
        assertThat(u.readU64(b + 8)).isEqualTo(42);
        long m = u.mmap(0, 8192, RW, ANON);
        long m2 = u.mmap(0, 4096, RW, ANON);
        assertThat(m2).as("top-down").isEqualTo(m - 4096);
        assertThat(u.readU64(m + 4096)).isZero();
        assertThat(u.minflt()).isEqualTo(2);
        assertThat(u.munmap(m, 8192)).isZero();
        assertThat(u.syscalls(Syscall.MMAP)).isEqualTo(2);
        assertThat(u.mappedBytes()).isEqualTo(4096);
        u.readU8(m);
        assertThat(u.alive()).isFalse();
        assertThat(u.stderr()).hasSize(1);
    }

    @Test
    void mremap_growsInPlace_orMoves_keepingTheBytes() {
        FlatUserSpace u = new FlatUserSpace();
        long a = u.mmap(0, 4096, RW, ANON);
        long blocker = u.mmap(0, 4096, RW, ANON);
        assertThat(blocker).isLessThan(a);
        u.writeU8(blocker, 7);
        long moved = u.mremap(blocker, 4096, 3 * 4096, Mman.MREMAP_MAYMOVE, 0);
        assertThat(moved).isNotEqualTo(blocker);
        assertThat(u.readU8(moved)).isEqualTo(7);
        assertThat(u.isMapped(blocker)).isFalse();
        assertThat(u.mappedBytes()).isEqualTo(4 * 4096);
    }
}
