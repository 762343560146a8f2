package io.kmemlab.boot.populate;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.user.TimeCategory;
import io.kmemlab.proc.CostModel;
import io.kmemlab.proc.PageUse;
import io.kmemlab.proc.ProcessTable;
import java.util.List;
import java.util.Locale;

/** The text of {@code kmemlab populate-demo}: a pure function of the runs. */
public final class PopulateReport {
    private PopulateReport() {}

    static String time(long nanos) {
        if (nanos >= 1_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
    }

    public static String render(List<PopulateDemo.Run> runs, long size, String machine) {
        StringBuilder sb = new StringBuilder();
        long pages = size >>> 12;
        sb.append(String.format(
                Locale.ROOT,
                "MAP_POPULATE and a %d MiB anonymous arena (%d pages), on %s%n%n",
                size >> 20,
                pages,
                machine));
        sb.append(String.format(
                Locale.ROOT,
                "%-28s %12s %8s %10s   %12s %8s %10s%n",
                "",
                "inside mmap",
                "",
                "",
                "touching every page",
                "",
                ""));
        sb.append(String.format(
                Locale.ROOT,
                "%-28s %12s %8s %10s   %12s %8s %10s%n",
                "variant",
                "time",
                "minflt",
                "RSS",
                "time",
                "minflt",
                "RSS"));
        for (PopulateDemo.Run r : runs) {
            sb.append(String.format(
                    Locale.ROOT,
                    "%-28s %12s %8d %7d kB   %12s %8d %7d kB%n",
                    r.variant().label(),
                    time(r.mmapNanos()),
                    r.mmapFaults(),
                    r.rssAfterMmap() << 2,
                    time(r.touchNanos()),
                    r.touchFaults(),
                    r.rssAfterTouch() << 2));
        }
        sb.append(String.format(Locale.ROOT, "%nWhere the virtual time went (mmap and touches, ms):%n"));
        sb.append(String.format(Locale.ROOT, "%-28s", "variant"));
        for (TimeCategory c : TimeCategory.values()) {
            sb.append(String.format(Locale.ROOT, " %9s", c.name().toLowerCase(Locale.ROOT)));
        }
        sb.append(String.format(Locale.ROOT, "%n"));
        for (PopulateDemo.Run r : runs) {
            sb.append(String.format(Locale.ROOT, "%-28s", r.variant().label()));
            for (TimeCategory c : TimeCategory.values()) {
                sb.append(String.format(Locale.ROOT, " %9.3f", r.nanosByCategory()[c.ordinal()] / 1e6));
            }
            sb.append(String.format(Locale.ROOT, "%n"));
        }
        sb.append(String.format(Locale.ROOT, "%nWhat the page allocator gave out (all order 0):%n"));
        for (PopulateDemo.Run r : runs) {
            sb.append(String.format(Locale.ROOT, "%-28s", r.variant().label()));
            String sep = " ";
            for (PageUse u : PageUse.values()) {
                long n = r.pagesByUse()[u.ordinal()];
                if (n > 0) {
                    sb.append(sep)
                            .append(n)
                            .append(" × ")
                            .append(Gfp.format(ProcessTable.gfpOf(u)))
                            .append(" (")
                            .append(u.name().toLowerCase(Locale.ROOT).replace('_', ' '))
                            .append(')');
                    sep = ", ";
                }
            }
            if (sep.equals(" ")) {
                sb.append(" nothing");
            }
            sb.append(String.format(
                    Locale.ROOT,
                    "; free pages (with the per-CPU lists) %d → %d; pgfault +%d%n",
                    r.freeBefore(),
                    r.freeAfter(),
                    r.pgfault()));
        }
        sb.append(String.format(Locale.ROOT, "%nCosts per page: %s%n", costs(CostModel.DEFAULT)));
        sb.append(String.format(Locale.ROOT, "%n%s", answer()));
        return sb.toString().replace("\r", "");
    }

    private static String costs(CostModel c) {
        return String.format(
                Locale.ROOT,
                "fault %d ns, allocation %d ns, clear %d ns, trap %d ns, touch %d ns"
                        + " (CostModel: calibrated on a 64 MiB mapping on Linux 6.18.44)",
                c.faultNanos(),
                c.pageAllocNanos(),
                c.clearPageNanos(),
                c.trapNanos(),
                c.touchNanos());
    }

    private static String answer() {
        return "MAP_POPULATE pre-faults the whole arena inside mmap: every page is allocated, zeroed and mapped,\n"
                + "RSS and the minor-fault count jump at once and the first touches take no fault. It moves the cost\n"
                + "(about the same per page, less the trap) into the mmap call; it reserves nothing more than a plain\n"
                + "mapping (the commit charge is the same), population is best effort, MAP_NONBLOCK cancels it, and a\n"
                + "read-only arena only maps the shared zero page (no RSS).\n";
    }
}
