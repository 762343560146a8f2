package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhysMemTest {
    private final PhysMem mem = new PhysMem(4096);
    private final long base = Addr.pfnToVirt(100);

    @Test
    void untouchedFrames_readZero_andZeroWritesDoNotBackThem() {
        assertThat(mem.readU64(base)).isZero();
        mem.writeU64(base, 0);
        mem.fill(base, 0, 3 * Addr.PAGE_SIZE);
        assertThat(mem.backedFrames()).isZero();
        mem.writeU8(base + 5, 0x6b);
        assertThat(mem.backedFrames()).isEqualTo(1);
        assertThat(mem.isBacked(100)).isTrue();
        assertThat(mem.isBacked(101)).isFalse();
    }

    @Test
    void typedAccess_isLittleEndian() {
        mem.writeU64(base, 0x1122334455667788L);
        assertThat(mem.readU8(base)).isEqualTo(0x88);
        assertThat(mem.readU16(base)).isEqualTo(0x7788);
        assertThat(mem.readU32(base + 4)).isEqualTo(0x11223344);
        assertThat(mem.readU64(base)).isEqualTo(0x1122334455667788L);
    }

    @Test
    void accessesAcrossAPageBoundary_work() {
        long edge = base + Addr.PAGE_SIZE - 3;
        mem.writeU64(edge, 0xa1b2c3d4e5f60718L);
        assertThat(mem.readU64(edge)).isEqualTo(0xa1b2c3d4e5f60718L);
        assertThat(mem.readU8(base + Addr.PAGE_SIZE)).isEqualTo(0xe5);
        mem.fill(edge, 0x5a, 10);
        assertThat(mem.firstNotEqual(edge, 0x5a, 10)).isEqualTo(-1);
        assertThat(mem.firstNotEqual(edge, 0x5a, 11)).isEqualTo(edge + 10);
        byte[] b = mem.read(edge - 1, 12);
        assertThat(b[0]).isZero();
        assertThat(b[1]).isEqualTo((byte) 0x5a);
    }

    @Test
    void contains_checksTheDirectMapRange() {
        assertThat(mem.contains(Addr.pfnToVirt(4095), Addr.PAGE_SIZE)).isTrue();
        assertThat(mem.contains(Addr.pfnToVirt(4095) + 1, Addr.PAGE_SIZE)).isFalse();
        assertThat(mem.contains(0x10, 1)).isFalse();
    }

    @Test
    void blockAccess_findsTheSameFramesAsTheDirectoryPath_andKeepsFramesLazy() {
        byte[][] block = mem.block(100);
        assertThat(mem.block(101)).isSameAs(block);
        // frameIn: the page bytes the block holds for an address, null while untouched
        assertThat(PhysMem.frameIn(block, base + 8)).isNull();
        mem.writeU64(base + 8, 0);
        assertThat(mem.backedFrames())
                .as("zero into an untouched frame costs nothing")
                .isZero();
        assertThat(PhysMem.frameIn(block, base + 8)).isNull();
        mem.writeU64(base + 8, 0x0102030405060708L);
        assertThat(mem.backedFrames()).isEqualTo(1);
        assertThat(PhysMem.frameIn(block, base + 8)).isSameAs(mem.frameIfBacked(100));
        assertThat(PhysMem.readU64(PhysMem.frameIn(block, base + 8), base + 8)).isEqualTo(0x0102030405060708L);
        // a write through the frame is a write to memory
        PhysMem.writeU64(PhysMem.frameIn(block, base + 16), base + 16, 0x77L);
        assertThat(mem.readU64(base + 16)).isEqualTo(0x77L);
        mem.writeU64(base + Addr.PAGE_SIZE + 16, 0x55L);
        assertThat(PhysMem.readU64(PhysMem.frameIn(block, base + Addr.PAGE_SIZE + 16), base + Addr.PAGE_SIZE + 16))
                .isEqualTo(0x55L);
        assertThat(PhysMem.frameIn(block, base + 2L * Addr.PAGE_SIZE)).isNull();
    }

    @Test
    void frameAccess_isNullUntilMaterialised_thenSharesTheBytes() {
        assertThat(mem.frameIfBacked(100)).isNull();
        mem.writeU8(base + 1, 0x11);
        byte[] f = mem.frameIfBacked(100);
        assertThat(f).isNotNull();
        PhysMem.writeU64(f, base + 16, 0x1122334455667788L);
        assertThat(mem.readU64(base + 16)).isEqualTo(0x1122334455667788L);
        mem.writeU64(base + 24, -2L);
        assertThat(PhysMem.readU64(f, base + 24)).isEqualTo(-2L);
        assertThat(mem.frameIfBacked(100)).isSameAs(f);
        assertThat(mem.frame(100)).isSameAs(f);
        long backed = mem.backedFrames();
        byte[] g = mem.frame(200);
        assertThat(mem.backedFrames()).isEqualTo(backed + 1);
        assertThat(mem.frameIfBacked(200)).isSameAs(g);
    }

    @Test
    void oneBlock_isTrueOnlyInsideOneAlignedMaxOrderBlock() {
        assertThat(PhysMem.oneBlock(1024, 1024)).isTrue();
        assertThat(PhysMem.oneBlock(1023, 1)).isTrue();
        assertThat(PhysMem.oneBlock(1023, 2)).isFalse();
        assertThat(PhysMem.oneBlock(1024 + 1016, 8)).isTrue();
        assertThat(PhysMem.oneBlock(0, 2048)).isFalse();
    }

    @Test
    void copy_movesBytes() {
        mem.write(base, new byte[] {1, 2, 3, 4}, 0, 4);
        mem.copy(base + 2, base, 4);
        assertThat(mem.read(base, 6)).containsExactly(1, 2, 1, 2, 3, 4);
    }
}
