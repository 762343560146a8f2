package io.kmemlab.mm;

/** enum migratetype (Linux 6.18 without CMA) with the names /proc/pagetypeinfo prints. */
public enum MigrateType {
    UNMOVABLE("Unmovable", 'U'),
    MOVABLE("Movable", 'M'),
    RECLAIMABLE("Reclaimable", 'E'),
    HIGHATOMIC("HighAtomic", 'H'),
    ISOLATE("Isolate", 'I');

    /** MIGRATE_PCPTYPES: the types that have per-CPU lists. */
    public static final int PCPTYPES = 3;
    /** MIGRATE_TYPES. */
    public static final int COUNT = 5;

    private static final MigrateType[] VALUES = values();

    private final String procName;
    private final char letter;

    MigrateType(String procName, char letter) {
        this.procName = procName;
        this.letter = letter;
    }

    /** Name as in /proc/pagetypeinfo. */
    public String procName() {
        return procName;
    }

    /** Letter of show_free_areas' type summary (UMEHCI). */
    public char letter() {
        return letter;
    }

    public static MigrateType of(int mt) {
        return VALUES[mt];
    }
}
