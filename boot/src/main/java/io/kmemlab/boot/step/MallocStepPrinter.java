package io.kmemlab.boot.step;

import io.kmemlab.boot.malloc.MallocRun;
import io.kmemlab.mm.user.HeapView;
import io.kmemlab.mm.user.HeapViewText;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.trace.MallocTrace;
import java.io.PrintStream;
import java.util.Optional;

/**
 * {@code malloc replay --step}: after each operation of a trace, malloc.py's own lines for it
 * ({@code ptr[3] = Alloc(10) returned 0x… (searched 2 elements)}, {@code Free(ptr[3])} and
 * {@code returned 0}), with the trace's ids as the indices, then the state as
 * {@link UserStepText} prints it — the free list in OSTEP's words for an allocator with a heap
 * view, so that the output reads as {@code malloc.py -c}'s — and a blank line; after
 * {@code maxSteps} steps a note, then nothing.
 */
public final class MallocStepPrinter implements MallocRun.StepSink {
    private final MallocTrace trace;
    private final PrintStream out;
    private final long maxSteps;
    private final UserStepText state = new UserStepText(StepOptions.DEFAULT_LIST_LIMIT);
    private long steps;
    private long badFrees;

    public MallocStepPrinter(MallocTrace trace, PrintStream out, long maxSteps) {
        this.trace = trace;
        this.out = out;
        this.maxSteps = maxSteps;
    }

    @Override
    public void after(int i, long ptr, UserAllocator a) {
        long bad = a.metric().badFrees();
        boolean rejected = bad != badFrees;
        badFrees = bad;
        String text = state.after(a);
        if (steps > maxSteps) {
            return;
        }
        if (steps++ == maxSteps) {
            out.println("--- " + maxSteps + " steps printed (the step limit); the rest is not printed");
            return;
        }
        Optional<HeapView> view = a.heapView();
        long id = trace.id(i);
        switch (trace.op(i)) {
            case MALLOC ->
                out.println(
                        view.isPresent()
                                ? HeapViewText.allocLine(
                                        id,
                                        trace.requestSize(i),
                                        ptr,
                                        view.get().lastSearched())
                                : "ptr[" + id + "] = Alloc(" + trace.requestSize(i) + ") returned " + hex(ptr));
            case CALLOC ->
                out.println("ptr[" + id + "] = Calloc(" + trace.arg(i) + ", " + trace.requestSize(i) + ") returned "
                        + hex(ptr));
            case MEMALIGN ->
                out.println("ptr[" + id + "] = Memalign(" + trace.arg(i) + ", " + trace.requestSize(i) + ") returned "
                        + hex(ptr));
            case REALLOC -> out.println("ptr[" + id + "] = Realloc(" + trace.requestSize(i) + ") returned " + hex(ptr));
            case FREE -> out.println(HeapViewText.freeLines(id, rejected ? -1 : 0));
        }
        out.print(text);
        out.println();
    }

    private static String hex(long p) {
        return "0x" + Long.toHexString(p);
    }
}
