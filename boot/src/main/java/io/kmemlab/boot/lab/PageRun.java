package io.kmemlab.boot.lab;

import io.kmemlab.boot.lab.MallocRun.Failure;
import io.kmemlab.boot.lab.PageTrace.Kind;
import io.kmemlab.boot.lab.PageTrace.Op;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One page trace run against one student page allocator, checked op by op against an independent
 * occupancy model (which frames are handed out; it knows nothing of the allocator's lists): a
 * block returned lies inside one managed range and shares no frame with a live block; a request
 * fails only when no naturally aligned run of free frames of its rounded size exists (the least a
 * buddy allocator promises, and a first fit with coalescing keeps it too); alloc_pages(0) fails; a
 * free of anything but a live block is refused and changes nothing; nr_free_pages() is between the
 * managed frames less the live blocks rounded up to powers of two and less the live blocks as
 * asked. The calls run on a worker thread ({@link StudentCall}) through {@link GuardedPages}.
 */
public final class PageRun {

    /** What one trace did: its figures, or its first failure. */
    public record Result(
            PageTrace trace,
            Failure failure,
            int allocs,
            int satisfied,
            long freeAtEnd,
            int largestOrder,
            double unusable,
            long accesses,
            List<String> notes) {
        public boolean ok() {
            return failure == null;
        }

        /** Requests satisfied, of those asked (zero-frame requests not counted). */
        double successRate() {
            return allocs == 0 ? 1 : (double) satisfied / allocs;
        }

        /** Virtual nanoseconds of the allocator's struct page and frame accesses. */
        long nanos() {
            return accesses * GuardedSpace.ACCESS_NANOS;
        }
    }

    /** The order whose unusable free index {@code lab score} reports (PAGE_ALLOC_COSTLY_ORDER). */
    static final int SCORE_ORDER = 3;

    private final PageTrace trace;
    private final BitSet managed = new BitSet();
    private final BitSet allocated = new BitSet();
    /**
     * Frames under some live block's extent rounded up to a power of two ({@code cover} counts the
     * blocks per frame): a buddy allocator holds this slack, a first fit does not; which kind the
     * allocator is, its own nr_free_pages() tells ({@link #rounds}).
     */
    private final BitSet extent = new BitSet();

    private final int[] cover;
    /** The last nr_free_pages() counted the live blocks' slack as allocated. */
    private boolean rounds;

    private final GuardedPages mem;
    /** Live block head → frames asked for. */
    private final Map<Integer, Integer> live = new HashMap<>();
    /** Block id → head PFN, for every block ever handed out. */
    private final Map<Integer, Integer> base = new HashMap<>();
    /** Block id → operation that freed it. */
    private final Map<Integer, Integer> freedAt = new HashMap<>();

    private long liveAsked;
    private long liveRounded;
    private int allocs;
    private int satisfied;
    private volatile int current = -1;

    private PageRun(PageTrace trace, long accessBudget) {
        this.trace = trace;
        for (int[] r : trace.ranges()) {
            managed.set(r[0], r[0] + r[1]);
        }
        this.mem = new GuardedPages(trace.nrFrames(), managed, allocated, accessBudget);
        this.cover = new int[trace.nrFrames()];
    }

    static Result run(Supplier<StudentPages> factory, PageTrace trace, long accessBudget, long timeoutMillis) {
        PageRun run = new PageRun(trace, accessBudget);
        Failure[] outcome = new Failure[1];
        java.util.concurrent.atomic.AtomicReference<List<String>> notes =
                new java.util.concurrent.atomic.AtomicReference<>(List.of());
        boolean timedOut = StudentCall.run("lab-" + trace.name(), timeoutMillis, () -> {
            try {
                outcome[0] = run.drive(factory, notes);
            } catch (GuardedSpace.Violation v) {
                outcome[0] = run.failure(
                        "stopped",
                        v.getMessage(),
                        "only its own struct pages and free frames touched, calls that return");
            } catch (Throwable t) { // the student's code may throw anything, errors included
                outcome[0] = run.failure("threw", "threw " + MallocRun.describe(t), "a return value");
            }
        });
        Failure f = outcome[0];
        if (timedOut && (f == null || !f.kind().equals("stopped"))) {
            f = run.failure(
                    "timeout", "did not return within " + timeoutMillis + " ms (an endless loop?)", "a return value");
        }
        long free = run.managed.cardinality() - run.held().cardinality();
        int[] frag = run.fragmentation();
        double unusable = free == 0 ? 0 : 1 - (double) frag[1] / free;
        return new Result(
                trace, f, run.allocs, run.satisfied, free, frag[0], unusable, run.mem.totalAccesses(), notes.get());
    }

    private Failure drive(
            Supplier<StudentPages> factory, java.util.concurrent.atomic.AtomicReference<List<String>> notes) {
        StudentPages p = factory.get();
        mem.newCall();
        p.init(mem);
        for (int[] r : trace.ranges()) {
            mem.newCall();
            p.initMemmap(r[0], r[1]);
        }
        Failure f = count(p);
        if (f != null) {
            return f;
        }
        List<Op> ops = trace.ops();
        for (int i = 0; i < ops.size(); i++) {
            current = i;
            Op op = ops.get(i);
            f = op.kind() == Kind.ALLOC ? alloc(p, op) : free(p, op);
            if (f == null) {
                f = count(p);
            }
            if (f != null) {
                return f;
            }
        }
        current = ops.size();
        mem.newCall();
        List<String> problems = p.check();
        if (problems != null && !problems.isEmpty()) {
            notes.set(List.copyOf(problems));
        }
        return null;
    }

    private static String pfn(long pfn) {
        return "0x" + Long.toHexString(pfn);
    }

    private Failure alloc(StudentPages p, Op op) {
        int n = op.pages();
        if (n > 0) {
            allocs++;
        }
        mem.newCall();
        int r = p.allocPages(n);
        if (n <= 0) {
            return r == StudentPages.NO_PAGE
                    ? null
                    : failure(
                            "zero",
                            "alloc_pages(0) returned pfn " + pfn(r),
                            "NO_PAGE (-1): there is no block of zero frames");
        }
        if (r == StudentPages.NO_PAGE) {
            int[] run = alignedFreeRun(n);
            if (run != null) {
                return failure(
                        "null",
                        op.call() + " returned NO_PAGE",
                        String.format(
                                "a block: frames %s-%s (an aligned run of %d) are all free",
                                pfn(run[0]), pfn(run[0] + run[1] - 1), run[1]));
            }
            return null;
        }
        String got = op.call() + " returned pfn " + pfn(r);
        long end = (long) r + n;
        if (r < 0 || end > trace.nrFrames() || managed.nextClearBit(r) < end) {
            return failure(
                    "outside",
                    got + ", but frames " + pfn(r) + "-" + pfn(end - 1) + " are not all in one range init_memmap gave",
                    "a block inside the managed ranges " + rangesText());
        }
        int clash = allocated.nextSetBit(r);
        if (clash >= 0 && clash < end) {
            return failure(
                    "twice",
                    got + ", but frame " + pfn(clash) + " is already handed out (" + owner(clash) + ")",
                    "a block no live block shares a frame with");
        }
        allocated.set(r, (int) end);
        cover(r, n, 1);
        live.put(r, n);
        base.put(op.id(), r);
        freedAt.remove(op.id());
        liveAsked += n;
        liveRounded += 1L << Op.order(n);
        satisfied++;
        return null;
    }

    private Failure free(StudentPages p, Op op) {
        Integer b = base.get(op.id());
        if (b == null) {
            return null; // the block's allocation failed (or never ran): nothing to free
        }
        int at = b + op.offset();
        Integer n = live.get(at);
        boolean valid = n != null && n == op.pages();
        String call = "free_pages(" + pfn(at) + ", " + op.pages() + ")";
        mem.newCall();
        boolean r = p.freePages(at, op.pages());
        if (valid) {
            if (!r) {
                return failure(
                        "refused",
                        call + " returned false",
                        "true: pfn " + pfn(at) + " heads a live block of " + n + " frames");
            }
            allocated.clear(at, at + n);
            cover(at, n, -1);
            live.remove(at);
            freedAt.put(op.id(), current);
            liveAsked -= n;
            liveRounded -= 1L << Op.order(n);
            return null;
        }
        if (r) {
            return failure("accepted", call + " returned true, but " + why(op, at), "false, and nothing changed");
        }
        return null;
    }

    private String why(Op op, int at) {
        Integer n = live.get(at);
        if (n != null) {
            return "the block at " + pfn(at) + " has " + n + " frames, not " + op.pages();
        }
        if (op.offset() == 0 && freedAt.containsKey(op.id())) {
            return "that block was already freed (operation " + (freedAt.get(op.id()) + 1) + "): a double free";
        }
        if (allocated.get(at)) {
            return "pfn " + pfn(at) + " is inside a block (" + owner(at) + "), not its head";
        }
        return "pfn " + pfn(at) + " was never handed out";
    }

    /** nr_free_pages() against the model. */
    private Failure count(StudentPages p) {
        mem.newCall();
        long nr = p.nrFreePages();
        long m = managed.cardinality();
        long lo = m - liveRounded;
        long hi = m - liveAsked;
        rounds = nr < hi;
        if (nr < lo || nr > hi) {
            String want = lo == hi ? String.valueOf(hi) : "between " + lo + " and " + hi;
            return failure(
                    "count",
                    "nr_free_pages() returned " + nr + " after " + (current < 0 ? "init_memmap" : "it"),
                    want + " (" + m + " managed frames, " + liveAsked + " in live blocks"
                            + (lo == hi ? "" : ", " + liveRounded + " if each is rounded up to a power of two")
                            + ")");
        }
        return null;
    }

    /** The frames the allocator holds: those handed out, and the slack if it rounds. */
    private BitSet held() {
        if (!rounds) {
            return allocated;
        }
        BitSet h = (BitSet) allocated.clone();
        h.or(extent);
        h.and(managed);
        return h;
    }

    private void cover(int r, int n, int delta) {
        int end = (int) Math.min((long) r + (1L << Op.order(n)), cover.length);
        for (int f = r; f < end; f++) {
            cover[f] += delta;
            if (cover[f] == 0) {
                extent.clear(f);
            } else {
                extent.set(f);
            }
        }
    }

    /** The first naturally aligned run of free frames that would hold {@code n}, or null. */
    private int[] alignedFreeRun(int n) {
        if (n > PageTrace.MAX_BLOCK) {
            return null;
        }
        int size = 1 << Op.order(n);
        BitSet allocated = held();
        for (int[] r : trace.ranges()) {
            int start = (r[0] + size - 1) & -size;
            for (int s = start; (long) s + size <= (long) r[0] + r[1]; s += size) {
                int used = allocated.nextSetBit(s);
                if (used < 0 || used >= s + size) {
                    return new int[] {s, size};
                }
                s = ((used + size) & -size) - size; // skip to the aligned run after the used frame
            }
        }
        return null;
    }

    /**
     * The free frames as a perfect buddy allocator would hold them (the largest naturally aligned
     * free blocks, as __free_pages_memory() splits a range): {largest order, free frames in blocks
     * of at least {@link #SCORE_ORDER}}.
     */
    private int[] fragmentation() {
        BitSet allocated = held();
        int largest = -1;
        int usable = 0;
        for (int[] r : trace.ranges()) {
            int pfn = r[0];
            int end = r[0] + r[1];
            while (pfn < end) {
                if (allocated.get(pfn)) {
                    pfn = Math.min(end, allocated.nextClearBit(pfn));
                    continue;
                }
                int k = Math.min(io.kmemlab.mm.page.PageAllocator.MAX_PAGE_ORDER, Integer.numberOfTrailingZeros(pfn));
                while (k > 0) {
                    int used = allocated.nextSetBit(pfn);
                    if ((long) pfn + (1 << k) <= end && (used < 0 || used >= pfn + (1 << k))) {
                        break;
                    }
                    k--;
                }
                largest = Math.max(largest, k);
                if (k >= SCORE_ORDER) {
                    usable += 1 << k;
                }
                pfn += 1 << k;
            }
        }
        return new int[] {largest, usable};
    }

    private String owner(int frame) {
        Map.Entry<Integer, Integer> best = null;
        for (Map.Entry<Integer, Integer> e : live.entrySet()) {
            if (e.getKey() <= frame && frame < e.getKey() + e.getValue()) {
                best = e;
            }
        }
        return best == null ? "?" : "block at " + pfn(best.getKey()) + " of " + best.getValue() + " frames";
    }

    private String rangesText() {
        StringBuilder sb = new StringBuilder();
        for (int[] r : trace.ranges()) {
            sb.append(sb.length() == 0 ? "" : ", ")
                    .append(pfn(r[0]))
                    .append('-')
                    .append(pfn(r[0] + r[1] - 1));
        }
        return sb.toString();
    }

    private Failure failure(String kind, String problem, String expected) {
        int i = current;
        String op = i < 0
                ? "init / init_memmap"
                : i >= trace.ops().size() ? "check()" : trace.ops().get(i).call();
        long m = managed.cardinality();
        String state = live.size() + " live blocks, " + allocated.cardinality() + " of " + m
                + " frames handed out; managed " + rangesText();
        return new Failure(i, op, kind, problem, expected, state);
    }
}
