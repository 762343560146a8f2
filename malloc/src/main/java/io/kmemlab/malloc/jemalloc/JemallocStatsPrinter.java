package io.kmemlab.malloc.jemalloc;

/**
 * malloc_stats_print: the JSON form ({@code "J"}, jemalloc's compact emitter, keys in 5.3.0's
 * order including its duplicated {@code stats_print} and {@code nactive_huge} keys) and the text
 * form. Merged arena statistics are printed as {@code "0"} alone when only arena 0 exists, as the
 * real printer does for a single initialized arena. A pure function of the allocator's state.
 *
 * <p>Mutex profiling counters come from the locks a scheduler plays out in virtual time once one
 * drives the allocator ({@link Jemalloc#attach}): each bin's lock, and each arena's extents_dirty
 * and decay_dirty; every other mutex, and every mutex of a run nobody schedules (a replay, one
 * operation at a time, where nothing contends), prints 0. Wait times are rounded to the 4 ms tick
 * of CLOCK_MONOTONIC_COARSE, jemalloc's clock, as the real counters are. Uptime is the arena's
 * age on the machine's virtual clock.
 */
final class JemallocStatsPrinter {
    static final String VERSION = "5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c";
    private static final String MUTEX_ZERO = "{\"num_ops\":0,\"num_wait\":0,\"num_spin_acq\":0,\"num_owner_switch\":0,"
            + "\"total_wait_time\":0,\"max_wait_time\":0,\"max_num_thds\":0}";
    private static final String[] GLOBAL_MUTEXES = {
        "background_thread",
        "max_per_bg_thd",
        "ctl",
        "prof",
        "prof_thds_data",
        "prof_dump",
        "prof_recent_alloc",
        "prof_recent_dump",
        "prof_stats"
    };
    private static final String[] ARENA_MUTEXES = {
        "large",
        "extent_avail",
        "extents_dirty",
        "extents_muzzy",
        "extents_retained",
        "decay_dirty",
        "decay_muzzy",
        "base",
        "tcache_list",
        "hpa_shard",
        "hpa_shard_grow",
        "hpa_sec"
    };

    private final Jemalloc je;
    private final JemallocConfig c;
    private final StringBuilder sb = new StringBuilder(1 << 16);

    JemallocStatsPrinter(Jemalloc je) {
        this.je = je;
        this.c = je.conf;
    }

    String print(String opts) {
        return opts.contains("J") ? json() : text();
    }

    private int ninitialized() {
        int n = 0;
        for (Arena a : je.arenas) {
            if (a != null) {
                n++;
            }
        }
        return n;
    }

    private int nhbins() {
        return SizeClasses.size2index(SizeClasses.s2u(c.tcacheMax())) + 1;
    }

    // ---- JSON ----

    private StringBuilder kv(String k, Object v) {
        sb.append('"').append(k).append("\":");
        if (v instanceof String s) {
            sb.append('"').append(s).append('"');
        } else {
            sb.append(v);
        }
        return sb.append(',');
    }

    private void close(char ch) {
        if (sb.charAt(sb.length() - 1) == ',') {
            sb.setLength(sb.length() - 1);
        }
        sb.append(ch).append(',');
    }

    private void open(String k, char ch) {
        if (k != null) {
            sb.append('"').append(k).append("\":");
        }
        sb.append(ch);
    }

    private String json() {
        sb.setLength(0);
        sb.append("{\"jemalloc\":{");
        kv("version", VERSION);
        open("config", '{');
        kv("cache_oblivious", true).append("\"debug\":false,\"fill\":true,\"lazy_lock\":false,");
        kv("malloc_conf", "");
        sb.append("\"opt_safety_checks\":false,\"prof\":true,\"prof_libgcc\":true,\"prof_libunwind\":false,"
                + "\"stats\":true,\"utrace\":false,\"xmalloc\":false,");
        close('}');
        open("opt", '{');
        sb.append("\"abort\":false,\"abort_conf\":false,");
        kv("cache_oblivious", c.cacheOblivious());
        sb.append("\"confirm_conf\":false,");
        kv("retain", c.retain());
        kv("dss", "secondary");
        kv("narenas", c.narenas());
        kv("percpu_arena", "disabled");
        kv("oversize_threshold", c.oversizeThreshold());
        sb.append("\"hpa\":false,\"hpa_slab_max_alloc\":65536,\"hpa_hugification_threshold\":1992294,"
                + "\"hpa_hugify_delay_ms\":10000,\"hpa_min_purge_interval_ms\":5000,\"hpa_dirty_mult\":\"0.25\","
                + "\"hpa_sec_nshards\":4,\"hpa_sec_max_alloc\":32768,\"hpa_sec_max_bytes\":262144,"
                + "\"hpa_sec_bytes_after_flush\":131072,\"hpa_sec_batch_fill_extra\":0,\"metadata_thp\":\"disabled\","
                + "\"mutex_max_spin\":600,\"background_thread\":false,");
        kv("dirty_decay_ms", c.dirtyDecayMs());
        kv("muzzy_decay_ms", c.muzzyDecayMs());
        kv("lg_extent_max_active_fit", c.lgExtentMaxActiveFit());
        sb.append("\"junk\":\"false\",\"zero\":false,\"experimental_infallible_new\":false,");
        kv("tcache", c.tcache());
        kv("tcache_max", c.tcacheMax());
        kv("tcache_nslots_small_min", c.tcacheNslotsSmallMin());
        kv("tcache_nslots_small_max", c.tcacheNslotsSmallMax());
        kv("tcache_nslots_large", c.tcacheNslotsLarge());
        kv("lg_tcache_nslots_mul", c.lgTcacheNslotsMul());
        kv("tcache_gc_incr_bytes", c.tcacheGcIncrBytes());
        kv("tcache_gc_delay_bytes", c.tcacheGcDelayBytes());
        kv("lg_tcache_flush_small_div", c.lgTcacheFlushSmallDiv());
        kv("lg_tcache_flush_large_div", c.lgTcacheFlushLargeDiv());
        sb.append("\"thp\":\"default\",\"prof\":false,\"prof_prefix\":\"jeprof\",\"prof_active\":true,"
                + "\"prof_thread_active_init\":true,\"lg_prof_sample\":19,\"prof_accum\":false,\"lg_prof_interval\":-1,"
                + "\"prof_gdump\":false,\"prof_final\":false,\"prof_leak\":false,\"prof_leak_error\":false,"
                + "\"stats_print\":false,\"stats_print_opts\":\"\",\"stats_print\":false,\"stats_print_opts\":\"\","
                + "\"stats_interval\":-1,\"stats_interval_opts\":\"\",");
        kv("zero_realloc", c.zeroRealloc());
        close('}');
        sb.append(
                "\"prof\":{\"thread_active_init\":false,\"active\":false,\"gdump\":false,\"interval\":0,\"lg_sample\":0},");
        open("arenas", '{');
        kv("narenas", je.arenas.length);
        kv("dirty_decay_ms", c.dirtyDecayMs());
        kv("muzzy_decay_ms", c.muzzyDecayMs());
        kv("quantum", 16);
        kv("page", SizeClasses.PAGE);
        kv("tcache_max", SizeClasses.s2u(c.tcacheMax()));
        kv("nbins", SizeClasses.NBINS);
        kv("nhbins", nhbins());
        open("bin", '[');
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            sb.append('{');
            kv("size", SizeClasses.index2size(b));
            kv("nregs", SizeClasses.nregs(b));
            kv("slab_size", SizeClasses.slabSize(b));
            kv("nshards", 1);
            close('}');
        }
        close(']');
        kv("nlextents", SizeClasses.NSIZES - SizeClasses.NBINS);
        open("lextent", '[');
        for (int i = SizeClasses.NBINS; i < SizeClasses.NSIZES; i++) {
            sb.append('{');
            kv("size", SizeClasses.index2size(i));
            close('}');
        }
        close(']');
        close('}');
        open("stats", '{');
        for (int i = 0; i < 3; i++) {
            kv(Jemalloc.FIGURES[i].substring(6), je.figure(i));
        }
        kv("metadata_thp", 0);
        for (int i = 3; i < 6; i++) {
            kv(Jemalloc.FIGURES[i].substring(6), je.figure(i));
        }
        kv("zero_reallocs", je.zeroReallocs);
        sb.append("\"background_thread\":{\"num_threads\":0,\"num_runs\":0,\"run_interval\":0},");
        open("mutexes", '{');
        for (String m : GLOBAL_MUTEXES) {
            sb.append('"').append(m).append("\":").append(MUTEX_ZERO).append(',');
        }
        close('}');
        close('}');
        open("stats.arenas", '{');
        if (ninitialized() > 1) {
            arenaJson("merged", null);
        }
        for (Arena a : je.arenas) {
            if (a != null) {
                arenaJson(Integer.toString(a.ind), a);
            }
        }
        close('}');
        close('}');
        close('}');
        sb.setLength(sb.length() - 1);
        return sb.append('\n').toString();
    }

    /** One arena's stats, or (a == null) all arenas merged. */
    private void arenaJson(String name, Arena only) {
        open(name, '{');
        long pactive = 0;
        long pdirty = 0;
        long pmuzzy = 0;
        long[] purge = new long[6];
        long small = 0;
        long large = 0;
        long[] sm = new long[5];
        long[] lg = new long[5];
        long mapped = 0;
        long retained = 0;
        long base = 0;
        long internal = 0;
        long resident = 0;
        long[][] bins = new long[SizeClasses.NBINS][9];
        long[] curl = new long[SizeClasses.NSIZES - SizeClasses.NBINS];
        long[][] ext = new long[SizeClasses.NPSIZES][6];
        int nthreads = 0;
        for (Arena a : je.arenas) {
            if (a == null || (only != null && a != only)) {
                continue;
            }
            nthreads += a.nthreads;
            Pac p = a.pac;
            pactive += p.nactive;
            pdirty += p.ndirty();
            pmuzzy += p.nmuzzy();
            for (int k = 0; k < 3; k++) {
                purge[k] += p.purgeStats[0][k];
                purge[3 + k] += p.purgeStats[1][k];
            }
            small += a.smallAllocated();
            large += a.largeAllocated();
            for (int b = 0; b < SizeClasses.NBINS; b++) {
                long[] r = bins[b];
                r[0] += a.nmalloc[b];
                r[1] += a.ndalloc[b];
                r[2] += a.curregs[b];
                r[3] += a.nrequests[b];
                r[4] += a.nfills[b];
                r[5] += a.nflushes[b];
                r[6] += a.reslabs[b];
                r[7] += a.curslabs[b];
                r[8] += a.nonfullSlabs[b];
                sm[0] += a.nmalloc[b];
                sm[1] += a.ndalloc[b];
                sm[2] += a.nrequests[b];
                sm[3] += a.nfills[b];
                sm[4] += a.nflushes[b];
            }
            for (int i = 0; i < curl.length; i++) {
                curl[i] += a.lnmalloc[i] - a.lndalloc[i];
                lg[0] += a.lnmalloc[i];
                lg[1] += a.lndalloc[i];
                lg[2] += a.lnmalloc[i] + a.lnrequests[i];
                lg[3] += a.lnmalloc[i];
                lg[4] += a.lnflushes[i];
            }
            mapped += a.base.mapped + p.mapped;
            retained += p.retainedBytes();
            base += a.base.allocated;
            internal += a.internal;
            resident += a.base.resident + ((p.nactive + p.ndirty()) << SizeClasses.LG_PAGE);
            Ecache[] ecs = {p.dirty, p.muzzy, p.retained};
            for (int i = 0; i < SizeClasses.NPSIZES; i++) {
                for (int k = 0; k < 3; k++) {
                    ext[i][k] += ecs[k].binCount[i];
                    ext[i][3 + k] += ecs[k].binBytes[i];
                }
            }
        }
        kv("nthreads", nthreads);
        long uptime = 0;
        for (Arena a : je.arenas) {
            if (a != null && (only == null || a == only)) {
                uptime = Math.max(uptime, je.uptime(a));
            }
        }
        kv("uptime_ns", uptime);
        // the merged figures have no single precedence or decay time: ctl prints N/A and -1
        kv("dss", only == null ? "N/A" : "secondary");
        kv("dirty_decay_ms", only == null ? -1 : only.pac.decayDirty.ms);
        kv("muzzy_decay_ms", only == null ? -1 : only.pac.decayMuzzy.ms);
        kv("pactive", pactive);
        kv("pdirty", pdirty);
        kv("pmuzzy", pmuzzy);
        String[] pn = {
            "dirty_npurge", "dirty_nmadvise", "dirty_purged", "muzzy_npurge", "muzzy_nmadvise", "muzzy_purged"
        };
        for (int k = 0; k < 6; k++) {
            kv(pn[k], purge[k]);
        }
        open("small", '{');
        kv("allocated", small);
        String[] cn = {"nmalloc", "ndalloc", "nrequests", "nfills", "nflushes"};
        for (int k = 0; k < 5; k++) {
            kv(cn[k], sm[k]);
        }
        close('}');
        open("large", '{');
        kv("allocated", large);
        for (int k = 0; k < 5; k++) {
            kv(cn[k], lg[k]);
        }
        close('}');
        kv("mapped", mapped);
        kv("retained", retained);
        kv("base", base);
        kv("internal", internal);
        kv("metadata_thp", 0);
        long tcacheBytes = je.tcacheBytes(only);
        kv("tcache_bytes", tcacheBytes);
        kv("tcache_stashed_bytes", 0);
        kv("resident", resident);
        kv("abandoned_vm", 0);
        long avail = 0;
        for (Arena a : je.arenas) {
            if (a != null && (only == null || a == only)) {
                avail += a.base.edataCarved - a.pac.liveExtents;
            }
        }
        kv("extent_avail", avail);
        open("mutexes", '{');
        for (String m : ARENA_MUTEXES) {
            sb.append('"').append(m).append("\":").append(MUTEX_ZERO).append(',');
        }
        close('}');
        open("bins", '[');
        String[] bn = {
            "nmalloc", "ndalloc", "curregs", "nrequests", "nfills", "nflushes", "nreslabs", "curslabs", "nonfull_slabs"
        };
        for (long[] r : bins) {
            sb.append('{');
            for (int k = 0; k < bn.length; k++) {
                kv(bn[k], r[k]);
            }
            sb.append("\"mutex\":").append(MUTEX_ZERO).append('}').append(',');
        }
        close(']');
        open("lextents", '[');
        for (long v : curl) {
            sb.append("{\"curlextents\":").append(v).append("},");
        }
        close(']');
        open("extents", '[');
        String[] en = {"ndirty", "nmuzzy", "nretained", "dirty_bytes", "muzzy_bytes", "retained_bytes"};
        for (long[] r : ext) {
            sb.append('{');
            for (int k = 0; k < 6; k++) {
                kv(en[k], r[k]);
            }
            close('}');
        }
        close(']');
        kv("sec_bytes", 0);
        String slabs = "\"npageslabs_huge\":0,\"nactive_huge\":0,\"nactive_huge\":0,\"npageslabs_nonhuge\":0,"
                + "\"nactive_nonhuge\":0,\"ndirty_nonhuge\":0";
        sb.append("\"hpa_shard\":{\"npurge_passes\":0,\"npurges\":0,\"nhugifies\":0,\"ndehugifies\":0,\"full_slabs\":{")
                .append(slabs)
                .append("},\"empty_slabs\":{")
                .append(slabs)
                .append("},\"nonfull_slabs\":[");
        for (int i = 0; i < 64; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"npageslabs_huge\":0,\"nactive_huge\":0,\"ndirty_huge\":0,\"npageslabs_nonhuge\":0,"
                            + "\"nactive_nonhuge\":0,\"ndirty_nonhuge\":0}");
        }
        sb.append("]},");
        close('}');
    }

    // ---- text ----

    private StringBuilder t;

    private void r(int width, Object v) {
        String x = String.valueOf(v);
        for (int i = x.length(); i < width; i++) {
            t.append(' ');
        }
        t.append(x);
    }

    private void l(int width, Object v) {
        String x = String.valueOf(v);
        t.append(x);
        for (int i = x.length(); i < width; i++) {
            t.append(' ');
        }
    }

    /** rate_per_second: the count itself while the arena is younger than a second. */
    private static long ps(long v, long uptime) {
        if (uptime == 0 || v == 0) {
            return 0;
        }
        return uptime < 1_000_000_000L ? v : v / (uptime / 1_000_000_000L);
    }

    /** get_rate_str: x.yyy, or "1". */
    private static String util(long curregs, long availregs) {
        if (availregs == 0 || curregs > availregs) {
            return "1";
        }
        long n = curregs * 1000 / availregs;
        return n < 10 ? "0.00" + n : n < 100 ? "0.0" + n : n < 1000 ? "0." + n : "1";
    }

    private void mutexHeader() {
        l(21, "");
        mutexHeaderCols();
    }

    private void mutexHeaderCols() {
        r(16, "n_lock_ops");
        r(8, "(#/sec)");
        r(16, "n_waiting");
        r(8, "(#/sec)");
        r(16, "n_spin_acq");
        r(8, "(#/sec)");
        r(16, "n_owner_switch");
        r(8, "(#/sec)");
        r(16, "total_wait_ns");
        r(10, "(#/sec)");
        r(16, "max_wait_ns");
        r(12, "max_n_thds");
    }

    private void mutexRow(String name, long[] m, long uptime) {
        l(21, name);
        mutexRowCols(m, uptime);
        t.append('\n');
    }

    /** n_lock_ops, n_waiting, n_spin_acq, n_owner_switch, total_wait_ns, max_wait_ns, max_n_thds. */
    private static final long[] NO_MUTEX = new long[7];

    private void mutexRowCols(long[] m, long uptime) {
        for (int k = 0; k < 4; k++) {
            r(16, m[k]);
            r(8, ps(m[k], uptime));
        }
        r(16, m[4]);
        r(10, ps(m[4], uptime));
        r(16, m[5]);
        r(12, m[6]);
    }

    /** The CLOCK_MONOTONIC_COARSE tick at HZ=250 that jemalloc's wait times are multiples of. */
    static final long COARSE_TICK_NS = 4_000_000;

    /** The counters of {@code locks} merged as ctl merges mutex_prof_data (sums, maxima). */
    static long[] mutexCounts(io.kmemlab.mm.sched.VLock... locks) {
        long[] m = new long[7];
        long wait = 0;
        long maxWait = 0;
        for (io.kmemlab.mm.sched.VLock l : locks) {
            if (l == null) {
                continue;
            }
            m[0] += l.acquisitions();
            m[1] += l.sleeps();
            m[2] += l.spinAcquired();
            m[3] += l.ownerSwitches();
            wait += l.sleepWaitTotal();
            maxWait = Math.max(maxWait, l.sleepWaitMax());
            m[6] = Math.max(m[6], l.maxWaiters());
        }
        m[4] = (wait + COARSE_TICK_NS / 2) / COARSE_TICK_NS * COARSE_TICK_NS;
        m[5] = (maxWait + COARSE_TICK_NS / 2) / COARSE_TICK_NS * COARSE_TICK_NS;
        return m;
    }

    /** An arena mutex's counters for {@code only} (null: every arena merged). */
    private long[] arenaMutex(Arena only, String name) {
        java.util.List<io.kmemlab.mm.sched.VLock> l = new java.util.ArrayList<>();
        for (Arena a : je.arenas) {
            if (a != null && (only == null || a == only)) {
                if (name.equals("extents_dirty")) {
                    l.add(a.extentsLock);
                } else if (name.equals("decay_dirty")) {
                    l.add(a.decayLock);
                }
            }
        }
        return l.isEmpty() ? NO_MUTEX : mutexCounts(l.toArray(new io.kmemlab.mm.sched.VLock[0]));
    }

    private long[] binMutex(Arena only, int b) {
        java.util.List<io.kmemlab.mm.sched.VLock> l = new java.util.ArrayList<>();
        for (Arena a : je.arenas) {
            if (a != null && a.binLock != null && (only == null || a == only)) {
                l.add(a.binLock[b]);
            }
        }
        return l.isEmpty() ? NO_MUTEX : mutexCounts(l.toArray(new io.kmemlab.mm.sched.VLock[0]));
    }

    /**
     * The mutex tables of malloc_stats_print's text alone (the global mutexes, then for every
     * arena its mutexes and its bins' lock columns, bins that were never locked left out), with
     * {@code uptime} the run's virtual ns for the (#/sec) columns.
     */
    String mutexText(long uptime) {
        t = new StringBuilder(1 << 12);
        t.append("global mutexes:");
        l(6, "");
        mutexHeaderCols();
        t.append('\n');
        for (String m : GLOBAL_MUTEXES) {
            mutexRow(m, NO_MUTEX, uptime);
        }
        for (Arena a : je.arenas) {
            if (a == null) {
                continue;
            }
            t.append("arenas[").append(a.ind).append("]:\n");
            mutexHeader();
            t.append('\n');
            for (String m : ARENA_MUTEXES) {
                mutexRow(m, arenaMutex(a, m), uptime);
            }
            t.append("bins:");
            r(15, "size");
            r(4, "ind");
            mutexHeaderCols();
            t.append('\n');
            for (int b = 0; b < SizeClasses.NBINS; b++) {
                long[] m = binMutex(a, b);
                if (m[0] == 0) {
                    continue;
                }
                r(20, SizeClasses.index2size(b));
                r(4, b);
                mutexRowCols(m, uptime);
                t.append('\n');
            }
        }
        return t.toString();
    }

    private String text() {
        t = new StringBuilder(1 << 15);
        t.append("___ Begin jemalloc statistics ___\n");
        t.append("Version: \"").append(VERSION).append("\"\n");
        t.append("Build-time option settings\n");
        t.append("  config.cache_oblivious: true\n  config.debug: false\n  config.fill: true\n"
                + "  config.lazy_lock: false\n  config.malloc_conf: \"\"\n  config.opt_safety_checks: false\n"
                + "  config.prof: true\n  config.prof_libgcc: true\n  config.prof_libunwind: false\n"
                + "  config.stats: true\n  config.utrace: false\n  config.xmalloc: false\n");
        t.append("Run-time option settings\n");
        t.append(
                "  opt.abort: false\n  opt.abort_conf: false\n  opt.cache_oblivious: true\n  opt.confirm_conf: false\n");
        t.append("  opt.retain: ").append(c.retain()).append('\n');
        t.append("  opt.dss: \"secondary\"\n");
        t.append("  opt.narenas: ").append(c.narenas()).append('\n');
        t.append("  opt.percpu_arena: \"disabled\"\n");
        t.append("  opt.oversize_threshold: ").append(c.oversizeThreshold()).append('\n');
        t.append("  opt.hpa: false\n  opt.hpa_slab_max_alloc: 65536\n  opt.hpa_hugification_threshold: 1992294\n"
                + "  opt.hpa_hugify_delay_ms: 10000\n  opt.hpa_min_purge_interval_ms: 5000\n"
                + "  opt.hpa_dirty_mult: \"0.25\"\n  opt.hpa_sec_nshards: 4\n  opt.hpa_sec_max_alloc: 32768\n"
                + "  opt.hpa_sec_max_bytes: 262144\n  opt.hpa_sec_bytes_after_flush: 131072\n"
                + "  opt.hpa_sec_batch_fill_extra: 0\n  opt.metadata_thp: \"disabled\"\n  opt.mutex_max_spin: 600\n"
                + "  opt.background_thread: false (background_thread: false)\n");
        t.append("  opt.dirty_decay_ms: ")
                .append(c.dirtyDecayMs())
                .append(" (arenas.dirty_decay_ms: ")
                .append(c.dirtyDecayMs())
                .append(")\n");
        t.append("  opt.muzzy_decay_ms: ")
                .append(c.muzzyDecayMs())
                .append(" (arenas.muzzy_decay_ms: ")
                .append(c.muzzyDecayMs())
                .append(")\n");
        t.append("  opt.lg_extent_max_active_fit: ")
                .append(c.lgExtentMaxActiveFit())
                .append('\n');
        t.append("  opt.junk: \"false\"\n  opt.zero: false\n  opt.experimental_infallible_new: false\n");
        t.append("  opt.tcache: ").append(c.tcache()).append('\n');
        t.append("  opt.tcache_max: ").append(c.tcacheMax()).append('\n');
        t.append("  opt.tcache_nslots_small_min: ")
                .append(c.tcacheNslotsSmallMin())
                .append('\n');
        t.append("  opt.tcache_nslots_small_max: ")
                .append(c.tcacheNslotsSmallMax())
                .append('\n');
        t.append("  opt.tcache_nslots_large: ").append(c.tcacheNslotsLarge()).append('\n');
        t.append("  opt.lg_tcache_nslots_mul: ").append(c.lgTcacheNslotsMul()).append('\n');
        t.append("  opt.tcache_gc_incr_bytes: ").append(c.tcacheGcIncrBytes()).append('\n');
        t.append("  opt.tcache_gc_delay_bytes: ").append(c.tcacheGcDelayBytes()).append('\n');
        t.append("  opt.lg_tcache_flush_small_div: ")
                .append(c.lgTcacheFlushSmallDiv())
                .append('\n');
        t.append("  opt.lg_tcache_flush_large_div: ")
                .append(c.lgTcacheFlushLargeDiv())
                .append('\n');
        t.append("  opt.thp: \"default\"\n  opt.prof: false\n  opt.prof_prefix: \"jeprof\"\n"
                + "  opt.prof_active: true (prof.active: false)\n"
                + "  opt.prof_thread_active_init: true (prof.thread_active_init: false)\n"
                + "  opt.lg_prof_sample: 19 (prof.lg_sample: 0)\n  opt.prof_accum: false\n  opt.lg_prof_interval: -1\n"
                + "  opt.prof_gdump: false\n  opt.prof_final: false\n  opt.prof_leak: false\n  opt.prof_leak_error: false\n"
                + "  opt.stats_print: false\n  opt.stats_print_opts: \"\"\n  opt.stats_print: false\n"
                + "  opt.stats_print_opts: \"\"\n  opt.stats_interval: -1\n  opt.stats_interval_opts: \"\"\n");
        t.append("  opt.zero_realloc: \"").append(c.zeroRealloc()).append("\"\n");
        t.append("Profiling settings\n  prof.thread_active_init: false\n  prof.active: false\n  prof.gdump: false\n"
                + "  prof.interval: 0\n  prof.lg_sample: 0\n");
        t.append("Arenas: ").append(je.arenas.length).append('\n');
        t.append("Quantum size: 16\nPage size: 4096\n");
        t.append("Maximum thread-cached size class: ")
                .append(SizeClasses.s2u(c.tcacheMax()))
                .append('\n');
        t.append("Number of bin size classes: ").append(SizeClasses.NBINS).append('\n');
        t.append("Number of thread-cache bin size classes: ").append(nhbins()).append('\n');
        t.append("Number of large size classes: ")
                .append(SizeClasses.NSIZES - SizeClasses.NBINS)
                .append('\n');
        t.append("Allocated: ")
                .append(je.figure(0))
                .append(", active: ")
                .append(je.figure(1))
                .append(", metadata: ")
                .append(je.figure(2))
                .append(" (n_thp 0), resident: ")
                .append(je.figure(3))
                .append(", mapped: ")
                .append(je.figure(4))
                .append(", retained: ")
                .append(je.figure(5))
                .append('\n');
        t.append("Count of realloc(non-null-ptr, 0) calls: ")
                .append(je.zeroReallocs)
                .append('\n');
        t.append("Background threads: 0, num_runs: 0, run_interval: 0 ns\n");
        mutexHeader();
        t.append('\n');
        for (String m : GLOBAL_MUTEXES) {
            mutexRow(m, NO_MUTEX, 0);
        }
        if (ninitialized() > 1) {
            t.append("Merged arenas stats:\n");
            arenaText(null);
        }
        for (Arena a : je.arenas) {
            if (a != null) {
                t.append("arenas[").append(a.ind).append("]:\n");
                arenaText(a);
            }
        }
        t.append("--- End jemalloc statistics ---\n");
        return t.toString();
    }

    private void arenaText(Arena only) {
        long uptime = 0;
        long nthreads = 0;
        long ndirty = 0;
        long nmuzzy = 0;
        long[] purge = new long[6];
        long smallAlloc = 0;
        long largeAlloc = 0;
        long[] sm = new long[5];
        long[] lg = new long[5];
        long active = 0;
        long mapped = 0;
        long retained = 0;
        long base = 0;
        long internal = 0;
        long resident = 0;
        long avail = 0;
        long[][] bins = new long[SizeClasses.NBINS][10];
        long[][] lx = new long[SizeClasses.NSIZES - SizeClasses.NBINS][4];
        long[][] ext = new long[SizeClasses.NPSIZES][6];
        for (Arena a : je.arenas) {
            if (a == null || (only != null && a != only)) {
                continue;
            }
            Pac p = a.pac;
            uptime = Math.max(uptime, je.uptime(a));
            nthreads += a.nthreads;
            ndirty += p.ndirty();
            nmuzzy += p.nmuzzy();
            for (int k = 0; k < 3; k++) {
                purge[k] += p.purgeStats[0][k];
                purge[3 + k] += p.purgeStats[1][k];
            }
            smallAlloc += a.smallAllocated();
            largeAlloc += a.largeAllocated();
            for (int b = 0; b < SizeClasses.NBINS; b++) {
                long[] row = bins[b];
                row[0] += a.nmalloc[b];
                row[1] += a.ndalloc[b];
                row[2] += a.nrequests[b];
                row[3] += a.curregs[b];
                row[4] += a.curslabs[b];
                row[5] += a.nonfullSlabs[b];
                row[6] += a.nfills[b];
                row[7] += a.nflushes[b];
                row[8] += a.nslabs[b];
                row[9] += a.reslabs[b];
                sm[0] += a.nmalloc[b];
                sm[1] += a.ndalloc[b];
                sm[2] += a.nrequests[b];
                sm[3] += a.nfills[b];
                sm[4] += a.nflushes[b];
            }
            for (int i = 0; i < lx.length; i++) {
                lx[i][0] += a.lnmalloc[i];
                lx[i][1] += a.lndalloc[i];
                lx[i][2] += a.lnmalloc[i] + a.lnrequests[i];
                lx[i][3] += a.lnmalloc[i] - a.lndalloc[i];
                lg[0] += a.lnmalloc[i];
                lg[1] += a.lndalloc[i];
                lg[2] += a.lnmalloc[i] + a.lnrequests[i];
                lg[3] += a.lnmalloc[i];
                lg[4] += a.lnflushes[i];
            }
            active += p.nactive << SizeClasses.LG_PAGE;
            mapped += a.base.mapped + p.mapped;
            retained += p.retainedBytes();
            base += a.base.allocated;
            internal += a.internal;
            resident += a.base.resident + ((p.nactive + p.ndirty()) << SizeClasses.LG_PAGE);
            avail += a.base.edataCarved - p.liveExtents;
            Ecache[] ecs = {p.dirty, p.muzzy, p.retained};
            for (int i = 0; i < SizeClasses.NPSIZES; i++) {
                for (int k = 0; k < 3; k++) {
                    ext[i][k] += ecs[k].binCount[i];
                    ext[i][3 + k] += ecs[k].binBytes[i];
                }
            }
        }
        t.append("assigned threads: ").append(nthreads).append('\n');
        t.append("uptime: ").append(uptime).append('\n');
        if (only != null) {
            t.append("dss allocation precedence: \"secondary\"\n");
        }
        r(9, "decaying:");
        r(6, "time");
        r(13, "npages");
        r(13, "sweeps");
        r(13, "madvises");
        r(13, "purged");
        t.append('\n');
        long[] ms = {only == null ? -1 : only.pac.decayDirty.ms, only == null ? -1 : only.pac.decayMuzzy.ms};
        long[] np = {ndirty, nmuzzy};
        for (int k = 0; k < 2; k++) {
            r(9, k == 0 ? "dirty:" : "muzzy:");
            r(6, ms[k] >= 0 ? Long.toString(ms[k]) : "N/A");
            r(13, np[k]);
            r(13, purge[3 * k]);
            r(13, purge[3 * k + 1]);
            r(13, purge[3 * k + 2]);
            t.append('\n');
        }
        l(21, "");
        r(16, "allocated");
        r(16, "nmalloc");
        r(10, "(#/sec)");
        r(16, "ndalloc");
        r(10, "(#/sec)");
        r(16, "nrequests");
        r(10, "(#/sec)");
        r(16, "nfill");
        r(10, "(#/sec)");
        r(16, "nflush");
        r(10, "(#/sec)");
        t.append('\n');
        long[][] rows = {sm, lg, new long[5]};
        for (int k = 0; k < 5; k++) {
            rows[2][k] = sm[k] + lg[k];
        }
        long[] allocs = {smallAlloc, largeAlloc, smallAlloc + largeAlloc};
        String[] names = {"small:", "large:", "total:"};
        for (int k = 0; k < 3; k++) {
            l(21, names[k]);
            r(16, allocs[k]);
            for (int j = 0; j < 5; j++) {
                r(16, rows[k][j]);
                r(10, ps(rows[k][j], uptime));
            }
            t.append('\n');
        }
        l(37, "");
        t.append('\n');
        String[] mem = {
            "active:",
            "mapped:",
            "retained:",
            "base:",
            "internal:",
            "metadata_thp:",
            "tcache_bytes:",
            "tcache_stashed_bytes:",
            "resident:",
            "abandoned_vm:",
            "extent_avail:"
        };
        long tcacheBytes = je.tcacheBytes(only);
        long[] memv = {active, mapped, retained, base, internal, 0, tcacheBytes, 0, resident, 0, avail};
        for (int k = 0; k < mem.length; k++) {
            l(21, mem[k]);
            r(16, memv[k]);
            t.append('\n');
        }
        mutexHeader();
        t.append('\n');
        for (String m : ARENA_MUTEXES) {
            mutexRow(m, arenaMutex(only, m), uptime);
        }
        // bins
        t.append("bins:");
        r(15, "size");
        r(4, "ind");
        r(13, "allocated");
        r(13, "nmalloc");
        r(8, "(#/sec)");
        r(13, "ndalloc");
        r(8, "(#/sec)");
        r(13, "nrequests");
        r(10, "(#/sec)");
        r(9, "nshards");
        r(13, "curregs");
        r(13, "curslabs");
        r(15, "nonfull_slabs");
        r(5, "regs");
        r(4, "pgs");
        r(1, " ");
        r(6, "util");
        r(13, "nfills");
        r(8, "(#/sec)");
        r(13, "nflushes");
        r(8, "(#/sec)");
        r(13, "nslabs");
        r(13, "nreslabs");
        r(8, "(#/sec)");
        mutexHeaderCols();
        t.append('\n');
        boolean inGap = false;
        for (int b = 0; b < SizeClasses.NBINS; b++) {
            long[] row = bins[b];
            boolean prev = inGap;
            inGap = row[8] == 0;
            if (prev && !inGap) {
                t.append("                     ---\n");
            }
            if (inGap) {
                continue;
            }
            long size = SizeClasses.index2size(b);
            r(20, size);
            r(4, b);
            r(13, row[3] * size);
            r(13, row[0]);
            r(8, ps(row[0], uptime));
            r(13, row[1]);
            r(8, ps(row[1], uptime));
            r(13, row[2]);
            r(10, ps(row[2], uptime));
            r(9, 1);
            r(13, row[3]);
            r(13, row[4]);
            r(15, row[5]);
            r(5, SizeClasses.nregs(b));
            r(4, SizeClasses.slabSize(b) >> SizeClasses.LG_PAGE);
            r(1, " ");
            r(6, util(row[3], SizeClasses.nregs(b) * row[4]));
            r(13, row[6]);
            r(8, ps(row[6], uptime));
            r(13, row[7]);
            r(8, ps(row[7], uptime));
            r(13, row[8]);
            r(13, row[9]);
            r(8, ps(row[9], uptime));
            mutexRowCols(binMutex(only, b), uptime);
            t.append('\n');
        }
        if (inGap) {
            t.append("                     ---\n");
        }
        // large extents
        t.append("large:");
        r(14, "size");
        r(4, "ind");
        r(13, "allocated");
        r(13, "nmalloc");
        r(8, "(#/sec)");
        r(13, "ndalloc");
        r(8, "(#/sec)");
        r(13, "nrequests");
        r(8, "(#/sec)");
        r(13, "curlextents");
        t.append('\n');
        inGap = false;
        for (int i = 0; i < lx.length; i++) {
            boolean prev = inGap;
            inGap = lx[i][2] == 0;
            if (prev && !inGap) {
                t.append("                     ---\n");
            }
            if (inGap) {
                continue;
            }
            long size = SizeClasses.index2size(SizeClasses.NBINS + i);
            r(20, size);
            r(4, SizeClasses.NBINS + i);
            r(13, lx[i][3] * size);
            r(13, lx[i][0]);
            r(8, ps(lx[i][0], uptime));
            r(13, lx[i][1]);
            r(8, ps(lx[i][1], uptime));
            r(13, lx[i][2]);
            r(8, ps(lx[i][2], uptime));
            r(13, lx[i][3]);
            t.append('\n');
        }
        if (inGap) {
            t.append("                     ---\n");
        }
        // extents
        t.append("extents:");
        r(12, "size");
        r(4, "ind");
        for (String h :
                new String[] {"ndirty", "dirty", "nmuzzy", "muzzy", "nretained", "retained", "ntotal", "total"}) {
            r(13, h);
        }
        t.append('\n');
        inGap = false;
        for (int i = 0; i < SizeClasses.NPSIZES; i++) {
            long[] e = ext[i];
            long total = e[0] + e[1] + e[2];
            boolean prev = inGap;
            inGap = total == 0;
            if (prev && !inGap) {
                t.append("                     ---\n");
            }
            if (inGap) {
                continue;
            }
            r(20, SizeClasses.pind2sz(i));
            r(4, i);
            r(13, e[0]);
            r(13, e[3]);
            r(13, e[1]);
            r(13, e[4]);
            r(13, e[2]);
            r(13, e[5]);
            r(13, total);
            r(13, e[3] + e[4] + e[5]);
            t.append('\n');
        }
        if (inGap) {
            t.append("                     ---\n");
        }
        t.append("Bytes in small extent cache: 0\n");
        t.append("HPA shard stats:\n  Purge passes: 0 (0 / sec)\n  Purges: 0 (0 / sec)\n  Hugeifies: 0 (0 / sec)\n"
                + "  Dehugifies: 0 (0 / sec)\n\n");
        for (String where : new String[] {"full", "empty"}) {
            t.append("  In ")
                    .append(where)
                    .append(" slabs:\n      npageslabs: 0 huge, 0 nonhuge\n"
                            + "      nactive: 0 huge, 0 nonhuge \n      ndirty: 0 huge, 0 nonhuge \n"
                            + "      nretained: 0 huge, 0 nonhuge \n");
        }
        t.append('\n');
        r(20, "size");
        r(4, "ind");
        r(16, "npageslabs_huge");
        r(16, "nactive_huge");
        r(16, "ndirty_huge");
        r(20, "npageslabs_nonhuge");
        r(20, "nactive_nonhuge");
        r(20, "ndirty_nonhuge");
        r(20, "nretained_nonhuge");
        t.append("\n                     ---\n");
    }
}
