package io.kmemlab.boot.shell;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabInfoRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * procps-ng {@code slabtop --once}: the five summary lines, a blank line, the column header and
 * one row per cache sorted by number of objects (the default sort), computed from the same rows
 * /proc/slabinfo prints.
 */
public final class Slabtop {
    private Slabtop() {}

    public static String render(List<KmemCache> caches) {
        List<SlabInfoRow> rows = new ArrayList<>();
        for (KmemCache c : caches) {
            rows.add(c.impl().slabinfo());
        }
        long activeObjs = 0;
        long objs = 0;
        long activeSlabs = 0;
        long slabs = 0;
        long activeCaches = 0;
        double activeSize = 0;
        double totalSize = 0;
        long minObj = Long.MAX_VALUE;
        long maxObj = 0;
        for (SlabInfoRow r : rows) {
            activeObjs += r.activeObjs();
            objs += r.numObjs();
            activeSlabs += r.activeSlabs();
            slabs += r.numSlabs();
            if (r.activeObjs() > 0) {
                activeCaches++;
            }
            activeSize += (double) r.activeObjs() * r.objSize();
            totalSize += (double) r.numObjs() * r.objSize();
            minObj = Math.min(minObj, r.objSize());
            maxObj = Math.max(maxObj, r.objSize());
        }
        if (rows.isEmpty()) {
            minObj = 0;
        }
        double avgObj = objs == 0 ? 0 : totalSize / objs;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                " %-35s: %d / %d (%s%%)%n",
                "Active / Total Objects (% used)",
                activeObjs,
                objs,
                fixed(pct(activeObjs, objs), 1)));
        sb.append(String.format(
                Locale.ROOT,
                " %-35s: %d / %d (%s%%)%n",
                "Active / Total Slabs (% used)",
                activeSlabs,
                slabs,
                fixed(pct(activeSlabs, slabs), 1)));
        sb.append(String.format(
                Locale.ROOT,
                " %-35s: %d / %d (%s%%)%n",
                "Active / Total Caches (% used)",
                activeCaches,
                rows.size(),
                fixed(pct(activeCaches, rows.size()), 1)));
        sb.append(String.format(
                Locale.ROOT,
                " %-35s: %sK / %sK (%s%%)%n",
                "Active / Total Size (% used)",
                fixed(activeSize / 1024, 2),
                fixed(totalSize / 1024, 2),
                fixed(totalSize == 0 ? 0 : 100 * activeSize / totalSize, 1)));
        sb.append(String.format(
                Locale.ROOT,
                " %-35s: %sK / %sK / %sK%n%n",
                "Minimum / Average / Maximum Object",
                fixed(minObj / 1024.0, 2),
                fixed(avgObj / 1024, 2),
                fixed(maxObj / 1024.0, 2)));
        sb.append(String.format(
                Locale.ROOT,
                "%6s %6s %4s %8s %6s %8s %10s %-23s%n",
                "OBJS",
                "ACTIVE",
                "USE",
                "OBJ SIZE",
                "SLABS",
                "OBJ/SLAB",
                "CACHE SIZE",
                "NAME"));
        List<SlabInfoRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(SlabInfoRow::numObjs).reversed());
        for (SlabInfoRow r : sorted) {
            long use = r.numObjs() == 0 ? 0 : 100 * r.activeObjs() / r.numObjs();
            long cacheK = r.numSlabs() * r.pagesPerSlab() * (long) Addr.PAGE_SIZE / 1024;
            sb.append(String.format(
                    Locale.ROOT,
                    "%6d %6d %3d%% %7sK %6d %8d %9dK %-23s%n",
                    r.numObjs(),
                    r.activeObjs(),
                    use,
                    fixed(r.objSize() / 1024.0, 2),
                    r.numSlabs(),
                    r.objPerSlab(),
                    cacheK,
                    r.name()));
        }
        return sb.toString().replace("\r", "");
    }

    /**
     * C's printf("%.Nf"): the double's exact binary value rounded to N decimals, a tie to even
     * (0.125 prints "0.12", 1912.625 prints "1912.62"); Java's %f would round such ties up.
     */
    static String fixed(double value, int digits) {
        return new BigDecimal(value).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
