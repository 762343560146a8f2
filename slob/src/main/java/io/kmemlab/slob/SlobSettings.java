package io.kmemlab.slob;

/**
 * Settings of one SLOB instance. (RCU grace periods are the machine's: see
 * {@link io.kmemlab.mm.Rcu}.)
 *
 * @param fit the block-choice policy ({@code slob_fit=}, default {@link SlobFit#FIRST}, the kernel)
 */
public record SlobSettings(SlobFit fit) {

    /** The kernel's behaviour: first fit. */
    public static final SlobSettings DEFAULT = new SlobSettings(SlobFit.FIRST);

    public SlobSettings {
        if (fit == null) {
            throw new IllegalArgumentException("fit policy must be given");
        }
    }

    /** These settings with another fit policy. */
    public SlobSettings withFit(SlobFit newFit) {
        return new SlobSettings(newFit);
    }
}
