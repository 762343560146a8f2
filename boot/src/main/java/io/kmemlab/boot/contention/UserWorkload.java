package io.kmemlab.boot.contention;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.CostModel;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.ThreadBody;
import io.kmemlab.mm.user.ThreadedAllocator;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.proc.Process;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A multi-threaded program of one emulated process on a user-space allocator: the part every
 * user workload shares. A run spawns a process on a small kernel, creates the configuration's
 * allocator in it, lets the program set up (unscheduled: what the program does before its
 * threads start timing, such as pthread_create's own allocations and each thread's arrays), then
 * {@link ThreadedAllocator#attach attaches} a {@link Scheduler} and runs the program's threads
 * on their virtual CPUs, one allocator call per operation. Thread {@code i} of the workload is
 * the allocator's thread {@code i + 1}: thread 0 is the main thread, which only created them.
 */
public abstract class UserWorkload implements ContentionWorkload {
    private Kernel kernel;
    private final UserAllocators allocators = UserAllocators.load();

    /** The threads' bodies, after the program's unscheduled setup; {@code ops} per thread. */
    protected abstract ThreadBody[] program(Program p, int threads, long ops, long seed);

    /** Operations per thread when {@code --ops} is not given. */
    protected abstract long defaultOps();

    /**
     * The user-space calibration (docs/contention.md): the reference's defaults with an atomic of
     * 4 ns, a line transfer of 170 ns and a futex wake-to-run of 10 µs, as this 2-vCPU EPYC VM's
     * bench-malloc-thread ratios ask.
     */
    public static final CostModel USER_COST = CostModel.DEFAULT.with("atomic=4,xfer=170,wakeup=10000");

    @Override
    public CostModel defaultCost() {
        return USER_COST;
    }

    @Override
    public List<String> configs() {
        return UserConfig.DEFAULTS.stream().map(UserConfig::name).toList();
    }

    /** What the program calls: the allocator as one of the process's threads. */
    public static final class Program {
        private final UserAllocator allocator;
        private final ThreadedAllocator threads;
        private int current = -1;

        Program(UserAllocator allocator, ThreadedAllocator threads) {
            this.allocator = allocator;
            this.threads = threads;
        }

        /** The allocator, called as thread {@code tid} (0 = main). */
        public UserAllocator as(int tid) {
            if (tid != current) {
                threads.asThread(tid);
                current = tid;
            }
            return allocator;
        }

        /** Thread {@code tid} exits (its tcache flushed, its arena freed for the next new thread). */
        public void exit(int tid) {
            as(tid);
            threads.threadExit();
        }

        /** pthread_create's own allocation in glibc 2.36: the new thread's DTV, by the creator. */
        public void pthreadCreate() {
            as(0).calloc(17, 16);
        }
    }

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        UserConfig c = UserConfig.named(config);
        if (c == null) {
            throw new IllegalArgumentException("workload " + name() + " has no config '" + config + "' (configs: "
                    + String.join(
                            ", ",
                            UserConfig.all().stream().map(UserConfig::name).toList()) + ")");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1: " + threads);
        }
        int cpus = options.cpusFor(threads);
        Process p = kernel().processes().spawn(name().length() > 15 ? name().substring(0, 15) : name());
        if (p == null) {
            throw new IllegalStateException("no memory to spawn a process for " + name());
        }
        p.runOn(0);
        try {
            UserAllocator a = allocators.create(new UserAllocators.Spec(c.allocator(), options(c, cpus)), p);
            if (!(a instanceof ThreadedAllocator t)) {
                throw new IllegalArgumentException("allocator " + c.allocator() + " cannot run threads");
            }
            Program prog = new Program(a, t);
            long ops = options.opsPerThread() > 0 ? options.opsPerThread() : defaultOps();
            ThreadBody[] bodies = program(prog, threads, ops, options.seed());
            Scheduler s = new Scheduler(cpus, options.cost(), options.seed());
            t.attach(s);
            for (int i = 0; i < bodies.length; i++) {
                s.spawn("thread " + (i + 1), bodies[i]);
            }
            Scheduler.Outcome out = s.run();
            if (out != Scheduler.Outcome.FINISHED) {
                throw new IllegalStateException(name() + " " + c.label() + ": " + out + " " + s.problem());
            }
            List<String> problems = a.validate();
            if (!problems.isEmpty()) {
                throw new IllegalStateException(name() + " " + c.label() + ": heap invalid: " + problems.get(0));
            }
            views.append("--- ")
                    .append(name())
                    .append(": ")
                    .append(c.label())
                    .append(", ")
                    .append(threads)
                    .append(threads == 1 ? " thread" : " threads")
                    .append(" on ")
                    .append(cpus)
                    .append(cpus == 1 ? " CPU" : " CPUs")
                    .append(" ---\n");
            String own = t.lockStats(s.now());
            views.append(own.isEmpty() ? LockSummary.render(s.locks()) : own);
            return ContentionRow.of(c.label(), s);
        } finally {
            p.exitGroup(0);
        }
    }

    /** The allocator's options: the config's, and the machine's CPUs as glibc and jemalloc count them. */
    static Map<String, String> options(UserConfig c, int cpus) {
        Map<String, String> o = new HashMap<>(c.options());
        if (c.allocator().equals("glibc")) {
            o.putIfAbsent("cpus", Integer.toString(cpus));
        } else if (c.allocator().equals("jemalloc")) {
            // opt.narenas: 4 × ncpus, 1 on one CPU
            o.putIfAbsent("narenas", Integer.toString(cpus == 1 ? 1 : 4 * cpus));
        }
        return o;
    }

    private synchronized Kernel kernel() {
        if (kernel == null) {
            Kernel.BootResult r = Kernel.boot(List.of("mem=1G"));
            if (!r.ok()) {
                throw new IllegalStateException("cannot boot the contention machine: " + r.error());
            }
            kernel = r.kernel();
        }
        return kernel;
    }
}
