package io.kmemlab.mm;

/**
 * The emulated CPUs. Every operation names the CPU it runs on (an explicit argument, never a
 * thread-local), so a single-threaded replay drives per-CPU state exactly as a trace says. Each
 * CPU also has a current task (comm and pid) used for trace line prefixes and track records, and
 * an execution context (irqs disabled, softirq, preempt depth) that trace lines print in their
 * context column, as {@code preempt_count()} and {@code irqs_disabled()} are read by the
 * kernel's tracing_gen_ctx():
 *
 * <pre>
 *  context = IRQS_OFF (bit 8) | SOFTIRQ (bit 9) | HARDIRQ (bit 10) | preempt depth (bits 0-3)
 * </pre>
 */
public final class Cpus {
    private final int nrCpus;
    private final String[] comm;
    private final int[] pid;
    /** local_irq_save() nesting per CPU. */
    private final int[] irqsOff;
    /** Softirq (callbacks run from RCU's softirq) nesting per CPU. */
    private final int[] softirq;
    /** preempt_disable() nesting per CPU (spinlocks included, as in the kernel). */
    private final int[] preempt;

    public static final int CTX_IRQS_OFF = 1 << 8;
    public static final int CTX_SOFTIRQ = 1 << 9;
    public static final int CTX_HARDIRQ = 1 << 10;
    public static final int CTX_PREEMPT_MASK = 0xf;

    public Cpus(int nrCpus) {
        if (nrCpus < 1) {
            throw new IllegalArgumentException("nr_cpus must be at least 1: " + nrCpus);
        }
        this.nrCpus = nrCpus;
        this.comm = new String[nrCpus];
        this.pid = new int[nrCpus];
        this.irqsOff = new int[nrCpus];
        this.softirq = new int[nrCpus];
        this.preempt = new int[nrCpus];
        for (int c = 0; c < nrCpus; c++) {
            comm[c] = c == 0 ? "swapper/0" : "swapper/" + c;
            pid[c] = 0;
        }
    }

    public int nrCpus() {
        return nrCpus;
    }

    public boolean valid(int cpu) {
        return cpu >= 0 && cpu < nrCpus;
    }

    /** Sets the task running on a CPU. */
    public void setCurrent(int cpu, String taskComm, int taskPid) {
        comm[cpu] = taskComm;
        pid[cpu] = taskPid;
    }

    public String comm(int cpu) {
        return comm[cpu];
    }

    public int pid(int cpu) {
        return pid[cpu];
    }

    /** spin_lock_irqsave() entered: irqs off and one more preempt level. */
    public void lockIrqsave(int cpu) {
        irqsOff[cpu]++;
        preempt[cpu]++;
    }

    /** spin_unlock_irqrestore(). */
    public void unlockIrqrestore(int cpu) {
        irqsOff[cpu]--;
        preempt[cpu]--;
    }

    /** preempt_disable() (or a spin_lock() taken with irqs on). */
    public void preemptDisable(int cpu) {
        preempt[cpu]++;
    }

    public void preemptEnable(int cpu) {
        preempt[cpu]--;
    }

    /** {@code n} nested preempt_disable()s at once (pcp_spin_lock: preemption plus the lock's level). */
    public void preemptDisable(int cpu, int n) {
        preempt[cpu] += n;
    }

    /** {@code n} nested preempt_enable()s at once. */
    public void preemptEnable(int cpu, int n) {
        preempt[cpu] -= n;
    }

    /** A softirq (RCU callbacks) starts running on {@code cpu}. */
    public void softirqEnter(int cpu) {
        softirq[cpu]++;
    }

    public void softirqExit(int cpu) {
        softirq[cpu]--;
    }

    /** The context the tracer records for an event on {@code cpu} (see the class comment). */
    public int traceContext(int cpu) {
        int ctx = Math.min(Math.max(preempt[cpu], 0), CTX_PREEMPT_MASK);
        if (irqsOff[cpu] > 0) {
            ctx |= CTX_IRQS_OFF;
        }
        if (softirq[cpu] > 0) {
            ctx |= CTX_SOFTIRQ;
        }
        return ctx;
    }
}
