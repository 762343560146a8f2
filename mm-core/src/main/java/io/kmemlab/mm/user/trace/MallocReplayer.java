package io.kmemlab.mm.user.trace;

import io.kmemlab.mm.LongLongMap;
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
 * <p>With {@link Settings#fill}, the replay also uses the memory as the CS:APP malloc lab's driver
 * does: every block's requested bytes are written with its id's low byte, a realloc must keep the
 * first min(old, new) of them and a calloc must return zeros; each block that fails is counted
 * (the bytes are read back from the process's memory, so the writes fault pages in and the RSS is
 * a program's, not an untouched heap's).
 *
 * <p>No Java object per operation: the id tables are primitive and the listener gets primitives.
 */
public final class MallocReplayer {
    /** How the replay treats the blocks' memory. */
    public record Settings(boolean fill) {
        /** As replay.c: the blocks' bytes are never touched. */
        public static final Settings REPLAY_C = new Settings(false);
    }

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
     * @param dataErrors blocks whose bytes were wrong under {@link Settings#fill} (a realloc that lost
     *     data, a calloc that was not zeroed)
     * @param firstDataErrorLine the trace line of the first of them, 0 if none
     * @param invalid what validate() found at the end (empty: the allocator's invariants held)
     */
    public record Outcome(
            long applied,
            long nullReturns,
            int diedAt,
            long heapEnd,
            long dataErrors,
            int firstDataErrorLine,
            List<String> invalid) {}

    private static final int CHUNK = 4096;
    /** What the id maps return for an id with no block (ids and pointers are never negative). */
    private static final long MISSING = -1;

    private MallocReplayer() {}

    public static Outcome replay(MallocTrace trace, UserAllocator allocator, UserSpace space, Listener listener) {
        return replay(trace, allocator, space, Settings.REPLAY_C, listener);
    }

    public static Outcome replay(
            MallocTrace trace, UserAllocator allocator, UserSpace space, Settings settings, Listener listener) {
        LongLongMap ptrs = new LongLongMap(MISSING, 512);
        LongLongMap sizes = settings.fill() ? new LongLongMap(MISSING, 512) : null;
        byte[] buf = settings.fill() ? new byte[CHUNK] : null;
        long start = space.startBrk();
        long heapEnd = Math.max(start, space.brkAddress());
        long applied = 0;
        long nulls = 0;
        long dataErrors = 0;
        int firstDataError = 0;
        int died = 0;
        for (int i = 0; i < trace.size(); i++) {
            long id = trace.id(i);
            long ptr;
            boolean dataOk = true;
            switch (trace.op(i)) {
                case MALLOC -> ptr = allocator.malloc(trace.requestSize(i));
                case CALLOC -> {
                    ptr = allocator.calloc(trace.arg(i), trace.requestSize(i));
                    if (buf != null && ptr != 0 && space.alive()) {
                        dataOk = holds(space, ptr, trace.bytes(i), 0, buf);
                    }
                }
                case MEMALIGN -> ptr = allocator.memalign(trace.arg(i), trace.requestSize(i));
                case REALLOC -> {
                    long old = ptrs.get(id);
                    ptr = allocator.realloc(old == MISSING ? 0 : old, trace.requestSize(i));
                    if (ptr == 0 && trace.requestSize(i) != 0 && space.alive()) {
                        // realloc failed: the old block stays the id's.
                        ptr = -1;
                    } else if (buf != null && ptr != 0 && old > 0 && space.alive()) {
                        long kept = Math.min(sizes.get(id), trace.requestSize(i));
                        dataOk = holds(space, ptr, kept, (int) (id & 0xff), buf);
                    }
                }
                default -> {
                    long old = ptrs.remove(id);
                    allocator.free(old == MISSING ? 0 : old);
                    ptr = 0;
                }
            }
            if (!space.alive()) {
                died = trace.line(i);
                break;
            }
            applied++;
            if (!dataOk) {
                dataErrors++;
                if (firstDataError == 0) {
                    firstDataError = trace.line(i);
                }
            }
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
                    if (sizes != null) {
                        long n = ptr == 0 ? 0 : trace.bytes(i);
                        sizes.put(id, n);
                        if (n > 0 && !space.fill(ptr, (int) (id & 0xff), n)) {
                            died = trace.line(i);
                            break;
                        }
                    }
                }
                usable = allocator.usableSize(ptr);
            }
            heapEnd = Math.max(heapEnd, space.brkAddress());
            if (listener != null) {
                listener.applied(i, ptr, usable, heapEnd);
            }
        }
        List<String> invalid = space.alive() ? allocator.validate() : List.of();
        return new Outcome(applied, nulls, died, heapEnd, dataErrors, firstDataError, invalid);
    }

    /** Do the {@code len} bytes at {@code addr} all hold {@code value}? */
    private static boolean holds(UserSpace space, long addr, long len, int value, byte[] buf) {
        for (long off = 0; off < len; off += buf.length) {
            int n = (int) Math.min(buf.length, len - off);
            if (!space.read(addr + off, buf, 0, n)) {
                return false;
            }
            for (int j = 0; j < n; j++) {
                if ((buf[j] & 0xff) != value) {
                    return false;
                }
            }
        }
        return true;
    }
}
