package io.kmemlab.boot;

import io.kmemlab.mm.MachineConfig;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The kernel command line kmemlab understands, parsed from its words ({@code mem=1G nr_cpus=2 …}).
 * Words the chosen slab allocator claims ({@code SlabAllocatorProvider.bootWords()}) are kept in
 * {@link #allocatorWords()} for its provider; {@link #parse} rejects every other unknown word.
 *
 * @param words the command line as given (printed as "Command line:")
 * @param memBytes installed RAM ({@code mem=}; kmemlab's meaning is "the machine has this much RAM",
 *     like QEMU's {@code -m}, not the kernel's "use at most this much")
 * @param nrCpus {@code nr_cpus=}
 * @param minFreeKbytes {@code min_free_kbytes=}, or -1 to let the kernel compute it
 * @param traceEvent {@code trace_event=} list, or null
 * @param slab {@code slab=}: the object allocator's name
 * @param memblockDebug {@code memblock=debug}
 * @param seed {@code seed=} (kmemlab extension): the machine's RNG seed
 * @param allocatorWords words for the slab allocator's provider (name → value, "" for bare words)
 * @param norandmaps {@code norandmaps}: processes get the unrandomised x86-64 layout
 *     (kernel.randomize_va_space starts at 0)
 */
public record BootParams(
        List<String> words,
        long memBytes,
        int nrCpus,
        int minFreeKbytes,
        String traceEvent,
        String slab,
        boolean memblockDebug,
        long seed,
        Map<String, String> allocatorWords,
        boolean norandmaps) {

    /** Default machine: 1 GiB, 2 CPUs, SLUB, seed 0. */
    public static final long DEFAULT_MEM = 1L << 30;

    public static final int DEFAULT_CPUS = 2;
    public static final String DEFAULT_SLAB = "slub";

    /**
     * A boot word kmemlab itself handles, for {@code kmemlab boot --help}.
     *
     * @param name the word before {@code =}
     * @param synopsis how it is written, e.g. {@code mem=SIZE}
     * @param help one line on what it does
     */
    public record Word(String name, String synopsis, String help) {}

    /** The boot words kmemlab itself handles, in the order {@code boot --help} lists them. */
    public static final List<Word> WORDS = List.of(
            new Word("mem", "mem=SIZE", "installed RAM, 16M … 4T, with K/M/G/T suffixes (default 1G)"),
            new Word(
                    "nr_cpus",
                    "nr_cpus=N",
                    "emulated CPUs, 1 … " + MachineConfig.MAX_CPUS + " (default " + DEFAULT_CPUS + ")"),
            new Word("min_free_kbytes", "min_free_kbytes=N", "instead of the computed vm.min_free_kbytes"),
            new Word("trace_event", "trace_event=LIST", "enable kmem events at boot, e.g. kmem:mm_page_*,kmem:kmalloc"),
            new Word("slab", "slab=slub|slab|slob", "the object allocator (default " + DEFAULT_SLAB + ")"),
            new Word("memblock", "memblock=debug", "print memblock's debug lines and the MEMBLOCK configuration dump"),
            new Word("seed", "seed=N", "kmemlab's own: seed of the machine's randomness (same as --seed N)"),
            new Word(
                    "norandmaps",
                    "norandmaps",
                    "no address-space randomisation for user processes (the classic layout)"));

    /** The names of {@link #WORDS}. */
    public static final List<String> KNOWN_WORDS =
            WORDS.stream().map(Word::name).toList();

    /** Outcome of parsing: params, or a user-facing error naming the word. */
    public record Parsed(BootParams params, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    /** Which allocator words a slab allocator claims (boot asks the provider). */
    public interface WordClaims {
        /** True if allocator {@code slab} exists. */
        boolean hasAllocator(String slab);

        /** True if allocator {@code slab} claims boot word {@code name}. */
        boolean claims(String slab, String name);

        /** The name of another allocator that claims the word, or null. */
        String claimedByOther(String slab, String name);
    }

    /**
     * Parses the words. Later words override earlier ones, as on a kernel command line.
     *
     * @param claims what the available slab allocators understand
     */
    public static Parsed parse(List<String> words, WordClaims claims) {
        long mem = DEFAULT_MEM;
        int cpus = DEFAULT_CPUS;
        int minFree = -1;
        String trace = null;
        String slab = DEFAULT_SLAB;
        boolean mbDebug = false;
        long seed = 0;
        boolean norandmaps = false;
        List<String[]> other = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? "" : word.substring(eq + 1);
            switch (name) {
                case "mem" -> {
                    long v = memparse(value);
                    if (v < 0) {
                        return invalid(word, "not a size; use a number with an optional K/M/G/T suffix");
                    }
                    if (v < MachineConfig.MIN_MEM || v > MachineConfig.MAX_MEM) {
                        return invalid(word, "mem= must be between 16M and 4T");
                    }
                    mem = v;
                }
                case "nr_cpus" -> {
                    long v = parseInt(value);
                    if (v < 1 || v > MachineConfig.MAX_CPUS) {
                        return invalid(word, "nr_cpus= must be between 1 and " + MachineConfig.MAX_CPUS);
                    }
                    cpus = (int) v;
                }
                case "min_free_kbytes" -> {
                    long v = parseInt(value);
                    if (v < 0 || v > Integer.MAX_VALUE) {
                        return invalid(word, "min_free_kbytes= must be a number of KiB");
                    }
                    minFree = (int) v;
                }
                case "trace_event" -> {
                    if (value.isEmpty()) {
                        return invalid(word, "trace_event= needs system:event names");
                    }
                    trace = trace == null ? value : trace + "," + value;
                }
                case "slab" -> {
                    if (!List.of("slub", "slab", "slob").contains(value)) {
                        return invalid(word, "slab= takes slub, slab or slob");
                    }
                    slab = value;
                }
                case "memblock" -> {
                    if (!value.equals("debug")) {
                        return invalid(word, "memblock= only takes debug");
                    }
                    mbDebug = true;
                }
                case "seed" -> {
                    Long v = parseLong(value);
                    if (v == null) {
                        return invalid(word, "seed= must be a number");
                    }
                    seed = v;
                }
                case "norandmaps" -> {
                    if (eq >= 0) {
                        return invalid(word, "norandmaps takes no value");
                    }
                    norandmaps = true;
                }
                default -> other.add(new String[] {word, name, value});
            }
        }
        Map<String, String> allocatorWords = new LinkedHashMap<>();
        for (String[] w : other) {
            if (claims.hasAllocator(slab) && claims.claims(slab, w[1])) {
                allocatorWords.put(w[1], w[2]);
                continue;
            }
            String owner = claims.claimedByOther(slab, w[1]);
            if (owner != null) {
                return new Parsed(
                        null, "kmemlab: boot parameter '" + w[0] + "' belongs to slab=" + owner + ", not slab=" + slab);
            }
            return new Parsed(null, "kmemlab: unknown boot parameter '" + w[0] + "'");
        }
        BootParams p = new BootParams(
                List.copyOf(words),
                mem,
                cpus,
                minFree,
                trace,
                slab,
                mbDebug,
                seed,
                Collections.unmodifiableMap(allocatorWords),
                norandmaps);
        return new Parsed(p, null);
    }

    /**
     * The words a machine with {@code slab=slab} takes from {@code words} when the {@code selected}
     * allocators run side by side (compare): kmemlab's own words, the words {@code slab} claims, and
     * words no selected allocator claims (which {@link #parse} then rejects, as for one machine);
     * a word only other selected allocators claim is theirs and left out.
     */
    public static List<String> wordsFor(String slab, List<String> selected, List<String> words, WordClaims claims) {
        List<String> out = new ArrayList<>();
        for (String word : words) {
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            boolean others = false;
            for (String s : selected) {
                others |= !s.equals(slab) && claims.claims(s, name);
            }
            if (KNOWN_WORDS.contains(name) || claims.claims(slab, name) || !others) {
                out.add(word);
            }
        }
        return out;
    }

    private static Parsed invalid(String word, String why) {
        return new Parsed(null, "kmemlab: invalid boot parameter '" + word + "' (" + why + ")");
    }

    /**
     * memparse: a number (decimal, or 0x hex) with an optional K/M/G/T/P/E suffix (either case).
     *
     * @return bytes, or -1 if the text is not a size
     */
    public static long memparse(String text) {
        if (text == null || text.isEmpty()) {
            return -1;
        }
        String t = text;
        int shift = 0;
        char last = Character.toUpperCase(t.charAt(t.length() - 1));
        int idx = "KMGTPE".indexOf(last);
        if (idx >= 0) {
            shift = 10 * (idx + 1);
            t = t.substring(0, t.length() - 1);
        }
        Long v = parseLong(t);
        if (v == null || v < 0) {
            return -1;
        }
        if (shift > 0 && v > (Long.MAX_VALUE >>> shift)) {
            return -1;
        }
        return v << shift;
    }

    private static long parseInt(String text) {
        Long v = parseLong(text);
        return v == null ? -1 : v;
    }

    /** Decimal or 0x-hex long; null if not a number. */
    static Long parseLong(String text) {
        if (text == null || text.isEmpty()) {
            return null;
        }
        try {
            String t = text.toLowerCase(Locale.ROOT);
            if (t.startsWith("0x")) {
                return Long.parseUnsignedLong(t.substring(2), 16);
            }
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The machine shape these parameters describe. */
    public MachineConfig machineConfig() {
        return new MachineConfig(memBytes, nrCpus, 1, seed);
    }

    /** The command line as the kernel prints it. */
    public String commandLine() {
        return String.join(" ", words);
    }
}
