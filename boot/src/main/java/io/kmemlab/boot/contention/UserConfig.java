package io.kmemlab.boot.contention;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One user-space configuration of {@code kmemlab contention}: a short name for {@code --config},
 * the label its table rows carry, and the allocator with its options.
 *
 * @param name the {@code --config} value ({@code glibc-1arena})
 * @param label the rows' config column ({@code glibc arena_max=1})
 * @param allocator the user-space allocator's name ({@code glibc}, {@code jemalloc}, {@code first-fit}…)
 * @param options its options as {@code --allocator NAME:k=v} takes them
 */
public record UserConfig(String name, String label, String allocator, Map<String, String> options) {
    public UserConfig {
        options = Map.copyOf(new TreeMap<>(options));
    }

    /** The comparison, in table order: ptmalloc2's arenas and tcache, jemalloc's, one global lock. */
    public static final List<UserConfig> DEFAULTS = List.of(
            new UserConfig("glibc-1arena", "glibc arena_max=1", "glibc", Map.of("arena_max", "1")),
            new UserConfig("glibc", "glibc", "glibc", Map.of()),
            new UserConfig(
                    "glibc-1arena-notcache",
                    "glibc arena_max=1 tcache_count=0",
                    "glibc",
                    Map.of("arena_max", "1", "tcache_count", "0")),
            new UserConfig("jemalloc", "jemalloc", "jemalloc", Map.of()),
            new UserConfig("jemalloc-notcache", "jemalloc tcache:false", "jemalloc", Map.of("tcache", "false")),
            new UserConfig("jemalloc-1arena", "jemalloc narenas:1", "jemalloc", Map.of("narenas", "1")),
            new UserConfig("first-fit", "first-fit, one global lock", "first-fit", Map.of()));

    /** Also known to {@code --config}, not run by default. */
    public static final List<UserConfig> EXTRA = List.of(
            new UserConfig(
                    "jemalloc-1arena-notcache",
                    "jemalloc narenas:1 tcache:false",
                    "jemalloc",
                    Map.of("narenas", "1", "tcache", "false")),
            new UserConfig("best-fit", "best-fit, one global lock", "best-fit", Map.of()),
            new UserConfig("segregated", "segregated, one global lock", "segregated", Map.of()));

    /** Every configuration {@code --config} knows, defaults first. */
    public static List<UserConfig> all() {
        return java.util.stream.Stream.concat(DEFAULTS.stream(), EXTRA.stream()).toList();
    }

    /** The configuration named {@code s} (its name or its label), or null. */
    public static UserConfig named(String s) {
        for (UserConfig c : all()) {
            if (c.name.equals(s) || c.label.equals(s)) {
                return c;
            }
        }
        return null;
    }
}
