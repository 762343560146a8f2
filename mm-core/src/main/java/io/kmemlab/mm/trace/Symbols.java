package io.kmemlab.mm.trace;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A kallsyms of the emulated kernel: call-site addresses for {@code call_site=%pS}. Each symbol
 * gets a synthetic text address ({@code 0xffffffff81000000 + 4 KiB × id}); an address inside it
 * prints as {@code symbol+0xoff/0xsize} as the kernel's %pS does. Replayed traces intern the
 * symbols they name; the shell and workloads intern their own call sites.
 */
public final class Symbols {
    /** _stext without KASLR. */
    public static final long TEXT_BASE = 0xffffffff81000000L;
    /** log2 of the text address space each symbol gets. */
    public static final int SLOT_SHIFT = 12;

    private final List<String> names = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private final Map<String, Integer> ids = new HashMap<>();

    /** Address of {@code symbol+offset}, defining the symbol (with a size) on first use. */
    public long intern(String symbol, int offset, int size) {
        Integer id = ids.get(symbol);
        if (id == null) {
            id = names.size();
            names.add(symbol);
            sizes.add(Math.min(Math.max(size, 1), 1 << SLOT_SHIFT));
            ids.put(symbol, id);
        }
        int off = Math.min(Math.max(offset, 0), (1 << SLOT_SHIFT) - 1);
        return TEXT_BASE + ((long) id << SLOT_SHIFT) + off;
    }

    /** Appends %pS text: {@code sym+0xoff/0xsize}, or {@code 0x…} for an unknown address. */
    public void append(StringBuilder sb, long addr) {
        long rel = addr - TEXT_BASE;
        if (rel >= 0 && (rel >>> SLOT_SHIFT) < names.size()) {
            int id = (int) (rel >>> SLOT_SHIFT);
            int off = (int) (rel & ((1 << SLOT_SHIFT) - 1));
            sb.append(names.get(id))
                    .append("+0x").append(Integer.toHexString(off))
                    .append("/0x").append(Integer.toHexString(sizes.get(id)));
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
