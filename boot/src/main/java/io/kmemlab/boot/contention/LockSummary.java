package io.kmemlab.boot.contention;

import io.kmemlab.mm.sched.VLock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The locks of a run whose real library prints no lock statistics (glibc, the free-list
 * allocators): one line per lock class (locks of the same name summed, as lock_stat groups by
 * class), with the counters lock_stat and jemalloc's mutex profile keep. Times in virtual ns.
 */
public final class LockSummary {
    private LockSummary() {}

    private static final String FMT = "%-20s %5s %-15s %12s %11s %10s %10s %11s %14s %12s %14s%n";

    public static String render(List<VLock> locks) {
        Map<String, long[]> byName = new LinkedHashMap<>();
        Map<String, String> policy = new LinkedHashMap<>();
        for (VLock l : locks) {
            long[] v = byName.computeIfAbsent(l.name(), k -> new long[10]);
            policy.putIfAbsent(l.name(), l.policy().name());
            v[0]++;
            v[1] += l.acquisitions();
            v[2] += l.contentions();
            v[3] += l.sleeps();
            v[4] += l.spinAcquired();
            v[5] += l.ownerSwitches();
            v[6] += l.waitTotal();
            v[7] = Math.max(v[7], l.waitMax());
            v[8] += l.holdTotal();
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                FMT,
                "lock",
                "locks",
                "policy",
                "acquisitions",
                "contentions",
                "sleeps",
                "spin-acq",
                "owner-sw",
                "wait-total-ns",
                "wait-max-ns",
                "hold-total-ns"));
        for (Map.Entry<String, long[]> e : byName.entrySet()) {
            long[] v = e.getValue();
            sb.append(String.format(
                    Locale.ROOT,
                    FMT,
                    e.getKey(),
                    v[0],
                    policy.get(e.getKey()),
                    v[1],
                    v[2],
                    v[3],
                    v[4],
                    v[5],
                    v[6],
                    v[7],
                    v[8]));
        }
        return sb.toString();
    }
}
