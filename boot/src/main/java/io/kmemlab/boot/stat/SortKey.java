package io.kmemlab.boot.stat;

import io.kmemlab.boot.stat.KmemStat.AllocStat;
import io.kmemlab.boot.stat.KmemStat.PageStat;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The {@code -s} keys of {@code perf kmem stat}: {@link Slab} for the slab tables, {@link Page}
 * for the page tables, each comparing ascending as perf's {@code *_cmp} functions do (the tables
 * print the greatest first).
 */
public final class SortKey {
    private SortKey() {}

    /** Slab sort keys: {@code ptr, callsite, hit, bytes, frag, pingpong}. */
    public enum Slab {
        PTR("ptr"),
        CALLSITE("callsite"),
        HIT("hit"),
        BYTES("bytes"),
        FRAG("frag"),
        PINGPONG("pingpong");

        private final String key;

        Slab(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        Comparator<AllocStat> comparator(CallSites sites) {
            return switch (this) {
                case PTR -> (a, b) -> Long.compareUnsigned(a.ptr, b.ptr);
                case CALLSITE -> (a, b) -> sites.compare(a.callSite, b.callSite);
                case HIT -> Comparator.comparingLong(a -> a.hit);
                case BYTES -> (a, b) -> Long.compareUnsigned(a.bytesAlloc, b.bytesAlloc);
                case FRAG -> Comparator.comparingDouble(a -> KmemStatReport.fragmentation(a.bytesReq, a.bytesAlloc));
                case PINGPONG -> Comparator.comparingLong(a -> a.pingpong);
            };
        }
    }

    /** Page sort keys: {@code page, callsite, hit, bytes, order, migtype, gfp}. */
    public enum Page {
        PAGE("page"),
        CALLSITE("callsite"),
        HIT("hit"),
        BYTES("bytes"),
        ORDER("order"),
        MIGTYPE("migtype"),
        GFP("gfp");

        private final String key;

        Page(String key) {
            this.key = key;
        }

        public String key() {
            return key;
        }

        Comparator<PageStat> comparator(CallSites sites) {
            return switch (this) {
                case PAGE -> (a, b) -> Long.compareUnsigned(a.page, b.page);
                case CALLSITE -> (a, b) -> sites.compare(a.callSite, b.callSite);
                case HIT -> Comparator.comparingLong(a -> a.nrAlloc);
                case BYTES -> (a, b) -> Long.compareUnsigned(a.allocBytes, b.allocBytes);
                case ORDER -> Comparator.comparingInt(a -> a.order);
                case MIGTYPE -> (a, b) -> Integer.compareUnsigned(a.migrateType, b.migrateType);
                case GFP -> (a, b) -> Integer.compareUnsigned(a.gfpFlags, b.gfpFlags);
            };
        }
    }

    /**
     * Parses a {@code -s} list of slab keys.
     *
     * @throws IllegalArgumentException with perf's message for an unknown key
     */
    public static List<Slab> slab(String list) {
        List<Slab> keys = new ArrayList<>();
        for (String tok : list.split(",", -1)) {
            Slab k = null;
            for (Slab s : Slab.values()) {
                if (s.key.equals(tok)) {
                    k = s;
                }
            }
            if (k == null) {
                throw new IllegalArgumentException("Unknown slab --sort key: '" + tok + "'");
            }
            keys.add(k);
        }
        return keys;
    }

    /**
     * Parses a {@code -s} list of page keys.
     *
     * @throws IllegalArgumentException with perf's message for an unknown key
     */
    public static List<Page> page(String list) {
        List<Page> keys = new ArrayList<>();
        for (String tok : list.split(",", -1)) {
            Page k = null;
            for (Page p : Page.values()) {
                if (p.key.equals(tok)) {
                    k = p;
                }
            }
            if (k == null) {
                throw new IllegalArgumentException("Unknown page --sort key: '" + tok + "'");
            }
            keys.add(k);
        }
        return keys;
    }

    /** Lexicographic over {@code keys}, ascending. */
    static <T> Comparator<T> chain(List<? extends Comparator<T>> keys) {
        return (a, b) -> {
            for (Comparator<T> c : keys) {
                int r = c.compare(a, b);
                if (r != 0) {
                    return r;
                }
            }
            return 0;
        };
    }
}
