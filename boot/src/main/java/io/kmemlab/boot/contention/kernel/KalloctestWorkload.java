package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.Scheduler;
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
        Scheduler s = new Scheduler(cpus, options.cost(), options.seed());
        Xv6Kalloc kalloc = new Xv6Kalloc(s, FREE_PAGES, perCpu);
        kalloc.freerange();
        long m = Xv6Stats.tot(stats(kalloc));
        for (int c = 0; c < threads; c++) {
            long[] calls = {0};
            int[] page = {Xv6Kalloc.NIL};
            s.spawn("kalloctest", (th, steps) -> {
                if (calls[0] == 2 * n) {
                    return false;
                }
                // QEMU's harts do not run in lockstep: the system call's cost varies by ±50 % (seeded);
                // two identical loops at one fixed cost fall into a phase where they never meet
                long base = KernelCosts.XV6_TRAP + KernelCosts.XV6_VM;
                steps.work(base / 2 + th.random().nextLong(base + 1));
                if (calls[0]++ % 2 == 0) {
                    // sbrk(4096): growproc → uvmalloc → kalloc, mappages; then the child's store
                    page[0] = kalloc.kalloc(th.cpu(), steps);
                    if (page[0] == Xv6Kalloc.NIL) {
                        throw new IllegalStateException("kalloctest: out of memory with " + FREE_PAGES + " pages");
                    }
                    steps.work(KernelCosts.XV6_TOUCH);
                } else {
                    // sbrk(-4096): growproc → uvmdealloc → uvmunmap → kfree
                    kalloc.kfree(th.cpu(), page[0], steps);
                }
                return true;
            });
        }
        Scheduler.Outcome outcome = s.run();
        if (outcome != Scheduler.Outcome.FINISHED) {
            throw new IllegalStateException("kalloctest: " + outcome + " " + s.problem());
        }
        List<String> errors = kalloc.validate();
        if (!errors.isEmpty()) {
            throw new IllegalStateException("kalloctest: " + errors);
        }
        List<Xv6Stats.Lock> stats = stats(kalloc);
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
                .append(test1(stats, m));
        return ContentionRow.of(config, s);
    }

    /** kalloctest's test1 output after the children finished: the statistics and the verdict. */
    static String test1(List<Xv6Stats.Lock> stats, long m) {
        long tot = Xv6Stats.tot(stats);
        return "start test1\ntest1 results:\n" + Xv6Stats.text(stats) + (tot - m < 10 ? "test1 OK\n" : "test1 FAIL\n");
    }

    static List<Xv6Stats.Lock> stats(Xv6Kalloc kalloc) {
        List<Xv6Stats.Lock> out = new ArrayList<>();
        List<VLock> locks = kalloc.locks();
        for (int i = 0; i < locks.size(); i++) {
            VLock l = locks.get(i);
            out.add(new Xv6Stats.Lock(l.name(), l.failedPolls(), l.acquisitions() + kalloc.bootAcquires(i)));
        }
        return out;
    }
}
