package io.kmemlab.mm.user;

import java.util.Locale;

/**
 * The user-space ABI of the memory system calls: x86-64's {@code <asm/mman.h>} and
 * {@code asm-generic/mman-common.h} values, and the words the shell spells them with
 * ({@code rw}, {@code private|anonymous|populate}, {@code dontneed}).
 */
public final class Mman {
    public static final int PROT_NONE = 0x0;
    public static final int PROT_READ = 0x1;
    public static final int PROT_WRITE = 0x2;
    public static final int PROT_EXEC = 0x4;

    public static final int MAP_SHARED = 0x01;
    public static final int MAP_PRIVATE = 0x02;
    public static final int MAP_SHARED_VALIDATE = 0x03;
    public static final int MAP_TYPE = 0x0f;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_GROWSDOWN = 0x0100;
    public static final int MAP_LOCKED = 0x2000;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MAP_POPULATE = 0x8000;
    public static final int MAP_NONBLOCK = 0x10000;
    public static final int MAP_STACK = 0x20000;
    public static final int MAP_HUGETLB = 0x40000;
    public static final int MAP_FIXED_NOREPLACE = 0x100000;

    public static final int MADV_NORMAL = 0;
    public static final int MADV_RANDOM = 1;
    public static final int MADV_SEQUENTIAL = 2;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_DONTNEED = 4;
    public static final int MADV_FREE = 8;
    public static final int MADV_POPULATE_READ = 22;
    public static final int MADV_POPULATE_WRITE = 23;

    public static final int MREMAP_MAYMOVE = 1;
    public static final int MREMAP_FIXED = 2;
    public static final int MREMAP_DONTUNMAP = 4;

    /** What mmap returns on failure ((void *) -1); the raw system call returns -errno. */
    public static final long MAP_FAILED = -1;

    private static final String[] MAP_NAMES = {
        "shared",
        "private",
        "fixed",
        "anonymous",
        "growsdown",
        "locked",
        "noreserve",
        "populate",
        "nonblock",
        "stack",
        "hugetlb",
        "fixed_noreplace",
    };
    private static final int[] MAP_VALUES = {
        MAP_SHARED,
        MAP_PRIVATE,
        MAP_FIXED,
        MAP_ANONYMOUS,
        MAP_GROWSDOWN,
        MAP_LOCKED,
        MAP_NORESERVE,
        MAP_POPULATE,
        MAP_NONBLOCK,
        MAP_STACK,
        MAP_HUGETLB,
        MAP_FIXED_NOREPLACE,
    };
    private static final String[] MADV_NAMES = {
        "normal", "random", "sequential", "willneed", "dontneed", "free", "populate_read", "populate_write",
    };
    private static final int[] MADV_VALUES = {
        MADV_NORMAL,
        MADV_RANDOM,
        MADV_SEQUENTIAL,
        MADV_WILLNEED,
        MADV_DONTNEED,
        MADV_FREE,
        MADV_POPULATE_READ,
        MADV_POPULATE_WRITE,
    };

    private Mman() {}

    /**
     * Protection from {@code none}, or letters of {@code rwx} ({@code rw}, {@code r}), or
     * {@code PROT_READ|PROT_WRITE}, or a number.
     *
     * @return the bits, or -1 if the text is not a protection
     */
    public static int parseProt(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        if (t.equals("none") || t.equals("prot_none") || t.equals("-")) {
            return PROT_NONE;
        }
        Integer n = number(t);
        if (n != null) {
            return n;
        }
        int prot = 0;
        if (t.matches("[rwx-]+")) {
            for (char c : t.toCharArray()) {
                prot |= c == 'r' ? PROT_READ : c == 'w' ? PROT_WRITE : c == 'x' ? PROT_EXEC : 0;
            }
            return prot;
        }
        for (String w : t.split("\\|")) {
            switch (w.startsWith("prot_") ? w.substring(5) : w) {
                case "read" -> prot |= PROT_READ;
                case "write" -> prot |= PROT_WRITE;
                case "exec" -> prot |= PROT_EXEC;
                case "none" -> {}
                default -> {
                    return -1;
                }
            }
        }
        return prot;
    }

    /**
     * mmap flags from {@code private|anonymous|populate} (with or without {@code MAP_}, any case;
     * {@code anon} for anonymous) or a number.
     *
     * @return the flags, or -1 if a word is not a flag
     */
    public static int parseMapFlags(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Integer n = number(t);
        if (n != null) {
            return n;
        }
        int flags = 0;
        for (String w : t.split("\\|")) {
            String word = w.startsWith("map_") ? w.substring(4) : w;
            if (word.equals("anon")) {
                word = "anonymous";
            }
            int v = lookup(MAP_NAMES, MAP_VALUES, word);
            if (v < 0) {
                return -1;
            }
            flags |= v;
        }
        return flags;
    }

    /** An madvise advice from its name ({@code dontneed}, {@code MADV_FREE}, …) or number; -1 if none. */
    public static int parseAdvice(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Integer n = number(t);
        if (n != null) {
            return n;
        }
        return lookup(MADV_NAMES, MADV_VALUES, t.startsWith("madv_") ? t.substring(5) : t);
    }

    /** mremap flags from {@code maymove|fixed} or a number; -1 if a word is not a flag. */
    public static int parseRemapFlags(String text) {
        String t = text.toLowerCase(Locale.ROOT);
        Integer n = number(t);
        if (n != null) {
            return n;
        }
        int flags = 0;
        for (String w : t.split("\\|")) {
            switch (w.startsWith("mremap_") ? w.substring(7) : w) {
                case "maymove" -> flags |= MREMAP_MAYMOVE;
                case "fixed" -> flags |= MREMAP_FIXED;
                case "dontunmap" -> flags |= MREMAP_DONTUNMAP;
                default -> {
                    return -1;
                }
            }
        }
        return flags;
    }

    /** {@code MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE}: the flags by name, unknown bits in hex. */
    public static String mapFlagsText(int flags) {
        StringBuilder sb = new StringBuilder();
        int rest = flags;
        int type = flags & MAP_TYPE;
        if (type == MAP_SHARED_VALIDATE) {
            sb.append("MAP_SHARED_VALIDATE");
            rest &= ~MAP_TYPE;
        }
        for (int i = 0; i < MAP_NAMES.length; i++) {
            if ((rest & MAP_VALUES[i]) == MAP_VALUES[i] && MAP_VALUES[i] != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append("MAP_").append(MAP_NAMES[i].toUpperCase(Locale.ROOT));
                rest &= ~MAP_VALUES[i];
            }
        }
        if (rest != 0 || sb.length() == 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    /** {@code PROT_READ|PROT_WRITE}, or {@code PROT_NONE}. */
    public static String protText(int prot) {
        if (prot == PROT_NONE) {
            return "PROT_NONE";
        }
        StringBuilder sb = new StringBuilder();
        String[] names = {"PROT_READ", "PROT_WRITE", "PROT_EXEC"};
        for (int i = 0; i < 3; i++) {
            if ((prot & (1 << i)) != 0) {
                sb.append(sb.length() == 0 ? "" : "|").append(names[i]);
            }
        }
        int rest = prot & ~7;
        if (rest != 0) {
            sb.append(sb.length() == 0 ? "" : "|").append("0x").append(Integer.toHexString(rest));
        }
        return sb.toString();
    }

    /** {@code MADV_DONTNEED}, or the number. */
    public static String adviceText(int advice) {
        for (int i = 0; i < MADV_VALUES.length; i++) {
            if (MADV_VALUES[i] == advice) {
                return "MADV_" + MADV_NAMES[i].toUpperCase(Locale.ROOT);
            }
        }
        return Integer.toString(advice);
    }

    private static int lookup(String[] names, int[] values, String word) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(word)) {
                return values[i];
            }
        }
        return -1;
    }

    private static Integer number(String t) {
        try {
            if (t.startsWith("0x")) {
                return Integer.parseUnsignedInt(t.substring(2), 16);
            }
            if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
                return Integer.parseInt(t);
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }
}
