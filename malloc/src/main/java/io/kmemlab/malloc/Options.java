package io.kmemlab.malloc;

import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The {@code --allocator NAME opt=value} options a provider receives, read with the words every
 * allocator of this module shares: sizes with an optional {@code K}/{@code M}/{@code G} suffix
 * ({@code arena=64M}), booleans as a bare word or {@code on/off/true/false/1/0}, and names from a
 * fixed set. A bad or unknown option is an {@link IllegalArgumentException} whose message names it.
 */
public final class Options {
    private final String allocator;
    private final Map<String, String> values;

    public Options(String allocator, Map<String, String> values, Set<String> known) {
        this.allocator = allocator;
        this.values = values;
        Set<String> unknown = new TreeSet<>(values.keySet());
        unknown.removeAll(known);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(allocator + ": unknown option " + String.join(", ", unknown)
                    + " (known: " + String.join(", ", new TreeSet<>(known)) + ")");
        }
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** A byte count: {@code 4096}, {@code 0x1000}, {@code 64K}, {@code 1M}, {@code 2G}; at least {@code min}. */
    public long size(String name, long dflt, long min, long max) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        long n = parseSize(v);
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    allocator + ": " + name + "=" + v + " out of range [" + min + ", " + max + "]");
        }
        return n;
    }

    /** A power of two between {@code min} and {@code max}. */
    public long powerOfTwo(String name, long dflt, long min, long max) {
        long n = size(name, dflt, min, max);
        if (Long.bitCount(n) != 1) {
            throw new IllegalArgumentException(
                    allocator + ": " + name + "=" + values.get(name) + " is not a power of two");
        }
        return n;
    }

    public boolean flag(String name, boolean dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "", "on", "true", "1", "yes" -> true;
            case "off", "false", "0", "no" -> false;
            default -> throw new IllegalArgumentException(allocator + ": " + name + "=" + v + " is not on or off");
        };
    }

    /** One of {@code choices} (case-insensitive), returned as spelt in {@code choices}. */
    public String choice(String name, String dflt, String... choices) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        for (String c : choices) {
            if (c.equalsIgnoreCase(v)) {
                return c;
            }
        }
        throw new IllegalArgumentException(
                allocator + ": " + name + "=" + v + " is not one of " + String.join(", ", choices));
    }

    /** {@code 64K} → 65536; a size that is not a number is an IllegalArgumentException. */
    public static long parseSize(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("k") || t.endsWith("m") || t.endsWith("g")) {
            mult = t.endsWith("k") ? 1L << 10 : t.endsWith("m") ? 1L << 20 : 1L << 30;
            t = t.substring(0, t.length() - 1);
        }
        try {
            long n = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a size: " + text, e);
        }
    }
}
