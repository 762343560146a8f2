package io.kmemlab.boot.shell;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabInfoRow;
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
        sb.append(String.format(Locale.ROOT, " %-35s: %d / %d (%.1f%%)%n", "Active / Total Objects (% used)",
                activeObjs, objs, pct(activeObjs, objs)));
        sb.append(String.format(Locale.ROOT, " %-35s: %d / %d (%.1f%%)%n", "Active / Total Slabs (% used)",
                activeSlabs, slabs, pct(activeSlabs, slabs)));
        sb.append(String.format(Locale.ROOT, " %-35s: %d / %d (%.1f%%)%n", "Active / Total Caches (% used)",
                activeCaches, rows.size(), pct(activeCaches, rows.size())));
        sb.append(String.format(Locale.ROOT, " %-35s: %.2fK / %.2fK (%.1f%%)%n", "Active / Total Size (% used)",
                activeSize / 1024, totalSize / 1024, totalSize == 0 ? 0 : 100 * activeSize / totalSize));
        sb.append(String.format(Locale.ROOT, " %-35s: %.2fK / %.2fK / %.2fK%n%n", "Minimum / Average / Maximum Object",
                minObj / 1024.0, avgObj / 1024, maxObj / 1024.0));
        sb.append(String.format(Locale.ROOT, "%6s %6s %4s %8s %6s %8s %10s %-23s%n", "OBJS", "ACTIVE", "USE",
                "OBJ SIZE", "SLABS", "OBJ/SLAB", "CACHE SIZE", "NAME"));
        List<SlabInfoRow> sorted = new ArrayList<>(rows);
        sorted.sort(Comparator.comparingLong(SlabInfoRow::numObjs).reversed());
        for (SlabInfoRow r : sorted) {
            long use = r.numObjs() == 0 ? 0 : 100 * r.activeObjs() / r.numObjs();
            long cacheK = r.numSlabs() * r.pagesPerSlab() * (long) Addr.PAGE_SIZE / 1024;
            sb.append(String.format(Locale.ROOT, "%6d %6d %3d%% %7.2fK %6d %8d %9dK %-23s%n", r.numObjs(),
                    r.activeObjs(), use, r.objSize() / 1024.0, r.numSlabs(), r.objPerSlab(), cacheK, r.name()));
        }
        return sb.toString().replace("\r", "");
    }

    private static double pct(long part, long whole) {
        return whole == 0 ? 0 : 100.0 * part / whole;
    }
}
