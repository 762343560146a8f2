package io.kmemlab.mm.sched;

/** What a virtual thread does: one operation per call, in program order. */
@FunctionalInterface
public interface ThreadBody {
    /**
     * Runs the thread's next operation now (its effect on the allocator happens in this call),
     * recording into {@code steps} the work, locks and cache lines it costs.
     *
     * @return false when the thread has finished (then nothing is recorded)
     */
    boolean next(VThread thread, Steps steps);
}
