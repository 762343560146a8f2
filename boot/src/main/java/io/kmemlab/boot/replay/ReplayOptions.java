package io.kmemlab.boot.replay;

/**
 * How a replay runs.
 *
 * @param pageEvents apply mm_page_alloc / mm_page_free / mm_page_free_batched through the page
 *     allocator (off by default: those events include the traced kernel's own slab pages, which the
 *     emulated slab allocator allocates again for itself)
 * @param malformedSamples how many malformed lines (number and reason) to keep for printing
 * @param maxSamples most points of the memory-over-time series kept for charts
 */
public record ReplayOptions(boolean pageEvents, int malformedSamples, int maxSamples) {

    public static final ReplayOptions DEFAULT = new ReplayOptions(false, 5, 2048);

    public ReplayOptions withPageEvents(boolean on) {
        return new ReplayOptions(on, malformedSamples, maxSamples);
    }
}
