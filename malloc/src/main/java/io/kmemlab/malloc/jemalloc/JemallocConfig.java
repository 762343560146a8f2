package io.kmemlab.malloc.jemalloc;

import java.util.Map;
import java.util.Set;

/**
 * The MALLOC_CONF options kmemlab's jemalloc honours, with 5.3.0's defaults as Debian's build has
 * them ({@code opt.*} in the answer files' JSON). Parsed from {@code --malloc-conf k:v,k:v} or from
 * the provider's option map; an unknown key or a bad value is an {@link IllegalArgumentException}
 * naming it (the real library prints "Invalid conf pair" and goes on; a kmemlab run refuses instead,
 * so a misspelt experiment never runs silently with defaults).
 */
record JemallocConfig(
        int narenas,
        boolean tcache,
        long tcacheMax,
        int tcacheNslotsSmallMin,
        int tcacheNslotsSmallMax,
        int tcacheNslotsLarge,
        int lgTcacheNslotsMul,
        long tcacheGcIncrBytes,
        long tcacheGcDelayBytes,
        int lgTcacheFlushSmallDiv,
        int lgTcacheFlushLargeDiv,
        long dirtyDecayMs,
        long muzzyDecayMs,
        boolean retain,
        int lgExtentMaxActiveFit,
        long oversizeThreshold,
        boolean cacheOblivious,
        String zeroRealloc) {

    /** 4 × the CPUs of the machine the answer files were made on (2), as opt.narenas reports 8. */
    static final int DEFAULT_NARENAS = 8;

    static final Set<String> KEYS = Set.of(
            "narenas",
            "tcache",
            "tcache_max",
            "tcache_nslots_small_min",
            "tcache_nslots_small_max",
            "tcache_nslots_large",
            "lg_tcache_nslots_mul",
            "tcache_gc_incr_bytes",
            "tcache_gc_delay_bytes",
            "lg_tcache_flush_small_div",
            "lg_tcache_flush_large_div",
            "dirty_decay_ms",
            "muzzy_decay_ms",
            "retain",
            "lg_extent_max_active_fit",
            "oversize_threshold",
            "zero_realloc");

    static JemallocConfig defaults() {
        return new JemallocConfig(
                DEFAULT_NARENAS,
                true,
                1L << 15,
                20,
                200,
                20,
                1,
                65536,
                0,
                1,
                1,
                10_000,
                0,
                true,
                6,
                8L << 20,
                true,
                "free");
    }

    /** A MALLOC_CONF string ({@code narenas:1,tcache:false}) over the defaults. */
    static JemallocConfig parse(String conf) {
        java.util.LinkedHashMap<String, String> m = new java.util.LinkedHashMap<>();
        if (conf != null && !conf.isBlank()) {
            for (String pair : conf.split(",")) {
                int c = pair.indexOf(':');
                if (c <= 0) {
                    throw new IllegalArgumentException("malloc-conf: \"" + pair + "\" is not key:value");
                }
                m.put(pair.substring(0, c).trim(), pair.substring(c + 1).trim());
            }
        }
        return of(m);
    }

    /** Options by MALLOC_CONF key; "malloc_conf" itself may hold a whole string. */
    static JemallocConfig of(Map<String, String> options) {
        JemallocConfig c = defaults();
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (e.getKey().equals("malloc_conf") || e.getKey().equals("malloc-conf")) {
                JemallocConfig inner = parse(e.getValue());
                c = inner;
            }
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!e.getKey().equals("malloc_conf") && !e.getKey().equals("malloc-conf")) {
                c = c.with(e.getKey(), e.getValue());
            }
        }
        return c;
    }

    JemallocConfig with(String key, String v) {
        return switch (key) {
            case "narenas" -> copy(k -> k.narenas = (int) num(key, v, 1, 4096));
            case "tcache" -> copy(k -> k.tcache = bool(key, v));
            case "tcache_max" -> copy(k -> k.tcacheMax = num(key, v, 0, 8L << 20));
            case "tcache_nslots_small_min" -> copy(k -> k.nsMin = (int) num(key, v, 1, 0x7fff));
            case "tcache_nslots_small_max" -> copy(k -> k.nsMax = (int) num(key, v, 1, 0x7fff));
            case "tcache_nslots_large" -> copy(k -> k.nsLarge = (int) num(key, v, 1, 0x7fff));
            case "lg_tcache_nslots_mul" -> copy(k -> k.lgMul = (int) num(key, v, -16, 16));
            case "tcache_gc_incr_bytes" -> copy(k -> k.gcIncr = num(key, v, 1, Long.MAX_VALUE));
            case "tcache_gc_delay_bytes" -> copy(k -> k.gcDelay = num(key, v, 0, Long.MAX_VALUE));
            case "lg_tcache_flush_small_div" -> copy(k -> k.flushSmall = (int) num(key, v, 1, 16));
            case "lg_tcache_flush_large_div" -> copy(k -> k.flushLarge = (int) num(key, v, 1, 16));
            case "dirty_decay_ms" -> copy(k -> k.dirty = num(key, v, -1, Long.MAX_VALUE / 1_000_000));
            case "muzzy_decay_ms" -> copy(k -> k.muzzy = num(key, v, -1, Long.MAX_VALUE / 1_000_000));
            case "retain" -> copy(k -> k.retain = bool(key, v));
            case "lg_extent_max_active_fit" -> copy(k -> k.maxFit = (int) num(key, v, 0, 64));
            case "oversize_threshold" -> copy(k -> k.oversize = num(key, v, 0, Long.MAX_VALUE));
            case "zero_realloc" -> {
                if (!v.equals("free") && !v.equals("alloc") && !v.equals("abort")) {
                    throw new IllegalArgumentException(
                            "malloc-conf: zero_realloc:" + v + " is not one of free, alloc, abort");
                }
                yield copy(k -> k.zeroRealloc = v);
            }
            default ->
                throw new IllegalArgumentException("malloc-conf: unknown option \"" + key + "\" (jemalloc understands "
                        + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
        };
    }

    private static long num(String key, String v, long min, long max) {
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malloc-conf: " + key + ":" + v + " is not a number");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(
                    "malloc-conf: " + key + ":" + v + " is out of range " + min + " … " + max);
        }
        return n;
    }

    private static boolean bool(String key, String v) {
        return switch (v) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("malloc-conf: " + key + ":" + v + " is not true or false");
        };
    }

    /** A mutable copy for one changed field (records have no withers). */
    private static final class B {
        int narenas;
        boolean tcache;
        long tcacheMax;
        int nsMin;
        int nsMax;
        int nsLarge;
        int lgMul;
        long gcIncr;
        long gcDelay;
        int flushSmall;
        int flushLarge;
        long dirty;
        long muzzy;
        boolean retain;
        int maxFit;
        long oversize;
        boolean oblivious;
        String zeroRealloc;
    }

    private JemallocConfig copy(java.util.function.Consumer<B> change) {
        B b = new B();
        b.narenas = narenas;
        b.tcache = tcache;
        b.tcacheMax = tcacheMax;
        b.nsMin = tcacheNslotsSmallMin;
        b.nsMax = tcacheNslotsSmallMax;
        b.nsLarge = tcacheNslotsLarge;
        b.lgMul = lgTcacheNslotsMul;
        b.gcIncr = tcacheGcIncrBytes;
        b.gcDelay = tcacheGcDelayBytes;
        b.flushSmall = lgTcacheFlushSmallDiv;
        b.flushLarge = lgTcacheFlushLargeDiv;
        b.dirty = dirtyDecayMs;
        b.muzzy = muzzyDecayMs;
        b.retain = retain;
        b.maxFit = lgExtentMaxActiveFit;
        b.oversize = oversizeThreshold;
        b.oblivious = cacheOblivious;
        b.zeroRealloc = zeroRealloc;
        change.accept(b);
        return new JemallocConfig(
                b.narenas,
                b.tcache,
                b.tcacheMax,
                b.nsMin,
                b.nsMax,
                b.nsLarge,
                b.lgMul,
                b.gcIncr,
                b.gcDelay,
                b.flushSmall,
                b.flushLarge,
                b.dirty,
                b.muzzy,
                b.retain,
                b.maxFit,
                b.oversize,
                b.oblivious,
                b.zeroRealloc);
    }

    /** The large-allocation pad: one page when cache-oblivious placement is on (sz_large_pad). */
    long largePad() {
        return cacheOblivious ? SizeClasses.PAGE : 0;
    }
}
