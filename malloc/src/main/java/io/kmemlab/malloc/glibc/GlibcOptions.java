package io.kmemlab.malloc.glibc;

import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The settings of one glibc malloc: {@code GLIBC_TUNABLES} as the process would get it, the
 * mallopt(3) calls a program makes before its first allocation, the CPU count arena_get2 asks
 * for, and the machine's THP mode (for {@code glibc.malloc.hugetlb=1}).
 *
 * <p>Option keys ({@link #KEYS}): {@code tunables} ({@code glibc.malloc.tcache_count=0:glibc.malloc.mmap_threshold=65536},
 * the GLIBC_TUNABLES syntax), {@code mallopt} ({@code M_ARENA_MAX=1,M_MXFAST=0}; names with or
 * without {@code M_}, or numbers), {@code cpus} (default 2, this machine's), {@code thp}
 * ({@code madvise} (default), {@code always} or {@code never}), and each tunable's own name
 * ({@code tcache_count=0} or {@code glibc.malloc.tcache_count=0}).
 *
 * <p>As in 2.36's dl-tunables.c, a value outside a tunable's declared range leaves it unset, and
 * the do_set_* helpers refuse what they refuse (tcache_count above 65535, mxfast above 160). A
 * name glibc does not know is refused here (glibc would ignore it silently).
 */
public final class GlibcOptions {
    /** The tunables of 2.36's dl-tunables.list, in the order ptmalloc_init applies them. */
    static final List<String> TUNABLES = List.of(
            "top_pad",
            "perturb",
            "mmap_threshold",
            "trim_threshold",
            "mmap_max",
            "arena_max",
            "arena_test",
            "tcache_max",
            "tcache_count",
            "tcache_unsorted_limit",
            "mxfast",
            "hugetlb",
            "check");

    public static final Set<String> KEYS = keys();

    private final Map<String, Long> tunables = new LinkedHashMap<>();
    private final List<long[]> mallopts = new ArrayList<>();
    private int cpus = 2;
    private String thp = "madvise";

    private static Set<String> keys() {
        List<String> k = new ArrayList<>(List.of("tunables", "mallopt", "cpus", "thp"));
        for (String t : TUNABLES) {
            k.add(t);
            k.add("glibc.malloc." + t);
        }
        return Set.copyOf(k);
    }

    private GlibcOptions() {}

    /**
     * Reads provider options.
     *
     * @throws IllegalArgumentException naming the bad option
     */
    public static GlibcOptions parse(Map<String, String> options) {
        GlibcOptions o = new GlibcOptions();
        for (Map.Entry<String, String> e : options.entrySet()) {
            String k = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            switch (k) {
                case "tunables" -> o.tunables(v);
                case "mallopt" -> o.mallopt(v);
                case "cpus" -> o.cpus = (int) number("cpus", v, 1, 4096);
                case "thp" -> {
                    if (!Set.of("madvise", "always", "never").contains(v)) {
                        throw new IllegalArgumentException("thp=" + v + ": expected madvise, always or never");
                    }
                    o.thp = v;
                }
                default -> {
                    if (!KEYS.contains(k)) {
                        throw new IllegalArgumentException(
                                "glibc: unknown option '" + k
                                        + "' (options: tunables, mallopt, cpus, thp, or a tunable's name such as tcache_count)");
                    }
                    o.tunable(k.startsWith("glibc.malloc.") ? k : "glibc.malloc." + k, v);
                }
            }
        }
        return o;
    }

    /** {@code GLIBC_TUNABLES} text: {@code name=value} pairs separated by colons. */
    public GlibcOptions tunables(String text) {
        for (String pair : text.split(":")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("tunables: '" + pair + "' is not name=value");
            }
            tunable(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
        }
        return this;
    }

    private void tunable(String name, String value) {
        if (!name.startsWith("glibc.malloc.") || !TUNABLES.contains(name.substring(13))) {
            throw new IllegalArgumentException("unknown tunable '" + name + "' (glibc 2.36 knows glibc.malloc."
                    + String.join(", glibc.malloc.", TUNABLES) + ")");
        }
        String t = name.substring(13);
        long v = strtoul(name, value);
        // dl-tunables.list's bounds: outside them the tunable stays unset, as in do_tunable_update_val
        boolean inRange = switch (t) {
            case "perturb" -> v >= 0 && v <= 0xff;
            case "check" -> v >= 0 && v <= 3;
            case "mmap_max" -> v >= 0 && v <= Integer.MAX_VALUE;
            case "arena_max", "arena_test" -> v != 0;
            default -> true;
        };
        if (inRange) {
            tunables.put(t, v);
        } else {
            tunables.remove(t);
        }
    }

    /** mallopt calls: {@code M_NAME=value} separated by commas, colons or blanks. */
    public GlibcOptions mallopt(String text) {
        for (String pair : text.split("[,:\\s]+")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("mallopt: '" + pair + "' is not M_NAME=value");
            }
            int param = Mallopt.param(pair.substring(0, eq));
            long value = number(
                    "mallopt " + pair.substring(0, eq), pair.substring(eq + 1), Integer.MIN_VALUE, Integer.MAX_VALUE);
            mallopts.add(new long[] {param, value});
        }
        return this;
    }

    /** _dl_strtoul: decimal, 0x hex or 0 octal. */
    private static long strtoul(String what, String v) {
        try {
            String s = v.toLowerCase(Locale.ROOT);
            if (s.startsWith("0x")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            if (s.length() > 1 && s.startsWith("0")) {
                return Long.parseUnsignedLong(s.substring(1), 8);
            }
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + "=" + v + ": not a number");
        }
    }

    private static long number(String what, String v, long min, long max) {
        long n;
        try {
            n = Long.decode(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + "=" + v + ": not a number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(what + "=" + v + ": out of range " + min + ".." + max);
        }
        return n;
    }

    /** The allocator for one process, tunables applied as ptmalloc_init does, then the mallopt calls. */
    public GlibcMalloc build(UserSpace space) {
        GlibcMalloc g = new GlibcMalloc(space, cpus);
        g.initTunables(() -> apply(g));
        for (long[] m : mallopts) {
            g.mallopt((int) m[0], (int) m[1]);
        }
        return g;
    }

    private void apply(GlibcMalloc g) {
        MallocPar mp = g.mp;
        for (String t : TUNABLES) {
            Long boxed = tunables.get(t);
            if (boxed == null) {
                continue;
            }
            long v = boxed;
            switch (t) {
                case "top_pad" -> mp.setTopPad(v);
                case "perturb" -> mp.setPerturbByte((int) v);
                case "mmap_threshold" -> mp.setMmapThreshold(v);
                case "trim_threshold" -> mp.setTrimThreshold(v);
                case "mmap_max" -> mp.setMmapsMax((int) v);
                case "arena_max" -> mp.setArenaMax(v);
                case "arena_test" -> mp.setArenaTest(v);
                case "tcache_max" -> mp.setTcacheMax(v);
                case "tcache_count" -> mp.setTcacheCount(v);
                case "tcache_unsorted_limit" -> mp.setTcacheUnsortedLimit(v);
                case "mxfast" -> mp.setMxfast(v);
                case "hugetlb" -> hugetlb(g, v);
                default -> {} // check: needs libc_malloc_debug.so, which is not loaded
            }
        }
        if (mp.hpPagesize > 0) {
            g.alwaysFailMorecore = true;
        }
    }

    /** do_set_hugetlb(): 1 = THP by madvise if the machine's mode is madvise; ≥2 = MAP_HUGETLB. */
    private void hugetlb(GlibcMalloc g, long v) {
        if (v == 1) {
            if (thp.equals("madvise")) {
                g.mp.thpPagesize = 2L << 20;
            }
        } else if (v >= 2) {
            long size = v == 2 ? 2L << 20 : v;
            if (size == 2L << 20 || size == 1L << 30) {
                g.mp.hpPagesize = size;
                g.mp.hpFlags = io.kmemlab.mm.user.Mman.MAP_HUGETLB | (Long.numberOfTrailingZeros(size) << 26);
            }
        }
    }
}
