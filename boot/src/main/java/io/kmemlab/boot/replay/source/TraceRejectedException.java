package io.kmemlab.boot.replay.source;

/**
 * A trace file kmemlab will not replay (missing, unreadable, empty, binary, not a kmem trace, or
 * unreadable part-way): a user-facing message, exit code 1. Not a kmemlab bug.
 */
public final class TraceRejectedException extends Exception {
    private static final long serialVersionUID = 1L;

    public TraceRejectedException(String message) {
        super(message);
    }
}
