package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SlobBlockTest {
    private final PhysMem mem = new PhysMem(4);
    private final long base = Addr.pfnToVirt(1);

    @Test
    void set_multiUnitBlock_writesSizeThenNextAsLittleEndianWords() {
        SlobBlock.set(mem, base, 10, 5, 100);

        assertThat(mem.read(base + 20, 4)).containsExactly(0x05, 0x00, 0x64, 0x00);
        assertThat(SlobBlock.size(mem, base, 10)).isEqualTo(5);
        assertThat(SlobBlock.next(mem, base, 10)).isEqualTo(100);
    }

    @Test
    void set_singleUnitBlock_writesNegatedNextInOneWord() {
        SlobBlock.set(mem, base, 40, 2, 0x1234);
        SlobBlock.set(mem, base, 40, 1, 100);

        // -100 as s16, and the second word is left alone
        assertThat(mem.read(base + 80, 4)).containsExactly(0x9c, 0xff, 0x34, 0x12);
        assertThat(SlobBlock.word0(mem, base, 40)).isEqualTo(-100);
        assertThat(SlobBlock.size(mem, base, 40)).isEqualTo(1);
        assertThat(SlobBlock.next(mem, base, 40)).isEqualTo(100);
    }

    @Test
    void wholePageBlock_isLastAndSpansTheSigned16BitRange() {
        SlobBlock.set(mem, base, 0, SlobBlock.UNITS_PER_PAGE, SlobBlock.UNITS_PER_PAGE);

        assertThat(SlobBlock.size(mem, base, 0)).isEqualTo(2048);
        assertThat(SlobBlock.isLast(mem, base, 0)).isTrue();
    }

    @Test
    void units_roundsBytesUpToTwoByteUnits() {
        assertThat(SlobBlock.units(1)).isEqualTo(1);
        assertThat(SlobBlock.units(2)).isEqualTo(1);
        assertThat(SlobBlock.units(11)).isEqualTo(6);
        assertThat(SlobBlock.units(108)).isEqualTo(54);
        assertThat(SlobBlock.units(Addr.PAGE_SIZE)).isEqualTo(2048);
    }

    @Property
    void set_thenRead_roundTrips(
            @ForAll @IntRange(min = 0, max = 2046) int off,
            @ForAll @IntRange(min = 1, max = 2048) int size,
            @ForAll @IntRange(min = 1, max = 2048) int next) {
        SlobBlock.set(mem, base, off, size, next);

        assertThat(SlobBlock.size(mem, base, off)).isEqualTo(size);
        assertThat(SlobBlock.next(mem, base, off)).isEqualTo(next);
        assertThat(SlobBlock.isLast(mem, base, off)).isEqualTo(next == 2048);
    }

    @Property
    void header_anyWords_decodesAsSizeAndNext(
            @ForAll @IntRange(min = 0, max = SlobBlock.UNITS_PER_PAGE - 1) int off,
            @ForAll @IntRange(min = 0, max = 0xffff) int word0,
            @ForAll @IntRange(min = 0, max = 0xffff) int word1,
            @ForAll @IntRange(min = 0, max = 0xffff) int nextPageWord0) {
        long a = SlobBlock.addr(base, off);
        mem.writeU16(a, word0);
        mem.writeU16(a + SlobBlock.SLOB_UNIT, word1);
        if (off == SlobBlock.UNITS_PER_PAGE - 1) {
            mem.writeU16(base + Addr.PAGE_SIZE, nextPageWord0);
        }

        int header = SlobBlock.header(mem, base, off);

        assertThat(SlobBlock.sizeOf(header)).isEqualTo(SlobBlock.size(mem, base, off));
        assertThat(SlobBlock.nextOf(header)).isEqualTo(SlobBlock.next(mem, base, off));
    }

    @Property
    void headerFromFrame_anyWords_isTheHeaderReadThroughMemory(
            @ForAll @IntRange(min = 0, max = SlobBlock.UNITS_PER_PAGE - 1) int off,
            @ForAll @IntRange(min = 0, max = 0xffff) int word0,
            @ForAll @IntRange(min = 0, max = 0xffff) int word1,
            @ForAll @IntRange(min = 0, max = 0xffff) int nextPageWord0) {
        // a backed page, even if every word written is zero
        byte[] frame = mem.frame(Addr.virtToPfn(base));
        long a = SlobBlock.addr(base, off);
        mem.writeU16(a, word0);
        if (off < SlobBlock.UNITS_PER_PAGE - 1) {
            mem.writeU16(a + SlobBlock.SLOB_UNIT, word1);
        }
        // the last unit's word 1 is the next page's first word
        mem.writeU16(base + Addr.PAGE_SIZE, nextPageWord0);

        assertThat(SlobBlock.header(frame, mem, base, off)).isEqualTo(SlobBlock.header(mem, base, off));
    }

    @Test
    void headerFromFrame_unbackedPage_readsAsTheZeroPageDoes() {
        long untouched = Addr.pfnToVirt(3);

        assertThat(mem.frameIfBacked(3)).isNull();
        assertThat(SlobBlock.header(null, mem, untouched, 7)).isZero().isEqualTo(SlobBlock.header(mem, untouched, 7));
    }

    @Property
    void setIntoFrame_anyBlock_writesTheBytesSetThroughMemoryWrites(
            @ForAll @IntRange(min = 0, max = SlobBlock.UNITS_PER_PAGE - 1) int off,
            @ForAll @IntRange(min = 1, max = SlobBlock.UNITS_PER_PAGE) int size,
            @ForAll @IntRange(min = 0, max = SlobBlock.UNITS_PER_PAGE) int next) {
        // a block of two or more units has its two words inside the page
        int units = off == SlobBlock.UNITS_PER_PAGE - 1 ? 1 : size;
        PhysMem viaMem = new PhysMem(4);
        PhysMem viaFrame = new PhysMem(4);
        viaMem.writeU32(base + 64, 0xdeadbeef);
        viaFrame.writeU32(base + 64, 0xdeadbeef);
        SlobBlock.set(viaMem, base, off, units, next);
        SlobBlock.set(viaFrame.frameIfBacked(Addr.virtToPfn(base)), viaFrame, base, off, units, next);

        assertThat(viaFrame.read(base, Addr.PAGE_SIZE)).isEqualTo(viaMem.read(base, Addr.PAGE_SIZE));
    }

    @Test
    void setIntoFrame_unbackedPage_takesTheMemoryPath() {
        PhysMem m = new PhysMem(4);
        SlobBlock.set(null, m, base, 3, 7, 20);

        assertThat(SlobBlock.size(m, base, 3)).isEqualTo(7);
        assertThat(SlobBlock.next(m, base, 3)).isEqualTo(20);
    }
}
