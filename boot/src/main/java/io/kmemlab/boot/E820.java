package io.kmemlab.boot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The emulated BIOS memory map (e820) of a PC with {@code mem} bytes of RAM, laid out as QEMU's
 * i440FX machine does it:
 *
 * <pre>
 *  0x0000_0000 ─ 0x0009_fbff  usable      conventional memory (639 KiB)
 *  0x0009_fc00 ─ 0x0009_ffff  reserved    EBDA
 *  0x000a_0000 ─ 0x000e_ffff  (no entry)  VGA window and option ROMs
 *  0x000f_0000 ─ 0x000f_ffff  reserved    system BIOS
 *  0x0010_0000 ─ low end      usable      RAM from 1 MiB up to min(mem, 3 GiB)
 *  0xfeff_c000 ─ 0xfeff_ffff  reserved    firmware
 *  0xfffc_0000 ─ 0xffff_ffff  reserved    BIOS flash
 *  4 GiB ─ 4 GiB + (mem − 3 GiB)  usable  RAM above the 3-4 GiB PCI hole, when mem &gt; 3 GiB
 * </pre>
 *
 * The 640 KiB-1 MiB window is lost from {@code mem} and the RAM under the PCI hole is relocated
 * above 4 GiB, as in QEMU; so a 24 GiB machine has present pages DMA 3998, DMA32 782336, Normal
 * 5505024 (the reference's worked example).
 */
public final class E820 {
    /** Top of RAM below the PCI hole. */
    public static final long LOW_RAM_TOP = 3L << 30;

    public static final long FOUR_G = 1L << 32;
    public static final long EBDA_START = 0x9fc00;
    public static final long ISA_START = 0xa0000;
    public static final long BIOS_START = 0xf0000;
    public static final long ISA_END = 0x100000;

    /** E820 entry types as e820__print_type() names them. */
    public enum Type {
        RAM("usable"),
        RESERVED("reserved"),
        ACPI("ACPI data"),
        NVS("ACPI NVS");

        private final String label;

        Type(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** One entry, [start, end) in bytes. */
    public record Entry(long start, long end, Type type) {
        /** {@code BIOS-e820: [mem %#018Lx-%#018Lx] type}. */
        public String line() {
            return String.format(Locale.ROOT, "BIOS-e820: [mem %#018x-%#018x] %s", start, end - 1, type.label());
        }
    }

    private E820() {}

    /** The firmware's map for a machine with {@code mem} bytes of RAM. */
    public static List<Entry> pcLayout(long mem) {
        List<Entry> map = new ArrayList<>();
        long low = Math.min(mem, LOW_RAM_TOP);
        map.add(new Entry(0, EBDA_START, Type.RAM));
        map.add(new Entry(EBDA_START, ISA_START, Type.RESERVED));
        map.add(new Entry(BIOS_START, ISA_END, Type.RESERVED));
        map.add(new Entry(ISA_END, low, Type.RAM));
        map.add(new Entry(0xfeffc000L, 0xff000000L, Type.RESERVED));
        map.add(new Entry(0xfffc0000L, FOUR_G, Type.RESERVED));
        if (mem > LOW_RAM_TOP) {
            map.add(new Entry(FOUR_G, FOUR_G + (mem - LOW_RAM_TOP), Type.RAM));
        }
        return map;
    }

    /** One past the last byte of RAM in the map (max_pfn &lt;&lt; PAGE_SHIFT). */
    public static long endOfRam(List<Entry> map) {
        long end = 0;
        for (Entry e : map) {
            if (e.type() == Type.RAM) {
                end = Math.max(end, e.end());
            }
        }
        return end;
    }
}
