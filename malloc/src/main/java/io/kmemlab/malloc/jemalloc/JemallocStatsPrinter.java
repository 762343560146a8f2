package io.kmemlab.malloc.jemalloc;

/**
 * malloc_stats_print: the JSON form ({@code "J"}, jemalloc's compact emitter, keys in 5.3.0's
 * order including its duplicated {@code stats_print} and {@code nactive_huge} keys) and the text
 * form. Merged arena statistics are printed as {@code "0"} alone when only arena 0 exists, as the
 * real printer does for a single initialized arena. A pure function of the allocator's state.
 *
 * <p>Simplification: mutex profiling counters and uptime are printed as 0 (kmemlab has no lock
 * contention to count in a single-threaded process).
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
        kv("uptime_ns", 0);
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
        long tcacheBytes = je.tcache != null && (only == null || only == je.tcache.arena) ? je.tcache.cachedBytes() : 0;
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

    private String text() {
        StringBuilder t = new StringBuilder(1 << 14);
        t.append("___ Begin jemalloc statistics ___\n");
        t.append("Version: \"").append(VERSION).append("\"\n");
        t.append("Build-time option settings\n");
        t.append("  config.cache_oblivious: true\n  config.debug: false\n  config.fill: true\n"
                + "  config.lazy_lock: false\n  config.malloc_conf: \"\"\n  config.opt_safety_checks: false\n"
                + "  config.prof: true\n  config.prof_libgcc: true\n  config.prof_libunwind: false\n"
                + "  config.stats: true\n  config.utrace: false\n  config.xmalloc: false\n");
        t.append("Run-time option settings\n");
        t.append("  opt.retain: ").append(c.retain()).append('\n');
        t.append("  opt.narenas: ").append(c.narenas()).append('\n');
        t.append("  opt.oversize_threshold: ").append(c.oversizeThreshold()).append('\n');
        t.append("  opt.dirty_decay_ms: ").append(c.dirtyDecayMs()).append('\n');
        t.append("  opt.muzzy_decay_ms: ").append(c.muzzyDecayMs()).append('\n');
        t.append("  opt.lg_extent_max_active_fit: ")
                .append(c.lgExtentMaxActiveFit())
                .append('\n');
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
        t.append("  opt.zero_realloc: \"").append(c.zeroRealloc()).append("\"\n");
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
        t.append(String.format(
                "Allocated: %d, active: %d, metadata: %d (n_thp 0), resident: %d, mapped: %d, retained: %d%n",
                je.figure(0), je.figure(1), je.figure(2), je.figure(3), je.figure(4), je.figure(5)));
        for (Arena a : je.arenas) {
            if (a == null) {
                continue;
            }
            t.append("arenas[").append(a.ind).append("]:\n");
            t.append("assigned threads: ").append(a.nthreads).append('\n');
            t.append("dss allocation precedence: \"secondary\"\n");
            t.append(String.format("decaying:  time       npages       sweeps     madvises       purged%n"));
            t.append(String.format(
                    "   dirty: %5s %12d %12d %12d %12d%n",
                    (a.ind == je.hugeArenaInd ? 0 : c.dirtyDecayMs()),
                    a.pac.ndirty(),
                    a.pac.purgeStats[0][0],
                    a.pac.purgeStats[0][1],
                    a.pac.purgeStats[0][2]));
            t.append(String.format(
                    "   muzzy: %5s %12d %12d %12d %12d%n",
                    (a.ind == je.hugeArenaInd ? 0 : c.muzzyDecayMs()),
                    a.pac.nmuzzy(),
                    a.pac.purgeStats[1][0],
                    a.pac.purgeStats[1][1],
                    a.pac.purgeStats[1][2]));
            long sm = a.smallAllocated();
            long lgA = a.largeAllocated();
            long[] s = new long[5];
            for (int b = 0; b < SizeClasses.NBINS; b++) {
                s[0] += a.nmalloc[b];
                s[1] += a.ndalloc[b];
                s[2] += a.nrequests[b];
                s[3] += a.nfills[b];
                s[4] += a.nflushes[b];
            }
            long[] l = new long[5];
            for (int i = 0; i < a.lnmalloc.length; i++) {
                l[0] += a.lnmalloc[i];
                l[1] += a.lndalloc[i];
                l[2] += a.lnmalloc[i] + a.lnrequests[i];
                l[3] += a.lnmalloc[i];
                l[4] += a.lnflushes[i];
            }
            t.append(
                    "                            allocated         nmalloc         ndalloc       nrequests          nfill        nflush\n");
            t.append(String.format(
                    "small:                   %12d %15d %15d %15d %14d %13d%n", sm, s[0], s[1], s[2], s[3], s[4]));
            t.append(String.format(
                    "large:                   %12d %15d %15d %15d %14d %13d%n", lgA, l[0], l[1], l[2], l[3], l[4]));
            t.append(String.format(
                    "total:                   %12d %15d %15d %15d %14d %13d%n",
                    sm + lgA, s[0] + l[0], s[1] + l[1], s[2] + l[2], s[3] + l[3], s[4] + l[4]));
            t.append(String.format("active:                  %12d%n", a.pac.nactive << SizeClasses.LG_PAGE));
            t.append(String.format("mapped:                  %12d%n", a.base.mapped + a.pac.mapped));
            t.append(String.format("retained:                %12d%n", a.pac.retainedBytes()));
            t.append(String.format("base:                    %12d%n", a.base.allocated));
            t.append(String.format("internal:                %12d%n", a.internal));
            t.append(String.format(
                    "tcache:                  %12d%n",
                    je.tcache != null && je.tcache.arena == a ? je.tcache.cachedBytes() : 0));
            t.append(String.format(
                    "resident:                %12d%n",
                    a.base.resident + ((a.pac.nactive + a.pac.ndirty()) << SizeClasses.LG_PAGE)));
            t.append(
                    "bins:           size ind    allocated      nmalloc      ndalloc    nrequests      curregs     curslabs  nonfull_slabs regs pgs   util       nfills     nflushes     nreslabs\n");
            for (int b = 0; b < SizeClasses.NBINS; b++) {
                if (a.nmalloc[b] == 0) {
                    continue;
                }
                long regs = SizeClasses.nregs(b);
                double util = a.curslabs[b] == 0 ? 0 : (double) a.curregs[b] / (regs * a.curslabs[b]);
                t.append(String.format(
                        "              %7d %3d %12d %12d %12d %12d %12d %12d %14d %4d %3d %6.3f %12d %12d %12d%n",
                        SizeClasses.index2size(b),
                        b,
                        a.curregs[b] * SizeClasses.index2size(b),
                        a.nmalloc[b],
                        a.ndalloc[b],
                        a.nrequests[b],
                        a.curregs[b],
                        a.curslabs[b],
                        a.nonfullSlabs[b],
                        regs,
                        SizeClasses.slabSize(b) >> SizeClasses.LG_PAGE,
                        util,
                        a.nfills[b],
                        a.nflushes[b],
                        a.reslabs[b]));
            }
            t.append("large:          size ind    allocated      nmalloc      ndalloc    nrequests  curlextents\n");
            for (int i = 0; i < a.lnmalloc.length; i++) {
                if (a.lnmalloc[i] == 0) {
                    continue;
                }
                long sz = SizeClasses.index2size(SizeClasses.NBINS + i);
                long cur = a.lnmalloc[i] - a.lndalloc[i];
                t.append(String.format(
                        "              %7d %3d %12d %12d %12d %12d %12d%n",
                        sz,
                        SizeClasses.NBINS + i,
                        cur * sz,
                        a.lnmalloc[i],
                        a.lndalloc[i],
                        a.lnmalloc[i] + a.lnrequests[i],
                        cur));
            }
        }
        t.append("--- End jemalloc statistics ---\n");
        return t.toString();
    }
}
