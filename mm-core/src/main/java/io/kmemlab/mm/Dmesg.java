package io.kmemlab.mm;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated kernel log ring buffer. Lines carry the printk timestamp of the virtual clock
 * ({@code [    0.000000] }), like {@code dmesg}. Reports of user mistakes (see {@link ReportKind})
 * go here in the kernel's words and are counted; the caller decides whether to continue.
 *
 * <p>Lines are also logged to the SLF4J logger {@code kmemlab.dmesg} so that logback can route
 * them. The ring keeps at most {@link #CAPACITY} lines; {@link #sequence()} numbers every line ever
 * printed, so a caller can print what one command added with {@link #since(long)}.
 */
public final class Dmesg {
    public static final int CAPACITY = 1 << 16;
    private static final Logger LOG = LoggerFactory.getLogger("kmemlab.dmesg");

    /** printk log levels. */
    public enum Level {
        EMERG,
        ALERT,
        CRIT,
        ERR,
        WARNING,
        NOTICE,
        INFO,
        DEBUG
    }

    private final VirtualClock clock;
    private final ArrayDeque<String> ring = new ArrayDeque<>();
    /** The printk level of each line of {@link #ring}, in the same order. */
    private final ArrayDeque<Level> levels = new ArrayDeque<>();

    private final long[] reports = new long[ReportKind.COUNT];
    private long sequence;

    public Dmesg(VirtualClock clock) {
        this.clock = clock;
    }

    /** printk: each line of {@code text} becomes one log line with the current timestamp. */
    public void printk(Level level, String text) {
        String stamp = String.format("[%5d.%06d] ", clock.seconds(), clock.micros());
        for (String line : text.split("\n", -1)) {
            if (line.isEmpty() && text.endsWith("\n")) {
                continue;
            }
            String full = stamp + line;
            if (ring.size() == CAPACITY) {
                ring.pollFirst();
                levels.pollFirst();
            }
            ring.addLast(full);
            levels.addLast(level);
            sequence++;
            log(level, full);
        }
    }

    private static void log(Level level, String line) {
        switch (level) {
            case EMERG, ALERT, CRIT, ERR -> LOG.error(line);
            case WARNING -> LOG.warn(line);
            case NOTICE, INFO -> LOG.info(line);
            default -> LOG.debug(line);
        }
    }

    public void info(String text) {
        printk(Level.INFO, text);
    }

    public void warn(String text) {
        printk(Level.WARNING, text);
    }

    public void err(String text) {
        printk(Level.ERR, text);
    }

    /** Prints a report at KERN_ERR (or WARNING for {@link ReportKind#WARN}) and counts it. */
    public void report(ReportKind kind, String text) {
        reports[kind.ordinal()]++;
        printk(kind == ReportKind.WARN ? Level.WARNING : Level.ERR, text);
    }

    /** Counts a report that a rate limit kept out of the log (the kernel's "callbacks suppressed"). */
    public void count(ReportKind kind) {
        reports[kind.ordinal()]++;
    }

    public long reportCount(ReportKind kind) {
        return reports[kind.ordinal()];
    }

    public long totalReports() {
        long n = 0;
        for (long r : reports) {
            n += r;
        }
        return n;
    }

    /** Number of lines printed since boot (not capped by the ring). */
    public long sequence() {
        return sequence;
    }

    /** Lines printed after {@code mark} (a previous {@link #sequence()}), oldest first. */
    public List<String> since(long mark) {
        long n = Math.min(sequence - mark, ring.size());
        List<String> out = new ArrayList<>((int) Math.max(n, 0));
        int skip = (int) (ring.size() - n);
        int i = 0;
        for (String line : ring) {
            if (i++ >= skip) {
                out.add(line);
            }
        }
        return out;
    }

    /**
     * Lines printed after {@code mark} at {@code atMost} or a more severe level (ERR includes
     * EMERG…ERR), oldest first: what a shell shows after a command ({@code dmesg --level}).
     */
    public List<String> since(long mark, Level atMost) {
        long n = Math.min(sequence - mark, ring.size());
        List<String> out = new ArrayList<>();
        var lines = ring.descendingIterator();
        var lv = levels.descendingIterator();
        for (long i = 0; i < n; i++) {
            String line = lines.next();
            if (lv.next().ordinal() <= atMost.ordinal()) {
                out.add(line);
            }
        }
        java.util.Collections.reverse(out);
        return out;
    }

    /** The whole ring, as {@code dmesg} prints it. */
    public List<String> lines() {
        return new ArrayList<>(ring);
    }

    public String text() {
        StringBuilder sb = new StringBuilder();
        for (String line : ring) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }
}
