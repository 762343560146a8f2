package io.kmemlab.mm.user.trace;

/**
 * Where a trace reader puts what it reads: operations on ids, and problems it found in the text.
 * Ids are the trace's names for blocks (the CS:APP lab's ids; readers of address traces assign
 * them). {@link MallocTrace.Builder} checks every operation against the ids' history.
 */
public interface MallocTraceSink {
    void malloc(int line, long id, long size);

    void calloc(int line, long id, long nmemb, long size);

    void memalign(int line, long id, long alignment, long size);

    void realloc(int line, long id, long size);

    void free(int line, long id);

    /** A line the reader could not use, or the file's end where more was promised. */
    void problem(int line, TraceProblem kind, String detail);

    /** The number of ids the trace's header declares (the CS:APP {@code num_ids}), if it has one. */
    default void declareIds(long numIds) {}

    /**
     * The following operations are thread {@code tid}'s (0 is the main thread; a trace without
     * thread lines is all thread 0). Only kmemlab's own recording has them ({@code t TID}).
     */
    default void thread(int line, int tid) {}
}
