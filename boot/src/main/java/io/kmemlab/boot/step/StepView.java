package io.kmemlab.boot.step;

/**
 * What a step prints ({@code --step-view}, the shell's {@code step on VIEW}): {@code buddy} the page
 * allocator's free lists and split tree, {@code slab} the slab an object landed in or left,
 * {@code all} both (the default), or a cache name: only the steps of that cache, with its slab.
 *
 * @param pages print the page allocator's state (for page events, and for object events that took
 *     or gave back pages)
 * @param slabs print the slab of an object event
 * @param cache only the object events of this cache (pages then only where they took or gave back
 *     pages), or null for every event
 */
public record StepView(boolean pages, boolean slabs, String cache) {
    public static final StepView ALL = new StepView(true, true, null);
    public static final StepView BUDDY = new StepView(true, false, null);
    public static final StepView SLAB = new StepView(false, true, null);

    /** {@code buddy}, {@code slab}, {@code all}, or a cache name. */
    public static StepView parse(String word) {
        return switch (word) {
            case "all" -> ALL;
            case "buddy", "pages" -> BUDDY;
            case "slab" -> SLAB;
            default -> new StepView(true, true, word);
        };
    }

    /** Does a step of an object of {@code cacheName} (null: unknown) print? */
    public boolean wantsCache(String cacheName) {
        return cache == null || cache.equals(cacheName);
    }

    /** Do page events print? */
    public boolean wantsPageEvents() {
        return pages && cache == null;
    }

    @Override
    public String toString() {
        if (cache != null) {
            return cache;
        }
        return pages && slabs ? "all" : pages ? "buddy" : "slab";
    }
}
