package io.kmemlab.mm;

/** enum zone_type on x86-64 with ZONE_DEVICE: MAX_NR_ZONES = 5. */
public enum ZoneType {
    DMA("DMA"),
    DMA32("DMA32"),
    NORMAL("Normal"),
    MOVABLE("Movable"),
    DEVICE("Device");

    public static final int COUNT = 5;
    /** MAX_DMA_PFN: 16 MiB. */
    public static final int MAX_DMA_PFN = (16 << 20) >>> Addr.PAGE_SHIFT;
    /** MAX_DMA32_PFN: 4 GiB. */
    public static final int MAX_DMA32_PFN = 1 << 20;

    private static final ZoneType[] VALUES = values();
    private final String procName;

    ZoneType(String procName) {
        this.procName = procName;
    }

    /** Name as in zone_names[]. */
    public String procName() {
        return procName;
    }

    public static ZoneType of(int idx) {
        return VALUES[idx];
    }
}
