package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.boot.lab.Kmem;
import io.kmemlab.boot.lab.StudentKalloc;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.CostModel;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.sched.VLock;
import java.util.ArrayList;
import java.util.List;

/**
 * The xv6 lock lab's {@code kalloctest} test1 (MIT 6.S081, 2020): NCHILD children each do N
 * times {@code a = sbrk(4096); *(int *)(a+4) = 1; sbrk(-4096)} — a kalloc and a kfree per
 * iteration — on an xv6 of 3 CPUs (the Makefile's default CPUS), once with the stock kalloc's one
 * {@code kmem} list and once with the lab's per-CPU lists; then it prints the lock statistics and
 * {@code test1 OK} if the kmem locks' test-and-sets grew by less than 10 during the test.
 *
 * <p>Sizes: the children are the run's threads (the lab's NCHILD is 2), N is the options'
 * operations per thread / 2 (each sbrk is one operation; default N = 100,000), the CPUs the
 * options' (default 3). Each operation is one system call: the trap, the page-table work, and
 * kalloc's or kfree's junk fill and critical section ({@link KernelCosts}).
 */
public final class KalloctestWorkload implements ContentionWorkload {
    static final String ONE_LIST = "xv6 kmem";
    static final String PER_CPU = "xv6 kmem per-cpu";
    /** The lab's N: iterations per child. */
    static final int N = 100_000;
    /** xv6's CPUS default in the lab's Makefile. */
    static final int CPUS = 3;
    /** kinit's free pages on the lab's kernel: "total free number of pages: 32499 (out of 32768)". */
    static final int FREE_PAGES = 32_499;

    @Override
    public String name() {
        return "kalloctest";
    }

    @Override
    public String description() {
        return "xv6's kalloctest test1: children sbrk(+-4096) in a loop; one kmem list vs per-CPU lists";
    }

    @Override
    public List<String> configs() {
        return List.of(ONE_LIST, PER_CPU);
    }

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        boolean perCpu;
        if (config.equals(ONE_LIST)) {
            perCpu = false;
        } else if (config.equals(PER_CPU)) {
            perCpu = true;
        } else {
            throw new IllegalArgumentException(
                    "kalloctest has no configuration '" + config + "' (" + String.join(", ", configs()) + ")");
        }
        int cpus = options.cpus() > 0 ? options.cpus() : CPUS;
        long n = options.opsPerThread() > 0 ? Math.max(1, options.opsPerThread() / 2) : N;
        Xv6Kalloc kalloc = new Xv6Kalloc(perCpu);
        Test1 t = test1(kalloc, threads, cpus, n, options.cost(), options.seed());
        List<String> errors = new ArrayList<>(t.failures());
        errors.addAll(kalloc.validate());
        if (!errors.isEmpty()) {
            throw new IllegalStateException("kalloctest: " + errors);
        }
        views.append("$ kalloctest   # ")
                .append(config)
                .append(", ")
                .append(threads)
                .append(threads == 1 ? " child" : " children")
                .append(" on ")
                .append(cpus)
                .append(" CPUs, N=")
                .append(n)
                .append('\n')
                .append(t.text());
        return ContentionRow.of(config, t.scheduler());
    }

    /**
     * One run of test1 over any kalloc, and the test2-like check after it.
     *
     * @param scheduler the run's (its clock and locks)
     * @param text test1's output: the statistics and the verdict (empty if the children did not finish)
     * @param tot the kmem locks' test-and-sets during the test
     * @param ok test1's verdict: {@code tot < 10}
     * @param countfree the pages kalloc on CPU 0 hands out after the run until it has none (-1 if not counted)
     * @param failures what went wrong, in plain words (the first fault stops the run): a page handed out
     *     twice or out of range, no page while most are free, an exception, a lock never released or
     *     released twice (the scheduler's report), pages lost
     */
    public record Test1(
            Scheduler scheduler, String text, long tot, boolean ok, long countfree, List<String> failures) {}

    /** A fault of the kalloc under test: ends the run. */
    private static final class Fault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Fault(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * kinit, freerange of the {@link #FREE_PAGES} pages on CPU 0, then {@code children} children on
     * {@code cpus} CPUs each doing {@code n} times sbrk(4096) / sbrk(-4096), while an occupancy model
     * (which child holds which page) checks every page kalloc hands out; then countfree.
     */
    public static Test1 test1(StudentKalloc kalloc, int children, int cpus, long n, CostModel cost, long seed) {
        Scheduler s = new Scheduler(cpus, cost, seed);
        Kmem kmem = new Kmem(s, FREE_PAGES);
        List<String> failures = new ArrayList<>();
        // the model: holder[p] is the child holding page p, FREE, or BOOT before freerange freed it
        int[] holder = new int[FREE_PAGES];
        java.util.Arrays.fill(holder, BOOT);
        int[] held = {0};
        try {
            call("kinit", () -> kalloc.kinit(kmem));
            for (int p = FREE_PAGES - 1; p >= 0; p--) {
                int page = p;
                call("kfree(0, " + p + ") in freerange", () -> kalloc.kfree(0, page));
                holder[p] = FREE;
            }
            leftHeld(kmem, "freerange");
        } catch (Fault f) {
            failures.add(f.getMessage());
            return new Test1(s, "", 0, false, -1, failures);
        }
        long m = Xv6Stats.tot(stats(kmem));
        for (int c = 0; c < children; c++) {
            long[] calls = {0};
            int[] page = {NO_PAGE};
            int child = c;
            s.spawn("kalloctest", (th, steps) -> {
                if (calls[0] == 2 * n) {
                    return false;
                }
                kmem.use(steps);
                // QEMU's harts do not run in lockstep: the system call's cost varies by ±50 % (seeded);
                // two identical loops at one fixed cost fall into a phase where they never meet
                long base = KernelCosts.XV6_TRAP + KernelCosts.XV6_VM;
                steps.work(base / 2 + th.random().nextLong(base + 1));
                int cpu = th.cpu();
                long acquires = kmem.acquires();
                if (calls[0]++ % 2 == 0) {
                    // sbrk(4096): growproc → uvmalloc → kalloc (its memset after the lock), mappages; the store
                    String who = "child " + child + "'s kalloc #" + (calls[0] / 2 + 1) + " on CPU " + cpu;
                    int p = kallocCall(kalloc, cpu, who);
                    unlocked(kmem, acquires, who);
                    if (p == NO_PAGE) {
                        throw new Fault(who + " returned no page while only " + held[0] + " of " + FREE_PAGES
                                + " pages were handed out");
                    }
                    if (p < 0 || p >= FREE_PAGES) {
                        throw new Fault(who + " returned page " + p + ", outside 0.." + (FREE_PAGES - 1));
                    }
                    if (holder[p] != FREE) {
                        throw new Fault(
                                who + " handed out page " + p + " twice: child " + holder[p] + " still holds it");
                    }
                    holder[p] = child;
                    held[0]++;
                    page[0] = p;
                    steps.work(KernelCosts.XV6_MEMSET);
                    steps.work(KernelCosts.XV6_TOUCH);
                } else {
                    // sbrk(-4096): growproc → uvmdealloc → uvmunmap → kfree (its memset before the lock)
                    steps.work(KernelCosts.XV6_MEMSET);
                    holder[page[0]] = FREE;
                    held[0]--;
                    int p = page[0];
                    String who = "child " + child + "'s kfree(" + cpu + ", " + p + ")";
                    call(who, () -> kalloc.kfree(cpu, p));
                    unlocked(kmem, acquires, who);
                }
                return true;
            });
        }
        Scheduler.Outcome outcome;
        try {
            outcome = s.run();
        } catch (Fault f) {
            failures.add(f.getMessage());
            return new Test1(s, "", 0, false, -1, failures);
        } finally {
            kmem.use(Steps.OFF);
        }
        if (outcome != Scheduler.Outcome.FINISHED) {
            failures.add((outcome == Scheduler.Outcome.DEADLOCK
                            ? "the children never finished, a lock was never released: "
                            : outcome == Scheduler.Outcome.ERROR
                                    ? "a lock was misused (taken twice, never released or released twice): "
                                    : outcome + ": ")
                    + s.problem());
            return new Test1(s, "", 0, false, -1, failures);
        }
        List<Xv6Stats.Lock> stats = stats(kmem);
        long tot = Xv6Stats.tot(stats) - m;
        String text = test1(stats, m);
        long free = countfree(kalloc, kmem, holder, failures);
        return new Test1(s, text, tot, tot < 10, free, failures);
    }

    private static final int FREE = -1;
    private static final int BOOT = -2;
    private static final int NO_PAGE = StudentKalloc.NO_PAGE;

    /**
     * test2's countfree, on CPU 0 after the children: kalloc until no page is left, each page checked
     * against the model, then every one freed again; adds a failure for pages lost or handed out twice.
     */
    private static long countfree(StudentKalloc kalloc, Kmem kmem, int[] holder, List<String> failures) {
        int[] got = new int[holder.length];
        int count = 0;
        try {
            while (true) {
                int p = kallocCall(kalloc, 0, "countfree's kalloc(0)");
                if (p == NO_PAGE) {
                    break;
                }
                if (p < 0 || p >= holder.length) {
                    throw new Fault("countfree: kalloc(0) returned page " + p + ", outside 0.." + (holder.length - 1));
                }
                if (holder[p] != FREE) {
                    throw new Fault("countfree: kalloc(0) handed out page " + p + " twice");
                }
                holder[p] = 0;
                got[count++] = p;
            }
            for (int i = 0; i < count; i++) {
                int p = got[i];
                call("countfree's kfree(0, " + p + ")", () -> kalloc.kfree(0, p));
                holder[p] = FREE;
            }
            leftHeld(kmem, "countfree");
        } catch (Fault f) {
            failures.add(f.getMessage());
            return count;
        }
        if (count != holder.length) {
            failures.add("countfree: " + count + " pages free after the run, " + holder.length + " before: "
                    + (holder.length - count) + " pages lost");
        }
        return count;
    }

    /** A call that took no kmem lock: on xv6 another CPU could change the same list at the same time. */
    private static void unlocked(Kmem kmem, long before, String who) {
        if (kmem.acquires() == before) {
            throw new Fault(who + " took no kmem lock: on a real machine another CPU can change the same list"
                    + " at the same instant (a race); every list access needs its list's lock");
        }
    }

    private static void leftHeld(Kmem kmem, String where) {
        List<String> held = kmem.heldOutside();
        if (!held.isEmpty()) {
            throw new Fault(where + " left " + String.join(", ", held) + " held: a lock never released");
        }
    }

    private static int kallocCall(StudentKalloc kalloc, int cpu, String who) {
        try {
            return kalloc.kalloc(cpu);
        } catch (RuntimeException | StackOverflowError e) {
            throw new Fault(who + " threw " + e);
        }
    }

    private static void call(String what, Runnable r) {
        try {
            r.run();
        } catch (Fault f) {
            throw f;
        } catch (RuntimeException | StackOverflowError e) {
            throw new Fault(what + " threw " + e);
        }
    }

    /** kalloctest's test1 output after the children finished: the statistics and the verdict. */
    static String test1(List<Xv6Stats.Lock> stats, long m) {
        long tot = Xv6Stats.tot(stats);
        return "start test1\ntest1 results:\n" + Xv6Stats.text(stats) + (tot - m < 10 ? "test1 OK\n" : "test1 FAIL\n");
    }

    static List<Xv6Stats.Lock> stats(Kmem kmem) {
        List<Xv6Stats.Lock> out = new ArrayList<>();
        for (Kmem.Lock l : kmem.locks()) {
            VLock v = l.vlock();
            out.add(new Xv6Stats.Lock(v.name(), v.failedPolls(), v.acquisitions() + l.bootAcquires()));
        }
        return out;
    }
}
