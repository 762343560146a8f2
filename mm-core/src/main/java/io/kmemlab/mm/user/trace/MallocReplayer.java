package io.kmemlab.mm.user.trace;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;
import java.util.List;

/**
 * Applies a {@link MallocTrace} to one allocator in one process, as {@code replay.c} does: each id
 * holds the pointer its last allocation returned; free and realloc use it. The trace has been
 * checked, so every operation applies; what can still happen is the allocator's: a NULL return
 * (counted; the id then holds NULL, as in C) or the process's death (an allocator's abort, the OOM
 * killer), which ends the replay.
 *
 * <p>No Java object per operation: the id table is primitive and the listener gets primitives.
 */
public final class MallocReplayer {
    /** Told after every applied operation. */
    @FunctionalInterface
    public interface Listener {
        /**
         * @param index the operation's index in the trace
         * @param ptr the block an allocating operation returned (0 for NULL, and for free)
         * @param usable malloc_usable_size of it (0 for free)
         * @param heapEnd the highest break so far (see {@link OpsFormat})
         */
        void applied(int index, long ptr, long usable, long heapEnd);
    }

    /**
     * What happened.
     *
     * @param applied operations applied
     * @param nullReturns allocations that returned NULL for a non-zero size
     * @param diedAt the trace line at which the process died, 0 if it did not
     * @param heapEnd the highest break the process had
     * @param invalid what validate() found at the end (empty: the allocator's invariants held)
     */
    public record Outcome(long applied, long nullReturns, int diedAt, long heapEnd, List<String> invalid) {}

    private MallocReplayer() {}

    public static Outcome replay(MallocTrace trace, UserAllocator allocator, UserSpace space, Listener listener) {
        LongTable ptrs = new LongTable();
        long start = space.startBrk();
        long heapEnd = Math.max(start, space.brkAddress());
        long applied = 0;
        long nulls = 0;
        int died = 0;
        for (int i = 0; i < trace.size(); i++) {
            long id = trace.id(i);
            long ptr;
            switch (trace.op(i)) {
                case MALLOC -> ptr = allocator.malloc(trace.requestSize(i));
                case CALLOC -> ptr = allocator.calloc(trace.arg(i), trace.requestSize(i));
                case MEMALIGN -> ptr = allocator.memalign(trace.arg(i), trace.requestSize(i));
                case REALLOC -> {
                    long old = ptrs.get(id);
                    ptr = allocator.realloc(old == LongTable.MISSING ? 0 : old, trace.requestSize(i));
                    if (ptr == 0 && trace.requestSize(i) != 0 && space.alive()) {
                        // realloc failed: the old block stays the id's.
                        ptr = -1;
                    }
                }
                default -> {
                    long old = ptrs.remove(id);
                    allocator.free(old == LongTable.MISSING ? 0 : old);
                    ptr = 0;
                }
            }
            if (!space.alive()) {
                died = trace.line(i);
                break;
            }
            applied++;
            heapEnd = Math.max(heapEnd, space.brkAddress());
            long usable = 0;
            if (trace.op(i).allocates()) {
                if (ptr == -1) {
                    nulls++;
                    ptr = 0;
                } else {
                    if (ptr == 0 && trace.bytes(i) != 0) {
                        nulls++;
                    }
                    ptrs.put(id, ptr);
                }
                usable = allocator.usableSize(ptr);
            }
            if (listener != null) {
                listener.applied(i, ptr, usable, heapEnd);
            }
        }
        List<String> invalid = space.alive() ? allocator.validate() : List.of();
        return new Outcome(applied, nulls, died, heapEnd, invalid);
    }
}
