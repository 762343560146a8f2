package io.kmemlab.mm;

/**
 * Nanoseconds of emulated time, and the jiffies they make. Replay sets it from trace timestamps;
 * scripts and workloads advance it per operation. Everything time-based reads this clock, never
 * the wall clock, so the same inputs give the same output byte for byte.
 *
 * <p>The machine has one {@link #HZ}: SLUB's track ages, SLAB's cache_reap timers, RCU grace
 * periods and the shell's {@code tick} all count the same jiffies. As in the kernel, jiffies start
 * at {@link #INITIAL_JIFFIES} at boot (virtual time 0), so only differences of jiffies mean
 * anything.
 */
public final class VirtualClock {
    /** CONFIG_HZ of the emulated kernel: HZ_250, the Kconfig default (and Debian's). */
    public static final int HZ = 250;
    /** Virtual nanoseconds per jiffy (TICK_NSEC). */
    public static final long NANOS_PER_JIFFY = 1_000_000_000L / HZ;
    /** INITIAL_JIFFIES on 64-bit: (unsigned int)(−300 × HZ). */
    public static final long INITIAL_JIFFIES = (-300L * HZ) & 0xffffffffL;

    private long nanos;

    public long nanos() {
        return nanos;
    }

    /** jiffies now. */
    public long jiffies() {
        return jiffies(nanos);
    }

    /** jiffies at a virtual time. */
    public static long jiffies(long nanos) {
        return INITIAL_JIFFIES + nanos / NANOS_PER_JIFFY;
    }

    /**
     * The first virtual time at which {@link #jiffies} reaches {@code j}, or Long.MIN_VALUE if it
     * already has at time 0 (saturating at Long.MAX_VALUE).
     */
    public static long nanosOfJiffies(long j) {
        long ticks = j - INITIAL_JIFFIES;
        if (ticks <= 0) {
            return Long.MIN_VALUE;
        }
        return ticks > Long.MAX_VALUE / NANOS_PER_JIFFY ? Long.MAX_VALUE : ticks * NANOS_PER_JIFFY;
    }

    /** Sets the time; the clock never goes backwards (a trace's out-of-order stamp is ignored). */
    public void set(long nanos) {
        if (nanos > this.nanos) {
            this.nanos = nanos;
        }
    }

    public void advance(long deltaNanos) {
        if (deltaNanos > 0) {
            nanos += deltaNanos;
        }
    }

    /** Seconds part of the kernel's %5lu.%06lu stamp. */
    public long seconds() {
        return nanos / 1_000_000_000L;
    }

    /** Microseconds part of the kernel's %5lu.%06lu stamp. */
    public long micros() {
        return (nanos / 1_000L) % 1_000_000L;
    }
}
