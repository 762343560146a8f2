package io.kmemlab.mm.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A kallsyms of the emulated kernel: call-site addresses for {@code call_site=%pS}. Each symbol
 * gets a slot of synthetic text ({@code 0xffffffff81000000 + 64 KiB × slot}, room for the kernel's
 * largest functions); an address inside it
 * prints as {@code symbol+0xoff/0xsize} as the kernel's %pS does. Replayed traces intern the
 * symbols they name; the shell and workloads intern their own call sites.
 *
 * <pre>
 *  address = TEXT_BASE + slot &lt;&lt; SLOT_SHIFT + offset          (offset &lt; 64 KiB)
 *            └ _stext    └ {@link #slot(String, int)}  └ within the function
 * </pre>
 *
 * <p>The slots are this class's: the parser asks for a slot by name and size, and a machine that
 * replays call sites read against another kallsyms takes that table's {@link Slot}s (name and
 * size, {@link #slotAt}) into its own, slot by slot, with no text in between.
 */
public final class Symbols {
    /** _stext without KASLR. */
    public static final long TEXT_BASE = 0xffffffff81000000L;
    /** log2 of the text address space each symbol gets. */
    private static final int SLOT_SHIFT = 16;

    private static final int OFFSET_MASK = (1 << SLOT_SHIFT) - 1;
    /** Slots an address can name: the text from TEXT_BASE to the top of the address space. */
    public static final int MAX_SLOTS = (int) ((-TEXT_BASE) >>> SLOT_SHIFT);

    /** One function of the text: its name and size (at most 64 KiB). */
    public record Slot(String name, int size) {}

    private final List<Slot> slots = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    /**
     * The slot of {@code symbol}, defining it (with a size, clamped to 1 … 64 KiB) on first use; a
     * symbol keeps the size it was defined with.
     */
    public int slot(String symbol, int size) {
        Integer id = ids.get(symbol);
        if (id == null) {
            id = slots.size();
            slots.add(new Slot(symbol, Math.min(Math.max(size, 1), 1 << SLOT_SHIFT)));
            ids.put(symbol, id);
        }
        return id;
    }

    /** Address of {@code symbol+offset}, defining the symbol (with a size) on first use. */
    public long intern(String symbol, int offset, int size) {
        return address(slot(symbol, size), offset);
    }

    /** Number of slots defined. */
    public int slots() {
        return slots.size();
    }

    /** The slot's symbol, or null if {@code slot} is not defined here. */
    public Slot slotAt(int slot) {
        return slot >= 0 && slot < slots.size() ? slots.get(slot) : null;
    }

    /** Address {@code offset} bytes into {@code slot} (offset clamped to the slot). */
    public static long address(int slot, int offset) {
        return TEXT_BASE + ((long) slot << SLOT_SHIFT) + Math.min(Math.max(offset, 0), OFFSET_MASK);
    }

    /** The slot an address lies in (defined or not), or -1 if it is not in the slots' text. */
    public static int slotOf(long addr) {
        long rel = addr - TEXT_BASE;
        return Long.compareUnsigned(rel, (long) MAX_SLOTS << SLOT_SHIFT) < 0 ? (int) (rel >>> SLOT_SHIFT) : -1;
    }

    /** The offset of an address in its slot. */
    public static int offsetOf(long addr) {
        return (int) (addr & OFFSET_MASK);
    }

    /** Appends %pS text: {@code sym+0xoff/0xsize}, or {@code 0x…} for an unknown address. */
    public void append(StringBuilder sb, long addr) {
        Slot s = slotAt(slotOf(addr));
        if (s != null) {
            sb.append(s.name())
                    .append("+0x")
                    .append(Integer.toHexString(offsetOf(addr)))
                    .append("/0x")
                    .append(Integer.toHexString(s.size()));
        } else {
            sb.append("0x").append(Long.toHexString(addr));
        }
    }

    public String format(long addr) {
        StringBuilder sb = new StringBuilder();
        append(sb, addr);
        return sb.toString();
    }
}
