package io.kmemlab.mm.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SymbolsTest {
    private final Symbols symbols = new Symbols();

    @Test
    void slotAndOffset_roundTripThroughTheAddress() {
        int a = symbols.slot("copy_process", 0xd80);
        int b = symbols.slot("dup_mm", 0x5f0);
        assertThat(symbols.slot("copy_process", 0x10)).isEqualTo(a);
        assertThat(b).isEqualTo(a + 1);
        long addr = Symbols.address(b, 0x27);
        assertThat(Symbols.slotOf(addr)).isEqualTo(b);
        assertThat(Symbols.offsetOf(addr)).isEqualTo(0x27);
        assertThat(symbols.format(addr)).isEqualTo("dup_mm+0x27/0x5f0");
        // A symbol keeps its first size; a size or an offset beyond the 64 KiB slot is clamped into it.
        assertThat(symbols.format(symbols.intern("copy_process", 0x1a5, 0x10))).isEqualTo("copy_process+0x1a5/0xd80");
        assertThat(symbols.slotAt(symbols.slot("big", 0x1d800)).size()).isEqualTo(0x10000);
        assertThat(Symbols.offsetOf(Symbols.address(a, 1 << 20))).isEqualTo(0xffff);
    }

    @Test
    void slotOf_coversTheTextUpToTheTopOfTheAddressSpace() {
        assertThat(Symbols.slotOf(Symbols.TEXT_BASE)).isZero();
        assertThat(Symbols.slotOf(Symbols.TEXT_BASE - 1)).isEqualTo(-1);
        assertThat(Symbols.slotOf(0)).isEqualTo(-1);
        assertThat(Symbols.slotOf(0xffff888000001000L)).isEqualTo(-1);
        assertThat(Symbols.slotOf(-1L)).isEqualTo(Symbols.MAX_SLOTS - 1);
        assertThat(Symbols.slotOf(Symbols.address(Symbols.MAX_SLOTS - 1, 0))).isEqualTo(Symbols.MAX_SLOTS - 1);
    }

    @Test
    void unknownAddresses_printAsHex() {
        symbols.slot("f", 0x10);
        assertThat(symbols.format(0)).isEqualTo("0x0");
        assertThat(symbols.format(Symbols.address(1, 4))).isEqualTo("0xffffffff81010004");
        assertThat(symbols.slotAt(1)).isNull();
        assertThat(symbols.slotAt(-1)).isNull();
    }

    @Test
    void slotsTakenIntoAnotherTable_nameTheSameFunctions() {
        // The reader's table and the machine's were filled in different orders.
        Symbols reader = new Symbols();
        long x = reader.intern("kfree", 0x8a, 0x320);
        long y = reader.intern("alloc_skb", 0x1f, 0x40);
        symbols.slot("alloc_skb", 0x40);
        symbols.slot("other", 0x40);
        for (long addr : new long[] {x, y}) {
            Symbols.Slot s = reader.slotAt(Symbols.slotOf(addr));
            long mine = Symbols.address(symbols.slot(s.name(), s.size()), Symbols.offsetOf(addr));
            assertThat(symbols.format(mine)).isEqualTo(reader.format(addr));
        }
        assertThat(symbols.slots()).isEqualTo(3);
    }
}
