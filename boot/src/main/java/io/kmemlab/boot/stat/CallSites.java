package io.kmemlab.boot.stat;

import io.kmemlab.mm.trace.Symbols;

/**
 * Call-site addresses as the trace named them: {@code symbol+0xoff} text read into a
 * {@link Symbols} table, or a raw address. perf resolves the addresses of its perf.data against
 * kallsyms and orders call sites by address; trace text carries the symbol and offset only, so
 * here two symbolised call sites order by symbol name, then offset (the same order as perf's within
 * one function), and raw addresses by value, before any symbol.
 */
final class CallSites {
    private final Symbols symbols;

    CallSites(Symbols symbols) {
        this.symbols = symbols;
    }

    /** The slot's symbol name of {@code addr}, or null if it is a raw address. */
    String name(long addr) {
        Symbols.Slot s = symbols.slotAt(Symbols.slotOf(addr));
        return s == null ? null : s.name();
    }

    /** perf's slab table: {@code symbol+hexoffset}, or {@code %#x} of the address. */
    String symbolOffset(long addr, boolean rawIp) {
        String name = rawIp ? null : name(addr);
        if (name == null) {
            return addr == 0 ? "0" : "0x" + Long.toHexString(addr);
        }
        return name + "+" + Integer.toHexString(Symbols.offsetOf(addr));
    }

    /** perf's page tables: the symbol name, or {@code %x} of the address. */
    String function(long addr) {
        String name = name(addr);
        return name != null ? name : Long.toHexString(addr);
    }

    int compare(long a, long b) {
        String na = name(a);
        String nb = name(b);
        if (na == null || nb == null) {
            if (na == null && nb == null) {
                return Long.compareUnsigned(a, b);
            }
            return na == null ? -1 : 1;
        }
        int r = na.compareTo(nb);
        return r != 0 ? r : Integer.compare(Symbols.offsetOf(a), Symbols.offsetOf(b));
    }
}
