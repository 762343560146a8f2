package io.kmemlab.boot.replay;

import io.kmemlab.boot.step.KernelStepper;
import io.kmemlab.boot.step.StepOptions;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.trace.read.TraceLine;
import io.kmemlab.mm.trace.read.TraceOp;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * {@code replay --step} on one engine: applies each line as {@link ReplayEngine#apply} does and,
 * after every kmem event the engine applies (or skips for a reason other than the page events
 * being off), prints the event and the state it changed ({@link KernelStepper}): the event line
 * number, CPU and fields, what it became on the emulated machine, then the slab or the free lists
 * and split tree. Only reads the machine between events, so the replay's result is the same as
 * without stepping.
 */
final class ReplayStepper {
    private final ReplayEngine engine;
    private final KernelStepper stepper;
    private final Appendable out;
    private final String label;
    private final long[] skipped = new long[SkipReason.COUNT];

    /**
     * @param label the allocator's name, printed in each header when several replay side by side (else null)
     * @param first the first of those (it prints the legend)
     */
    ReplayStepper(ReplayEngine engine, StepOptions options, Appendable out, String label, boolean first) {
        this.engine = engine;
        this.stepper = new KernelStepper(engine.machine(), engine.slab().allocator(), options);
        if (label != null) {
            stepper.labelled(label, first);
        }
        this.out = out;
        this.label = label;
    }

    void apply(TraceLine l) {
        if (l.kind() != TraceLine.Kind.EVENT || l.op().isBuddyInternal()) {
            engine.apply(l);
            return;
        }
        TraceOp op = l.op();
        boolean page = op.isPageEvent();
        long freed = 0;
        if (op == TraceOp.KFREE || op == TraceOp.KMEM_CACHE_FREE) {
            freed = engine.emulatedObject(l.ptr());
        } else if (op == TraceOp.KREALLOC) {
            freed = engine.emulatedObject(l.oldPtr());
        }
        KernelStepper.Before before = stepper.before(freed);
        ReplayStats st = engine.stats();
        long applied = st.applied();
        System.arraycopy(st.skipped, 0, skipped, 0, skipped.length);
        engine.apply(l);
        String text;
        if (st.applied() == applied) {
            SkipReason why = null;
            for (SkipReason r : SkipReason.values()) {
                if (st.skipped[r.ordinal()] != skipped[r.ordinal()]) {
                    why = r;
                }
            }
            if (why == null || why == SkipReason.PAGE_EVENT || why == SkipReason.CACHE_CREATION) {
                return;
            }
            if (page
                    ? !stepper.options().view().wantsPageEvents()
                    : !stepper.options().view().wantsCache(l.cacheName())) {
                return;
            }
            text = stepper.note(header(l, ""), "skipped: " + why.description());
        } else if (page) {
            int pfn = engine.emulatedPfn(l.pfn());
            int order = pfn < 0 ? l.order() : engine.emulatedOrder(l.pfn());
            String to = pfn < 0 ? " -> failed" : " -> pfn 0x" + Integer.toHexString(pfn);
            text = stepper.afterPages(header(l, to), pfn, order);
        } else {
            long obj = op == TraceOp.KFREE || op == TraceOp.KMEM_CACHE_FREE ? freed : engine.emulatedObject(l.ptr());
            String to = obj == 0 ? (l.ptr() == 0 ? "" : " -> failed") : " -> " + Addr.hex(obj);
            text = stepper.afterObject(header(l, to), before, obj, l.cacheName());
        }
        print(text);
    }

    /** After the last line: says so if the view matched no event. */
    void finish() {
        print(stepper.noSteps());
    }

    private void print(String text) {
        if (!text.isEmpty()) {
            try {
                out.append(text);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code line 12 cpu 0: kmalloc bytes_req=100 bytes_alloc=128 -> 0xffff888004a3c080}. */
    private String header(TraceLine l, String result) {
        StringBuilder sb = new StringBuilder("line ").append(l.lineNo());
        if (label != null) {
            sb.append(" [").append(label).append(']');
        }
        sb.append(" cpu ").append(l.cpu()).append(": ").append(l.op().eventName());
        switch (l.op()) {
            case KMALLOC ->
                sb.append(" bytes_req=")
                        .append(l.bytesReq())
                        .append(" bytes_alloc=")
                        .append(l.bytesAlloc());
            case KMEM_CACHE_ALLOC ->
                sb.append(" name=")
                        .append(l.cacheName())
                        .append(" bytes_req=")
                        .append(l.bytesReq())
                        .append(" bytes_alloc=")
                        .append(l.bytesAlloc());
            case KREALLOC -> sb.append(" bytes_req=").append(l.bytesReq());
            case KMEM_CACHE_FREE -> sb.append(" name=").append(l.cacheName());
            case MM_PAGE_ALLOC, MM_PAGE_FREE ->
                sb.append(" pfn=0x")
                        .append(Long.toHexString(l.pfn()))
                        .append(" order=")
                        .append(l.order());
            case MM_PAGE_FREE_BATCHED -> sb.append(" pfn=0x").append(Long.toHexString(l.pfn()));
            default -> {}
        }
        if (!l.op().isPageEvent() && l.op() != TraceOp.KREALLOC) {
            sb.append(" ptr=0x").append(Long.toHexString(l.ptr()));
        }
        return sb.append(result).toString();
    }
}
