package io.kmemlab.boot.step;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.page.PageAllocatorMetric;
import io.kmemlab.mm.slab.HeapMetric;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabSlots;

/**
 * One machine's steps, for {@code replay --step} and the shell's {@code step on}: given what an
 * operation was and what it touched (a block of pages, an object), the state after it as
 * {@link KernelStepText} draws it, filtered by the {@link StepView} and cut off after
 * {@link StepOptions#maxSteps} steps. Call {@link #before} right before the operation (it notes
 * the page counts and the slab of an object about to be freed) and {@link #afterPages} or
 * {@link #afterObject} right after it; both only read the machine.
 */
public final class KernelStepper {
    private final Machine machine;
    private final SlabAllocator slab;
    private final StepOptions options;
    private long steps;
    private boolean stopped;
    private boolean legend;

    /** What {@link #before} saw. */
    public record Before(long freePages, long pcpPages, SlabSlots slab) {}

    private String label = "";

    public KernelStepper(Machine machine, SlabAllocator slab, StepOptions options) {
        this.machine = machine;
        this.slab = slab;
        this.options = options;
    }

    /**
     * One of several machines stepped side by side: its notes name {@code label}, and the legend
     * is left to the first machine's stepper ({@code first}).
     */
    public KernelStepper labelled(String label, boolean first) {
        this.label = "[" + label + "] ";
        this.legend = !first;
        return this;
    }

    /** The note for a run that printed no step, or "" if it printed some. */
    public String noSteps() {
        return steps > 0 ? "" : "--- " + label + "no event matched --step-view " + options.view() + "\n";
    }

    public StepOptions options() {
        return options;
    }

    /** Steps printed so far. */
    public long steps() {
        return steps;
    }

    /** The page counts now and the slab {@code obj} lies on (0: none), before an operation. */
    public Before before(long obj) {
        PageAllocatorMetric m = machine.pageAllocator().metric();
        SlabSlots s = obj == 0 || slab == null ? null : slab.slabSlots(obj);
        return new Before(m.nrFreePages(), m.pcpPages(), s);
    }

    /**
     * After a page operation on the block of {@code order} at {@code pfn} (-1: it failed): the
     * header line and the page allocator's state, or "" if the view leaves page events out.
     */
    public String afterPages(String header, int pfn, int order) {
        if (!options.view().wantsPageEvents()) {
            return "";
        }
        String body =
                pfn < 0 ? "  (nothing changed)\n" : KernelStepText.pages(machine, pfn, order, options.listLimit());
        return step(header, body);
    }

    /**
     * After an object operation on {@code obj} (0: it failed or did nothing): the header line, the
     * slab the object is on now (or was on, if freeing it released the slab) and, where the
     * operation took or gave back pages (or the object is on no slab: a large kmalloc), the page
     * allocator's state around it; "" if the view leaves this cache out.
     *
     * @param cacheName the cache the event names, or null
     */
    public String afterObject(String header, Before before, long obj, String cacheName) {
        SlabSlots now = obj == 0 || slab == null ? null : slab.slabSlots(obj);
        StepView view = options.view();
        // the event's name, or the cache its object is on (a merged cache: the root's name)
        boolean wanted = view.wantsCache(cacheName)
                || now != null && view.wantsCache(now.cache())
                || before.slab() != null && view.wantsCache(before.slab().cache());
        if (!wanted) {
            return "";
        }
        PageAllocatorMetric m = machine.pageAllocator().metric();
        boolean pagesChanged = m.nrFreePages() != before.freePages() || m.pcpPages() != before.pcpPages();
        StringBuilder body = new StringBuilder();
        boolean onSlab = now != null;
        if (view.slabs()) {
            if (now != null) {
                body.append(KernelStepText.slab(now, obj, options.rowLimit(), options.listLimit()));
            } else if (before.slab() != null) {
                SlabSlots b = before.slab();
                body.append("  slab ")
                        .append(b.cache())
                        .append(" pfn 0x")
                        .append(Integer.toHexString(b.pfn()))
                        .append(" order ")
                        .append(b.order())
                        .append(": released (its last object was freed)\n");
            } else if (obj == 0) {
                body.append("  (no object)\n");
            } else {
                HeapMetric heap = slab == null ? null : slab.heapMetric();
                body.append("  object ").append(Addr.hex(obj)).append(" is on no slab");
                int head = Addr.isDirectMap(obj, machine.nrFrames())
                        ? machine.frames().compoundHead(Addr.virtToPfn(obj))
                        : -1;
                if (head >= 0 && machine.frames().test(head, PageFrames.PG_LARGE_KMALLOC)) {
                    body.append(": a large kmalloc, order ")
                            .append(machine.frames().order(head))
                            .append(" pages at pfn 0x")
                            .append(Integer.toHexString(head));
                }
                if (heap != null) {
                    body.append(String.format(
                            java.util.Locale.ROOT,
                            "; heap: %d pages, %d free bytes in %d blocks, largest %d",
                            heap.heapPages(),
                            heap.freeBytes(),
                            heap.freeBlocks(),
                            heap.largestFreeBytes()));
                }
                body.append('\n');
            }
        }
        boolean largeObject = !onSlab && before.slab() == null && obj != 0 && Addr.isDirectMap(obj, machine.nrFrames());
        if (view.pages() && (pagesChanged || (largeObject && slab != null && slab.heapMetric() == null))) {
            int pfn = obj != 0 && Addr.isDirectMap(obj, machine.nrFrames())
                    ? Addr.virtToPfn(obj)
                    : before.slab() != null ? before.slab().pfn() : -1;
            if (pfn >= 0) {
                int head = machine.frames().compoundHead(pfn);
                int order = machine.frames().test(head, PageFrames.PG_HEAD)
                        ? machine.frames().order(head)
                        : before.slab() != null ? before.slab().order() : 0;
                body.append(KernelStepText.pages(machine, head & -(1 << order), order, options.listLimit()));
            }
        }
        if (body.length() == 0) {
            return "";
        }
        return step(header, body.toString());
    }

    /** A step that changed nothing: its header and one indented line saying why. */
    public String note(String header, String why) {
        return step(header, "  " + why + "\n");
    }

    /** The step's text, or the note that the limit is reached (once), or "" after it. */
    private String step(String header, String body) {
        if (stopped) {
            return "";
        }
        if (steps >= options.maxSteps()) {
            stopped = true;
            return "--- " + label + steps + " steps printed (the step limit); the rest is not printed\n";
        }
        steps++;
        String head = legend || !options.view().slabs() ? "" : StepOptions.LEGEND;
        legend = true;
        return head + header + "\n" + body;
    }
}
