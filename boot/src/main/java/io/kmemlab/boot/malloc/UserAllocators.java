package io.kmemlab.boot.malloc;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The user-space allocators on the class path, found through {@link UserAllocatorProvider} (boot
 * never compiles against the malloc module), in the ladder's order: bump, the free-list fits,
 * segregated fits, glibc, jemalloc, then any other by name.
 */
public final class UserAllocators {
    /** The ladder, lowest rung first; {@link #preferred} takes the last one present as the default. */
    static final List<String> LADDER =
            List.of("bump", "first-fit", "next-fit", "best-fit", "worst-fit", "segregated", "glibc", "jemalloc");

    private final Map<String, UserAllocatorProvider> byName = new LinkedHashMap<>();

    /** A name and its options: {@code first-fit:header=8,coalesce}. */
    public record Spec(String name, Map<String, String> options) {
        /** Parses {@code NAME[:KEY=VALUE,KEY…]}. */
        public static Spec parse(String s) {
            int colon = s.indexOf(':');
            String name = (colon < 0 ? s : s.substring(0, colon)).trim();
            Map<String, String> opts = new TreeMap<>();
            if (colon >= 0) {
                for (String kv : s.substring(colon + 1).split(",")) {
                    if (kv.isBlank()) {
                        continue;
                    }
                    int eq = kv.indexOf('=');
                    opts.put(
                            eq < 0 ? kv.trim() : kv.substring(0, eq).trim(),
                            eq < 0 ? "" : kv.substring(eq + 1).trim());
                }
            }
            return new Spec(name, opts);
        }

        /** As given: {@code first-fit} or {@code first-fit:coalesce=off}. */
        public String label() {
            if (options.isEmpty()) {
                return name;
            }
            StringBuilder sb = new StringBuilder(name).append(':');
            options.forEach(
                    (k, v) -> sb.append(k).append(v.isEmpty() ? "" : "=" + v).append(','));
            return sb.substring(0, sb.length() - 1);
        }
    }

    public UserAllocators(Iterable<UserAllocatorProvider> providers) {
        List<UserAllocatorProvider> all = new ArrayList<>();
        providers.forEach(all::add);
        all.sort(Comparator.comparingInt((UserAllocatorProvider p) -> {
                    int i = LADDER.indexOf(p.name());
                    return i < 0 ? LADDER.size() : i;
                })
                .thenComparing(UserAllocatorProvider::name));
        for (UserAllocatorProvider p : all) {
            byName.putIfAbsent(p.name(), p);
        }
    }

    /** The providers of the class path. */
    public static UserAllocators load() {
        return new UserAllocators(ServiceLoader.load(UserAllocatorProvider.class));
    }

    /** Names, in the ladder's order. */
    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    public UserAllocatorProvider provider(String name) {
        return byName.get(name);
    }

    /** The default: glibc if present (the traces were recorded under it), else the highest rung. */
    public String preferred() {
        for (int i = LADDER.size() - 1; i >= 0; i--) {
            String n = LADDER.get(i);
            if (n.equals("jemalloc")) {
                continue;
            }
            if (byName.containsKey(n)) {
                return n;
            }
        }
        return byName.isEmpty() ? null : byName.keySet().iterator().next();
    }

    /** Why {@code spec} cannot be created (unknown name or option), or null if it can. */
    public String check(Spec spec) {
        UserAllocatorProvider p = byName.get(spec.name());
        if (p == null) {
            return "no allocator '" + spec.name() + "' (available: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())) + ")";
        }
        for (String k : spec.options().keySet()) {
            if (!p.options().contains(k)) {
                return "allocator " + p.name() + " has no option '" + k + "'"
                        + (p.options().isEmpty() ? "" : " (options: " + String.join(", ", sorted(p)) + ")");
            }
        }
        return null;
    }

    private static List<String> sorted(UserAllocatorProvider p) {
        List<String> l = new ArrayList<>(p.options());
        l.sort(null);
        return l;
    }

    /**
     * Creates the allocator of {@code spec} in {@code space}.
     *
     * @throws IllegalArgumentException with the user-facing reason ({@link #check}, or the provider's)
     */
    public UserAllocator create(Spec spec, UserSpace space) {
        String why = check(spec);
        if (why != null) {
            throw new IllegalArgumentException(why);
        }
        return byName.get(spec.name()).create(space, spec.options());
    }

    /**
     * Splits a {@code --allocator} list ({@code first-fit:coalesce=off,header=8,best-fit}) at the
     * commas that start an allocator's name, so that options keep their own commas.
     */
    public static List<String> splitList(String list, List<String> names) {
        List<String> out = new ArrayList<>();
        for (String part : list.split(",")) {
            String head = part.contains(":") ? part.substring(0, part.indexOf(':')) : part;
            boolean option = !out.isEmpty() && out.get(out.size() - 1).contains(":") && !names.contains(head.trim());
            if (option) {
                out.set(out.size() - 1, out.get(out.size() - 1) + "," + part.trim());
            } else if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    /** {@code --help} lines: name and description. */
    public String help() {
        StringBuilder sb = new StringBuilder();
        for (UserAllocatorProvider p : byName.values()) {
            sb.append(String.format(java.util.Locale.ROOT, "  %-12s %s%n", p.name(), p.description()));
        }
        return sb.toString();
    }
}
