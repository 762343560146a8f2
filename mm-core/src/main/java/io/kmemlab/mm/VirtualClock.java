package io.kmemlab.mm;

/**
 * Nanoseconds of emulated time. Replay sets it from trace timestamps; scripts and workloads
 * advance it per operation. Everything time-based reads this clock, never the wall clock, so the
 * same inputs give the same output byte for byte.
 */
public final class VirtualClock {
    private long nanos;

    public long nanos() {
        return nanos;
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
