package io.kmemlab.boot.contention.kernel;

import java.util.List;

/**
 * The text of xv6's {@code statistics()} device for the lock lab (kernel/spinlock.c's
 * statslock(), 2020 lab): the {@code kmem} and {@code bcache} locks, then the five most contended
 * locks found by the lab's own "stupid way" (each round the lock with the most test-and-sets below
 * the previous round's, starting from the first registered lock, so a table where nothing spins
 * prints its first lock five times), then {@code tot=}, the test-and-sets of the kmem and bcache
 * locks. A lock never acquired prints nothing (snprint_lock).
 */
final class Xv6Stats {
    private Xv6Stats() {}

    /** One xv6 spinlock's counters: its name, {@code nts} and {@code n}. */
    record Lock(String name, long nts, long n) {}

    static String text(List<Lock> locks) {
        StringBuilder sb = new StringBuilder("--- lock kmem/bcache stats\n");
        long tot = 0;
        for (Lock l : locks) {
            if (l.name().startsWith("bcache") || l.name().startsWith("kmem")) {
                tot += l.nts();
                line(sb, l);
            }
        }
        sb.append("--- top 5 contended locks:\n");
        long last = 100_000_000;
        for (int t = 0; t < 5 && !locks.isEmpty(); t++) {
            int top = 0;
            for (int i = 0; i < locks.size(); i++) {
                if (locks.get(i).nts() > locks.get(top).nts() && locks.get(i).nts() < last) {
                    top = i;
                }
            }
            line(sb, locks.get(top));
            last = locks.get(top).nts();
        }
        sb.append("tot= ").append(tot).append('\n');
        return sb.toString();
    }

    /** tot: the sum {@link #text} ends with. */
    static long tot(List<Lock> locks) {
        long tot = 0;
        for (Lock l : locks) {
            if (l.name().startsWith("bcache") || l.name().startsWith("kmem")) {
                tot += l.nts();
            }
        }
        return tot;
    }

    private static void line(StringBuilder sb, Lock l) {
        if (l.n() > 0) {
            sb.append("lock: ")
                    .append(l.name())
                    .append(": #test-and-set ")
                    .append(l.nts())
                    .append(" #acquire() ")
                    .append(l.n())
                    .append('\n');
        }
    }
}
