package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.buddy.BuddyAllocator;
import io.kmemlab.mm.LockStatView;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.Scheduler;
import io.kmemlab.mm.sched.ThreadBody;
import java.util.List;

/**
 * One kernel contention run: a machine booted as {@code kmemlab boot} boots one ({@code
 * slab=ALLOCATOR nr_cpus=N}), its spinlocks attached to a scheduler of as many virtual CPUs, a
 * thread per CPU. After the run the locks are detached and {@code /proc/lock_stat} shows what they
 * counted.
 */
final class KernelMachine {
    /** Enough memory for 64 CPUs' pcp lists and working sets; small enough to boot in milliseconds. */
    static final String MEM = "mem=256M";

    final Kernel kernel;
    final Machine machine;
    final Scheduler scheduler;
    final int cpus;

    private KernelMachine(Kernel kernel, Scheduler scheduler) {
        this.kernel = kernel;
        this.machine = kernel.machine();
        this.scheduler = scheduler;
        this.cpus = scheduler.nrCpus();
    }

    /**
     * Boots {@code slab=allocator} on {@code options.cpusFor(threads)} CPUs; without {@code pcp}
     * the zones' per-CPU lists are disabled (zone_pcp_disable: high 0, batch 1).
     */
    static KernelMachine boot(String allocator, int threads, ContentionOptions options, boolean pcp) {
        int cpus = options.cpusFor(threads);
        Kernel.BootResult r =
                Kernel.boot(List.of(MEM, "nr_cpus=" + cpus, "slab=" + allocator, "seed=" + options.seed()));
        if (!r.ok()) {
            throw new IllegalArgumentException(r.error());
        }
        if (!pcp) {
            ((BuddyAllocator) r.kernel().pageAllocator()).zonePcpDisable();
        }
        KernelMachine km = new KernelMachine(r.kernel(), new Scheduler(cpus, options.cost(), options.seed()));
        km.machine.locks().attach(km.scheduler, KernelCosts::hold);
        return km;
    }

    void spawn(String name, ThreadBody body) {
        scheduler.spawn(name, body);
    }

    /** Runs the threads, detaches the locks, appends {@code /proc/lock_stat} and checks the allocators. */
    ContentionRow finish(String workload, String config, int threads, StringBuilder views) {
        Scheduler.Outcome outcome = scheduler.run();
        machine.locks().detach();
        if (outcome != Scheduler.Outcome.FINISHED) {
            throw new IllegalStateException(workload + " " + config + ": " + outcome + " " + scheduler.problem());
        }
        LockStatView.register(machine);
        views.append("$ cat /proc/lock_stat   # ")
                .append(workload)
                .append(", ")
                .append(config)
                .append(", ")
                .append(threads)
                .append(threads == 1 ? " thread" : " threads")
                .append(" on ")
                .append(cpus)
                .append(cpus == 1 ? " CPU\n" : " CPUs\n")
                .append(machine.vfs().read(LockStatView.PATH))
                .append('\n');
        List<String> errors = kernel.pageAllocator().validate();
        if (!errors.isEmpty()) {
            throw new IllegalStateException(workload + " " + config + ": page allocator invalid: " + errors);
        }
        if (kernel.slab() != null && kernel.slab().validate() != 0) {
            throw new IllegalStateException(workload + " " + config + ": slab allocator invalid");
        }
        return ContentionRow.of(config, scheduler);
    }

    /** The task a thread's operations run as: a kernel thread per CPU. */
    void current(int cpu, String comm, int pid) {
        machine.cpus().setCurrent(cpu, comm, pid);
    }

    /** A per-CPU cache line of {@code cpu} (a kmem_cache_cpu or the like): only that CPU writes it. */
    static long perCpuLine(int cpu, int index) {
        return 0xffffc90000000000L + ((long) cpu << 16) + ((long) index << 6);
    }
}
