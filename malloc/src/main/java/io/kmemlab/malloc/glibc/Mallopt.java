package io.kmemlab.malloc.glibc;

import java.util.Locale;

/** The {@code M_*} parameters of mallopt(3), {@code <malloc.h>}'s values. */
public final class Mallopt {
    public static final int M_MXFAST = 1;
    public static final int M_NLBLKS = 2;
    public static final int M_GRAIN = 3;
    public static final int M_KEEP = 4;
    public static final int M_TRIM_THRESHOLD = -1;
    public static final int M_TOP_PAD = -2;
    public static final int M_MMAP_THRESHOLD = -3;
    public static final int M_MMAP_MAX = -4;
    public static final int M_CHECK_ACTION = -5;
    public static final int M_PERTURB = -6;
    public static final int M_ARENA_TEST = -7;
    public static final int M_ARENA_MAX = -8;

    private static final String[] NAMES = {
        "M_MXFAST",
        "M_NLBLKS",
        "M_GRAIN",
        "M_KEEP",
        "M_TRIM_THRESHOLD",
        "M_TOP_PAD",
        "M_MMAP_THRESHOLD",
        "M_MMAP_MAX",
        "M_CHECK_ACTION",
        "M_PERTURB",
        "M_ARENA_TEST",
        "M_ARENA_MAX",
    };
    private static final int[] VALUES = {
        M_MXFAST,
        M_NLBLKS,
        M_GRAIN,
        M_KEEP,
        M_TRIM_THRESHOLD,
        M_TOP_PAD,
        M_MMAP_THRESHOLD,
        M_MMAP_MAX,
        M_CHECK_ACTION,
        M_PERTURB,
        M_ARENA_TEST,
        M_ARENA_MAX,
    };

    private Mallopt() {}

    /**
     * {@code M_ARENA_MAX} (or {@code ARENA_MAX}, any case) or a number.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static int param(String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        for (int i = 0; i < NAMES.length; i++) {
            if (NAMES[i].equals(t) || NAMES[i].substring(2).equals(t)) {
                return VALUES[i];
            }
        }
        try {
            return Integer.parseInt(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "mallopt: unknown parameter '" + text + "' (known: " + String.join(", ", NAMES) + ")");
        }
    }

    /** The name of a parameter value, e.g. "M_ARENA_MAX" for -8. */
    public static String name(int param) {
        for (int i = 0; i < VALUES.length; i++) {
            if (VALUES[i] == param) {
                return NAMES[i];
            }
        }
        return Integer.toString(param);
    }
}
