package io.kmemlab.slob;

/**
 * Settings of one SLOB instance.
 *
 * @param fit the block-choice policy ({@code slob_fit=}, default {@link SlobFit#FIRST}, the kernel)
 * @param rcuGracePeriodNanos virtual nanoseconds between a {@code kmem_cache_free} on a
 *     SLAB_TYPESAFE_BY_RCU cache and the RCU callback that really frees the object (an emulation
 *     choice: the kernel's grace periods last milliseconds and depend on every CPU)
 */
public record SlobSettings(SlobFit fit, long rcuGracePeriodNanos) {

    /** Default emulated grace period: 10 ms of virtual time. */
    public static final long DEFAULT_RCU_GRACE_PERIOD_NANOS = 10_000_000L;

    /** The kernel's behaviour: first fit, 10 ms grace periods. */
    public static final SlobSettings DEFAULT = new SlobSettings(SlobFit.FIRST, DEFAULT_RCU_GRACE_PERIOD_NANOS);

    public SlobSettings {
        if (fit == null) {
            throw new IllegalArgumentException("fit policy must be given");
        }
        if (rcuGracePeriodNanos < 0) {
            throw new IllegalArgumentException("grace period must not be negative: " + rcuGracePeriodNanos);
        }
    }

    /** These settings with another fit policy. */
    public SlobSettings withFit(SlobFit newFit) {
        return new SlobSettings(newFit, rcuGracePeriodNanos);
    }
}
