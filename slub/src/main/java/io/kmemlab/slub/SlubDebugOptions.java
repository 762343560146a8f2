package io.kmemlab.slub;

import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code slab_debug=} / {@code slub_debug=} boot option ({@code setup_slub_debug} and
 * {@code kmem_cache_flags}): a global flag set plus per-cache blocks.
 *
 * <pre>
 *  slab_debug[=&lt;opts&gt;[,&lt;cache&gt;[,&lt;cache&gt;…]][;&lt;opts&gt;,&lt;caches&gt;…]]
 *  letters: F sanity checks, Z red zone, P poison, U store user, T trace, A failslab,
 *           O no debug where the order would grow, - none; empty = FZPU
 * </pre>
 *
 * @param globalFlags flags for every cache not named in a block
 * @param blocks per-cache blocks in command-line order (the first match wins)
 * @param disableHigherOrder the {@code O} letter was given
 * @param warnings "option unknown" messages to print at boot
 */
public record SlubDebugOptions(int globalFlags, List<Block> blocks, boolean disableHigherOrder, List<String> warnings) {

    /** DEBUG_DEFAULT_FLAGS = F | Z | P | U. */
    public static final int DEFAULT_FLAGS =
            SlabFlags.CONSISTENCY_CHECKS | SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER;

    /** No debugging (no slab_debug on the command line). */
    public static final SlubDebugOptions NONE = new SlubDebugOptions(0, List.of(), false, List.of());

    /** One {@code opts,cache,cache} block; names may end with {@code *} (prefix match). */
    public record Block(int flags, List<String> caches) {
        boolean matches(String name) {
            for (String c : caches) {
                if (c.endsWith("*") ? name.startsWith(c.substring(0, c.length() - 1)) : name.equals(c)) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Parses the value of slab_debug= ("" for the bare word). */
    public static SlubDebugOptions parse(String value) {
        if (value == null) {
            return NONE;
        }
        int global = 0;
        boolean globalSeen = false;
        boolean higher = false;
        List<Block> blocks = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (value.isEmpty()) {
            return new SlubDebugOptions(DEFAULT_FLAGS, List.of(), false, List.of());
        }
        for (String block : value.split(";", -1)) {
            int comma = block.indexOf(',');
            String opts = comma < 0 ? block : block.substring(0, comma);
            int flags = 0;
            boolean none = false;
            if (opts.isEmpty()) {
                flags = DEFAULT_FLAGS;
            } else {
                for (char given : opts.toCharArray()) {
                    // as parse_slub_debug_flags(): switch on tolower(*str), but name *str as written
                    switch (Character.toLowerCase(given)) {
                        case 'f' -> flags |= SlabFlags.CONSISTENCY_CHECKS;
                        case 'z' -> flags |= SlabFlags.RED_ZONE;
                        case 'p' -> flags |= SlabFlags.POISON;
                        case 'u' -> flags |= SlabFlags.STORE_USER;
                        case 't' -> flags |= SlabFlags.TRACE;
                        case 'a' -> {} // SLAB_FAILSLAB is 0 without CONFIG_FAILSLAB
                        case 'o' -> higher = true;
                        case '-' -> none = true;
                        default -> warnings.add("slab_debug option '" + given + "' unknown. skipped");
                    }
                }
                if (none) {
                    flags = 0;
                }
            }
            if (comma < 0) {
                global = flags;
                globalSeen = true;
            } else {
                List<String> names = new ArrayList<>();
                for (String n : block.substring(comma + 1).split(",")) {
                    if (!n.isBlank()) {
                        names.add(n.trim());
                    }
                }
                blocks.add(new Block(flags, List.copyOf(names)));
            }
        }
        if (!globalSeen) {
            global = 0;
        }
        return new SlubDebugOptions(global, List.copyOf(blocks), higher, List.copyOf(warnings));
    }

    /** True if any debugging was requested. */
    public boolean any() {
        if (globalFlags != 0) {
            return true;
        }
        for (Block b : blocks) {
            if (b.flags() != 0) {
                return true;
            }
        }
        return false;
    }

    /** kmem_cache_flags(flags, name). */
    public int apply(int flags, String name) {
        if ((flags & SlabFlags.NO_USER_FLAGS) != 0) {
            return flags;
        }
        for (Block b : blocks) {
            if (b.matches(name)) {
                return flags | b.flags();
            }
        }
        int g = globalFlags;
        if ((flags & SlabFlags.NOLEAKTRACE) != 0) {
            g &= ~SlabFlags.STORE_USER;
        }
        return flags | g;
    }
}
