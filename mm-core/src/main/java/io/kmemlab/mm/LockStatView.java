package io.kmemlab.mm;

import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.VLock;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.TraceFormat;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /proc/lock_stat} with CONFIG_LOCK_STAT, as kernel/locking/lockdep_proc.c prints it
 * (version 0.4): a pure function of the virtual-time locks of a contention run.
 *
 * <p>Per lock class (the kernel keeps statistics per class, so every {@code &zone->lock} of every
 * zone adds into one row): bounces, contentions, wait times, bounces, acquisitions, hold times;
 * times are nanoseconds printed in microseconds with two decimals, rounded as snprint_time()
 * does ({@link #time}). Classes are ordered by contentions, most first (lock_stat_cmp; among equal
 * counts kmemlab keeps registration order where the kernel's heap sort has no defined order). A
 * contended class is followed by its contention points — where the waiters called spin_lock —
 * and its contending points — where the holder had taken it — as {@code [<%p>] %pS}: a hashed
 * pointer and {@code symbol+0xoff/0xsize} of the machine's kallsyms, each point a kernel function
 * interned with the offset and size in {@link #SITES} (kmemlab's text is synthetic).
 *
 * <p>Simplification: the kernel keeps the first four call sites a class saw; kmemlab merges the
 * first four of each instance, in instance order.
 */
public final class LockStatView {
    private LockStatView() {}

    /** The path, mode 0600 as the kernel's proc_create("lock_stat", S_IRUSR | S_IWUSR). */
    public static final String PATH = "/proc/lock_stat";

    private static final int WIDTH = 40 + 1 + 12 * (14 + 1);

    /**
     * The kernel functions that take kmemlab's kernel locks: {offset of the spin_lock call, size}
     * (a call inside the function, as _RET_IP_ points after it).
     */
    static final Map<String, int[]> SITES = Map.ofEntries(
            Map.entry("rmqueue_bulk", new int[] {0x4c, 0x6f0}),
            Map.entry("free_pcppages_bulk", new int[] {0x5a, 0x2b0}),
            Map.entry("rmqueue_buddy", new int[] {0x71, 0x3d0}),
            Map.entry("free_one_page", new int[] {0x3e, 0xd0}),
            Map.entry("rmqueue_pcplist", new int[] {0x8c, 0x2e0}),
            Map.entry("get_partial_node", new int[] {0x46, 0x1f0}),
            Map.entry("__put_partials", new int[] {0x55, 0x170}),
            Map.entry("__slab_free", new int[] {0x1ce, 0x370}),
            Map.entry("cache_alloc_refill", new int[] {0x9b, 0x5e0}),
            Map.entry("cache_flusharray", new int[] {0x3f, 0x150}),
            Map.entry("slob_alloc", new int[] {0x5d, 0x370}),
            Map.entry("slob_free", new int[] {0x47, 0x3c0}));

    private static final int[] UNKNOWN_SITE = {0x20, 0x100};

    /** Registers {@link #PATH} on {@code machine}: its locks' last contention run; {@code echo 0 >} clears. */
    public static void register(Machine machine) {
        machine.vfs()
                .register(
                        PATH,
                        0600,
                        () -> text(
                                machine.locks().vlocks(),
                                machine.locks().scheduler(),
                                machine.symbols(),
                                machine.tracer().format()),
                        written -> {
                            // lock_stat_write(): a first character '0' clears, anything else is ignored
                            if (!written.isEmpty() && written.charAt(0) == '0') {
                                for (VLock l : machine.locks().vlocks()) {
                                    l.resetCounters();
                                }
                            }
                            return null;
                        });
    }

    /** snprint_time(): {@code ns} as microseconds, {@code (ns + 5) / 1000 "." remainder / 10}. */
    public static String time(long ns) {
        long nr = ns + 5;
        long div = nr / 1000;
        long rem = nr % 1000;
        String r = Long.toString(rem / 10);
        return div + "." + (r.length() < 2 ? "0" + r : r);
    }

    /** One row of the file: a lock class, its instances summed. */
    private static final class ClassStats {
        final String name;
        final int order;
        long conBounces;
        long contentions;
        long waitMin = Long.MAX_VALUE;
        long waitMax;
        long waitTotal;
        long acqBounces;
        long acquisitions;
        long holdMin = Long.MAX_VALUE;
        long holdMax;
        long holdTotal;
        final List<Integer> contentionSites = new ArrayList<>();
        final List<Long> contentionCounts = new ArrayList<>();
        final List<Integer> contendingSites = new ArrayList<>();
        final List<Long> contendingCounts = new ArrayList<>();

        ClassStats(String name, int order) {
            this.name = name;
            this.order = order;
        }

        void add(VLock l) {
            conBounces += l.conBounces();
            contentions += l.contentions();
            if (l.contentions() > 0) {
                waitMin = Math.min(waitMin, l.waitMin());
            }
            waitMax = Math.max(waitMax, l.waitMax());
            waitTotal += l.waitTotal();
            acqBounces += l.acqBounces();
            acquisitions += l.acquisitions();
            if (l.acquisitions() > 0) {
                holdMin = Math.min(holdMin, l.holdMin());
            }
            holdMax = Math.max(holdMax, l.holdMax());
            holdTotal += l.holdTotal();
            for (int i = 0; i < 4; i++) {
                merge(contentionSites, contentionCounts, l.contentionSite(i), l.contentionCount(i));
                merge(contendingSites, contendingCounts, l.contendingSite(i), l.contendingCount(i));
            }
        }

        private static void merge(List<Integer> sites, List<Long> counts, int site, long count) {
            if (count == 0) {
                return;
            }
            int i = sites.indexOf(site);
            if (i >= 0) {
                counts.set(i, counts.get(i) + count);
            } else if (sites.size() < 4) {
                sites.add(site);
                counts.add(count);
            }
        }
    }

    /**
     * The file's text for {@code locks} (instances of one class share a name); {@code scheduler}
     * names their call sites (may be null when there are no locks).
     */
    public static String text(List<VLock> locks, Scheduler scheduler, Symbols symbols, TraceFormat format) {
        Map<String, ClassStats> classes = new LinkedHashMap<>();
        for (VLock l : locks) {
            classes.computeIfAbsent(l.name(), n -> new ClassStats(n, classes.size()))
                    .add(l);
        }
        List<ClassStats> rows = new ArrayList<>(classes.values());
        rows.sort((a, b) -> a.contentions != b.contentions
                ? Long.compare(b.contentions, a.contentions)
                : Integer.compare(a.order, b.order));
        StringBuilder sb = new StringBuilder();
        sb.append("lock_stat version 0.4\n");
        rule(sb, '-', 0, WIDTH);
        sb.append(fmt(
                "%40s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s %14s\n",
                "class name",
                "con-bounces",
                "contentions",
                "waittime-min",
                "waittime-max",
                "waittime-total",
                "waittime-avg",
                "acq-bounces",
                "acquisitions",
                "holdtime-min",
                "holdtime-max",
                "holdtime-total",
                "holdtime-avg"));
        rule(sb, '-', 0, WIDTH);
        sb.append('\n');
        for (ClassStats c : rows) {
            row(sb, c, scheduler, symbols, format);
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, ClassStats c, Scheduler scheduler, Symbols symbols, TraceFormat format) {
        if (c.acquisitions == 0) {
            return;
        }
        // snprintf(name, 38, …): at most 37 characters
        String name = c.name.length() > 37 ? c.name.substring(0, 37) : c.name;
        sb.append(fmt("%40s:", name));
        sb.append(fmt("%14d ", c.conBounces));
        lockTime(sb, c.contentions, c.contentions == 0 ? 0 : c.waitMin, c.waitMax, c.waitTotal);
        sb.append(fmt(" %14d ", c.acqBounces));
        lockTime(sb, c.acquisitions, c.holdMin, c.holdMax, c.holdTotal);
        sb.append('\n');
        if (c.contentions == 0) {
            return;
        }
        points(sb, name, c.contentionSites, c.contentionCounts, scheduler, symbols, format);
        int contending = points(sb, name, c.contendingSites, c.contendingCounts, scheduler, symbols, format);
        if (contending > 0) {
            sb.append('\n');
            rule(sb, '.', 0, WIDTH);
            sb.append('\n');
        }
    }

    private static int points(
            StringBuilder sb,
            String name,
            List<Integer> sites,
            List<Long> counts,
            Scheduler scheduler,
            Symbols symbols,
            TraceFormat format) {
        for (int i = 0; i < sites.size(); i++) {
            if (i == 0) {
                rule(sb, '-', 40 - name.length(), name.length());
            }
            String fn = scheduler.siteName(sites.get(i));
            if (fn.isEmpty()) {
                // a lock step that named no call site: no address to show
                sb.append(fmt("%40s %14d %29s 0x0\n", name, counts.get(i), "[<0000000000000000>]"));
                continue;
            }
            int[] at = SITES.getOrDefault(fn, UNKNOWN_SITE);
            long ip = symbols.intern(fn, at[0], at[1]);
            // %p in a seq_file: the hashed id (no_hash_pointers is not kmemlab's default)
            String ipText = fmt("[<%016x>]", format.hashedId(ip));
            sb.append(fmt("%40s %14d %29s ", name, counts.get(i), ipText));
            symbols.append(sb, ip);
            sb.append('\n');
        }
        return sites.size();
    }

    private static void lockTime(StringBuilder sb, long nr, long min, long max, long total) {
        sb.append(fmt("%14d", nr));
        sb.append(fmt(" %14s", time(min)));
        sb.append(fmt(" %14s", time(max)));
        sb.append(fmt(" %14s", time(total)));
        sb.append(fmt(" %14s", time(nr == 0 ? 0 : total / nr)));
    }

    private static String fmt(String f, Object... args) {
        return String.format(Locale.ROOT, f, args);
    }

    private static void rule(StringBuilder sb, char c, int offset, int length) {
        sb.append(" ".repeat(Math.max(0, offset)))
                .append(String.valueOf(c).repeat(length))
                .append('\n');
    }
}
