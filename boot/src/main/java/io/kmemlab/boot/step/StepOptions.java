package io.kmemlab.boot.step;

/**
 * How far stepping prints.
 *
 * @param view what each step shows
 * @param maxSteps steps printed before stepping stops (the run goes on silently and says so once)
 * @param listLimit entries of one free list, freelist or pcp list printed before {@code ... N more}
 * @param rowLimit rows of a slab's slots printed before {@code ... N more slots}
 */
public record StepOptions(StepView view, long maxSteps, int listLimit, int rowLimit) {
    /** 1000 steps, 8 blocks per free list, 16 objects per freelist… as {@code --step} prints by default. */
    public static final int DEFAULT_LIST_LIMIT = 8;

    public static final int DEFAULT_ROW_LIMIT = 8;
    public static final long DEFAULT_MAX_STEPS = 1000;

    public static StepOptions of(StepView view, long maxSteps) {
        return new StepOptions(view, maxSteps, DEFAULT_LIST_LIMIT, DEFAULT_ROW_LIMIT);
    }

    /** The legend of the slot characters, printed once before the first step. */
    public static final String LEGEND =
            "slots: A allocated, . free (slab freelist), c free (cpu freelist), s in a sheaf, a in an array cache\n";
}
