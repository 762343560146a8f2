package io.kmemlab.boot;

/**
 * What a boot is doing, for a progress line while a big machine boots ({@code mem=1T} takes
 * seconds, most of them allocating the memory map). {@link Kernel#boot} names each phase as it
 * starts, by the kernel function it emulates, and ends with {@code phase(null)}.
 */
@FunctionalInterface
public interface BootProgress {
    /** Reports nothing (tests, pipes). */
    BootProgress NONE = what -> {};

    /** A boot phase starts; {@code null} when the boot is over (booted or failed). */
    void phase(String what);
}
