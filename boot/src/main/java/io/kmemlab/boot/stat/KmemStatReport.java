package io.kmemlab.boot.stat;

import io.kmemlab.boot.stat.KmemStat.AllocStat;
import io.kmemlab.boot.stat.KmemStat.PageStat;
import io.kmemlab.mm.Gfp;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Prints a {@link KmemStat} in the layout of {@code perf kmem stat} (perf 6.1, C locale: no digit
 * grouping): the per-call-site and per-pointer slab tables, the slab summary, the GFP legend, the
 * page tables, the page summary and the order × migrate type table; then kmemlab's notes, lines
 * beginning {@code Note:}, on what a replay of the same trace counts differently.
 */
public final class KmemStatReport {
    private static final String DOTS = "-".repeat(105);
    /** perf's names of migrate types 0 … 5 (its table predates 6.18's order of them). */
    private static final String[] MIGRATE_TYPE = {"UNMOVABL", "RECLAIM", "MOVABLE", "RESERVED", "CMA/ISLT", "UNKNOWN"};

    /** perf's gfp_compact_table, in its order (see include/trace/events/mmflags.h). */
    private static final String[][] GFP_COMPACT = {
        {"GFP_TRANSHUGE", "THP"},
        {"GFP_TRANSHUGE_LIGHT", "THL"},
        {"GFP_HIGHUSER_MOVABLE", "HUM"},
        {"GFP_HIGHUSER", "HU"},
        {"GFP_USER", "U"},
        {"GFP_KERNEL_ACCOUNT", "KAC"},
        {"GFP_KERNEL", "K"},
        {"GFP_NOFS", "NF"},
        {"GFP_ATOMIC", "A"},
        {"GFP_NOIO", "NI"},
        {"GFP_NOWAIT", "NW"},
        {"GFP_DMA", "D"},
        {"__GFP_HIGHMEM", "HM"},
        {"GFP_DMA32", "D32"},
        {"__GFP_HIGH", "H"},
        {"__GFP_ATOMIC", "_A"},
        {"__GFP_IO", "I"},
        {"__GFP_FS", "F"},
        {"__GFP_COLD", "CO"},
        {"__GFP_NOWARN", "NWR"},
        {"__GFP_RETRY_MAYFAIL", "R"},
        {"__GFP_NOFAIL", "NF"},
        {"__GFP_NORETRY", "NR"},
        {"__GFP_COMP", "C"},
        {"__GFP_ZERO", "Z"},
        {"__GFP_NOMEMALLOC", "NMA"},
        {"__GFP_MEMALLOC", "MA"},
        {"__GFP_HARDWALL", "HW"},
        {"__GFP_THISNODE", "TN"},
        {"__GFP_RECLAIMABLE", "RC"},
        {"__GFP_MOVABLE", "M"},
        {"__GFP_ACCOUNT", "AC"},
        {"__GFP_NOTRACK", "NT"},
        {"__GFP_WRITE", "WR"},
        {"__GFP_RECLAIM", "R"},
        {"__GFP_DIRECT_RECLAIM", "DR"},
        {"__GFP_KSWAPD_RECLAIM", "KR"},
    };

    /**
     * What to print, as perf's options set it.
     *
     * @param callerLines rows of the call-site tables, −1 for all
     * @param allocLines rows of the per-pointer / per-page tables, −1 for all
     */
    public record Options(
            boolean slab,
            boolean page,
            boolean caller,
            boolean alloc,
            List<SortKey.Slab> slabCallerSort,
            List<SortKey.Slab> slabAllocSort,
            List<SortKey.Page> pageCallerSort,
            List<SortKey.Page> pageAllocSort,
            int callerLines,
            int allocLines,
            boolean live,
            boolean rawIp) {
        /** perf's defaults: {@code frag,hit,bytes} for slab tables, {@code bytes,hit} for page tables. */
        public static final List<SortKey.Slab> DEFAULT_SLAB_SORT =
                List.of(SortKey.Slab.FRAG, SortKey.Slab.HIT, SortKey.Slab.BYTES);

        public static final List<SortKey.Page> DEFAULT_PAGE_SORT = List.of(SortKey.Page.BYTES, SortKey.Page.HIT);
    }

    private final KmemStat stat;
    private final CallSites sites;
    private final Options o;
    private final StringBuilder out = new StringBuilder();

    private KmemStatReport(KmemStat stat, CallSites sites, Options o) {
        this.stat = stat;
        this.sites = sites;
        this.o = o;
    }

    /** The whole report. */
    public static String format(KmemStat stat, io.kmemlab.mm.trace.Symbols symbols, Options o) {
        KmemStatReport r = new KmemStatReport(stat, new CallSites(symbols), o);
        if (o.slab()) {
            r.slab();
        }
        if (o.page()) {
            r.page();
        }
        r.notes();
        return r.out.toString();
    }

    /** perf's fragmentation(): 100 − 100 × req / alloc, 0 without allocations. */
    static double fragmentation(long req, long alloc) {
        if (alloc == 0) {
            return 0.0;
        }
        return 100.0 - (100.0 * unsigned(req) / unsigned(alloc));
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (double) (v >>> 1) * 2.0 + (v & 1);
    }

    // --- slab ---------------------------------------------------------------------------

    private void slab() {
        if (o.caller()) {
            slabTable(
                    sorted(stat.byCallSite, (a, b) -> sites.compare(a.callSite, b.callSite), o.slabCallerSort()),
                    o.callerLines(),
                    true);
        }
        if (o.alloc()) {
            slabTable(
                    sorted(stat.byPtr, (a, b) -> Long.compareUnsigned(a.ptr, b.ptr), o.slabAllocSort()),
                    o.allocLines(),
                    false);
        }
        out.append("\nSUMMARY (SLAB allocator)");
        out.append("\n========================\n");
        line("Total bytes requested: %s", u(stat.totalRequested));
        line("Total bytes allocated: %s", u(stat.totalAllocated));
        line("Total bytes freed:     %s", u(stat.totalFreed));
        if (Long.compareUnsigned(stat.totalAllocated, stat.totalFreed) > 0) {
            line("Net total bytes allocated: %s", u(stat.totalAllocated - stat.totalFreed));
        }
        line("Total bytes wasted on internal fragmentation: %s", u(stat.totalAllocated - stat.totalRequested));
        line("Internal fragmentation: %s%%", fixed(fragmentation(stat.totalRequested, stat.totalAllocated), 6));
        line("Cross CPU allocations: %s/%s", u(stat.nrCrossAllocs), u(stat.nrAllocs));
    }

    /** The table source order (perf's rbtree) then a stable sort, greatest first. */
    private List<AllocStat> sorted(List<AllocStat> rows, Comparator<AllocStat> base, List<SortKey.Slab> keys) {
        List<AllocStat> l = new ArrayList<>(rows);
        l.sort(base);
        List<Comparator<AllocStat>> cs = new ArrayList<>();
        for (SortKey.Slab k : keys) {
            cs.add(k.comparator(sites));
        }
        l.sort(SortKey.chain(cs).reversed());
        return l;
    }

    /** As __print_slab_result(). */
    private void slabTable(List<AllocStat> rows, int lines, boolean caller) {
        out.append(DOTS).append('\n');
        out.append(String.format(Locale.ROOT, " %-34s |", caller ? "Callsite" : "Alloc Ptr"));
        out.append(" Total_alloc/Per | Total_req/Per   | Hit      | Ping-pong | Frag\n");
        out.append(DOTS).append('\n');
        int n = lines;
        int i = 0;
        while (i < rows.size() && n-- != 0) {
            AllocStat d = rows.get(i++);
            String name = caller
                    ? sites.symbolOffset(d.callSite, o.rawIp())
                    : (d.ptr == 0 ? "0" : "0x" + Long.toHexString(d.ptr));
            out.append(String.format(Locale.ROOT, " %-34s |", name));
            out.append(String.format(
                    Locale.ROOT,
                    " %9s/%-5s | %9s/%-5s | %8s | %9s | %6s%%\n",
                    u(d.bytesAlloc),
                    u(Long.divideUnsigned(d.bytesAlloc, d.hit)),
                    u(d.bytesReq),
                    u(Long.divideUnsigned(d.bytesReq, d.hit)),
                    u(d.hit),
                    u(d.pingpong),
                    fixed(fragmentation(d.bytesReq, d.bytesAlloc), 3)));
        }
        if (n == -1) {
            out.append(
                    " ...                                | ...             | ...             | ...      | ...       | ...   \n");
        }
        out.append(DOTS).append('\n');
    }

    // --- page ---------------------------------------------------------------------------

    private void page() {
        Map<Integer, String> compact = new TreeMap<>(Integer::compareUnsigned);
        int maxGfpLen = 0;
        for (Integer g : stat.gfpsSeen.keySet()) {
            String c = compact(Gfp.format(g));
            compact.put(g, c);
            maxGfpLen = Math.max(maxGfpLen, c.length());
        }
        int gfpLen = Math.max("GFP flags".length(), maxGfpLen);
        if (o.caller() || o.alloc()) {
            out.append("#\n# GFP flags\n# ---------\n");
            for (Map.Entry<Integer, String> e : compact.entrySet()) {
                out.append(String.format(
                        Locale.ROOT,
                        "# %08x: %" + Math.max(maxGfpLen, 1) + "s: %s\n",
                        e.getKey(),
                        e.getValue(),
                        Gfp.format(e.getKey())));
            }
        }
        if (o.caller()) {
            pageCallerTable(compact, gfpLen);
        }
        if (o.alloc()) {
            pageAllocTable(compact, gfpLen);
        }
        pageSummary();
    }

    private List<PageStat> sortedPages(List<PageStat> rows, Comparator<PageStat> base, List<SortKey.Page> keys) {
        List<PageStat> l = new ArrayList<>(rows);
        l.sort(base);
        List<Comparator<PageStat>> cs = new ArrayList<>();
        for (SortKey.Page k : keys) {
            cs.add(k.comparator(sites));
        }
        l.sort(SortKey.chain(cs).reversed());
        return l;
    }

    /** The rest of perf's page tree order after the first key: order, migtype, gfp. */
    private static int orderMigGfp(PageStat a, PageStat b) {
        int r = Integer.compare(a.order, b.order);
        if (r == 0) {
            r = Integer.compareUnsigned(a.migrateType, b.migrateType);
        }
        return r != 0 ? r : Integer.compareUnsigned(a.gfpFlags, b.gfpFlags);
    }

    /** As __print_page_caller_result(). */
    private void pageCallerTable(Map<Integer, String> compact, int gfpLen) {
        List<PageStat> rows = sortedPages(
                new ArrayList<>(stat.pageCaller.values()),
                (a, b) -> {
                    int r = sites.compare(a.callSite, b.callSite);
                    return r != 0 ? r : orderMigGfp(a, b);
                },
                o.pageCallerSort());
        out.append('\n').append(DOTS).append('\n');
        out.append(String.format(
                Locale.ROOT,
                " %5s alloc (KB) | Hits      | Order | Mig.type | %-" + gfpLen + "s | Callsite\n",
                o.live() ? "Live" : "Total",
                "GFP flags"));
        out.append(DOTS).append('\n');
        int n = o.callerLines();
        int i = 0;
        while (i < rows.size() && n-- != 0) {
            PageStat d = rows.get(i++);
            out.append(String.format(
                    Locale.ROOT,
                    " %16s | %9d | %5d | %8s | %-" + gfpLen + "s | %s\n",
                    u(Long.divideUnsigned(d.allocBytes, 1024)),
                    d.nrAlloc,
                    d.order,
                    migrateType(d.migrateType),
                    compact.getOrDefault(d.gfpFlags, ""),
                    sites.function(d.callSite)));
        }
        if (n == -1) {
            out.append(String.format(
                    Locale.ROOT,
                    " ...              | ...       | ...   | ...      | %-" + gfpLen + "s | ...\n",
                    "..."));
        }
        out.append(DOTS).append('\n');
    }

    /** As __print_page_alloc_result() (the pfn form). */
    private void pageAllocTable(Map<Integer, String> compact, int gfpLen) {
        List<PageStat> rows = o.live()
                ? sortedPages(
                        new ArrayList<>(stat.pageLive.values()),
                        (a, b) -> Long.compareUnsigned(b.page, a.page),
                        o.pageAllocSort())
                : sortedPages(
                        new ArrayList<>(stat.pageAlloc.values()),
                        (a, b) -> {
                            int r = Long.compareUnsigned(a.page, b.page);
                            return r != 0 ? r : orderMigGfp(a, b);
                        },
                        o.pageAllocSort());
        out.append('\n').append(DOTS).append('\n');
        out.append(String.format(
                Locale.ROOT,
                " %-16s | %5s alloc (KB) | Hits      | Order | Mig.type | %-" + gfpLen + "s | Callsite\n",
                "PFN",
                o.live() ? "Live" : "Total",
                "GFP flags"));
        out.append(DOTS).append('\n');
        int n = o.allocLines();
        int i = 0;
        while (i < rows.size() && n-- != 0) {
            PageStat d = rows.get(i++);
            out.append(String.format(
                    Locale.ROOT,
                    " %16s | %16s | %9d | %5d | %8s | %-" + gfpLen + "s | %s\n",
                    u(d.page),
                    u(Long.divideUnsigned(d.allocBytes, 1024)),
                    d.nrAlloc,
                    d.order,
                    migrateType(d.migrateType),
                    compact.getOrDefault(d.gfpFlags, ""),
                    sites.function(d.callSite)));
        }
        if (n == -1) {
            out.append(String.format(
                    Locale.ROOT,
                    " ...              | ...              | ...       | ...   | ...      | %-" + gfpLen + "s | ...\n",
                    "..."));
        }
        out.append(DOTS).append('\n');
    }

    private static String migrateType(int mt) {
        return mt >= 0 && mt < MIGRATE_TYPE.length ? MIGRATE_TYPE[mt] : MIGRATE_TYPE[MIGRATE_TYPE.length - 1];
    }

    /** As print_page_summary(). */
    private void pageSummary() {
        long nrAllocFreed = stat.nrPageFrees - stat.nrPageNomatch;
        long allocFreedBytes = stat.totalPageFreeBytes - stat.totalPageNomatchBytes;
        out.append("\nSUMMARY (page allocator)");
        out.append("\n========================\n");
        summaryRow("Total allocation requests", stat.nrPageAllocs, stat.totalPageAllocBytes);
        summaryRow("Total free requests", stat.nrPageFrees, stat.totalPageFreeBytes);
        out.append('\n');
        summaryRow("Total alloc+freed requests", nrAllocFreed, allocFreedBytes);
        summaryRow(
                "Total alloc-only requests",
                stat.nrPageAllocs - nrAllocFreed,
                stat.totalPageAllocBytes - allocFreedBytes);
        summaryRow("Total free-only requests", stat.nrPageNomatch, stat.totalPageNomatchBytes);
        out.append('\n');
        summaryRow("Total allocation failures", stat.nrPageFails, stat.totalPageFailBytes);
        out.append('\n');
        out.append(String.format(
                Locale.ROOT,
                "%5s  %12s  %12s  %12s  %12s  %12s\n",
                "Order",
                "Unmovable",
                "Reclaimable",
                "Movable",
                "Reserved",
                "CMA/Isolated"));
        out.append("-----  ------------  ------------  ------------  ------------  ------------\n");
        for (int ord = 0; ord < KmemStat.MAX_ORDER; ord++) {
            out.append(String.format(Locale.ROOT, "%5d", ord));
            for (int m = 0; m < KmemStat.MAX_MIGRATE_TYPES - 1; m++) {
                long v = stat.orderStats[ord][m];
                out.append(
                        v != 0 ? String.format(Locale.ROOT, "  %12d", v) : String.format(Locale.ROOT, "  %12c", '.'));
            }
            out.append('\n');
        }
    }

    private void summaryRow(String label, long n, long bytes) {
        out.append(String.format(
                Locale.ROOT, "%-30s: %16s   [ %16s KB ]\n", label, u(n), u(Long.divideUnsigned(bytes, 1024))));
    }

    // --- notes --------------------------------------------------------------------------

    /** What a replay counts differently from perf, when the trace has such events. */
    private void notes() {
        if (o.slab() && stat.doubledLarge > 0) {
            line(
                    "%nNote: %s large kmalloc requests were traced twice (by __kmalloc_large_node_noprof and by its "
                            + "caller) and are counted twice above, as perf counts them; a replay applies each once "
                            + "(%s fewer allocations, %s fewer bytes requested, %s fewer bytes allocated).",
                    u(stat.doubledLarge), u(stat.doubledLarge), u(stat.doubledReq), u(stat.doubledAlloc));
        }
        if (o.page() && stat.batchedFrees > 0) {
            line(
                    "%sNote: %s mm_page_free_batched events are not counted (perf kmem reads mm_page_free only); a "
                            + "replay with --page-events frees those pages.",
                    o.slab() && stat.doubledLarge > 0 ? "" : "\n", u(stat.batchedFrees));
        }
    }

    // --- helpers --------------------------------------------------------------------------

    private void line(String fmt, Object... args) {
        out.append(String.format(Locale.ROOT, fmt, args).replace("\r", "")).append('\n');
    }

    private static String u(long v) {
        return Long.toUnsignedString(v);
    }

    /** C's {@code %.Nf}: the double's exact binary value rounded half-even, as glibc prints it. */
    static String fixed(double v, int digits) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return Double.isNaN(v) ? "nan" : (v > 0 ? "inf" : "-inf");
        }
        return new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    /** As compact_gfp_flags(): each word of the flag text that perf's table knows, by its short name. */
    static String compact(String gfpText) {
        StringBuilder sb = new StringBuilder();
        for (String word : gfpText.split("\\|")) {
            for (String[] e : GFP_COMPACT) {
                if (e[0].equals(word)) {
                    if (sb.length() > 0) {
                        sb.append('|');
                    }
                    sb.append(e[1]);
                }
            }
        }
        return sb.toString();
    }
}
