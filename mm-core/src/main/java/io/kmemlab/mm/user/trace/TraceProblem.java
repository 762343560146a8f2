package io.kmemlab.mm.user.trace;

/**
 * What can be wrong with one line of a trace. Every problem is reported with its line number and
 * counted; the operation is left out and the replay goes on.
 */
public enum TraceProblem {
    MALFORMED("malformed line"),
    TRUNCATED("truncated file"),
    UNKNOWN_ID("unknown id"),
    NEVER_ALLOCATED("free of an id never allocated"),
    DOUBLE_FREE("free of a freed id"),
    REALLOC_NEVER_ALLOCATED("realloc of an id never allocated"),
    REALLOC_FREED("realloc of a freed id"),
    LIVE_ADDRESS("allocation of a live address"),
    UNKNOWN_ADDRESS("free of an address never allocated"),
    NEGATIVE_SIZE("negative size"),
    ABSURD_SIZE("absurd size");

    public static final int COUNT = values().length;

    private final String description;

    TraceProblem(String description) {
        this.description = description;
    }

    /** The words of the report ("free of a freed id"). */
    public String description() {
        return description;
    }

    /** The JSON key ({@code double_free}). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
