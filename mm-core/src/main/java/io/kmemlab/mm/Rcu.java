package io.kmemlab.mm;

/**
 * The machine's RCU, one for every allocator: {@code call_rcu}, {@code rcu_barrier},
 * {@code synchronize_rcu} and the grace periods that decide when a callback runs, all in virtual
 * time (kernel/rcu/tree.c reduced to what the allocators can observe). The slab layer's
 * {@code kfree_rcu} and SLAB's {@code kmem_rcu_free}, SLUB's {@code rcu_free_slab} and SLOB's
 * {@code kmem_rcu_free} all queue here, so a {@code compare} contrasts allocators, not grace-period
 * models.
 *
 * <h2>The grace-period model</h2>
 * A callback queued during jiffy {@code J} cannot be covered by the grace period in progress (it
 * started before the callback was queued). It waits for the next one, which starts at the next
 * jiffy boundary ({@code J + 1}). Every CPU passes a quiescent state at its next scheduling-clock
 * tick, so that grace period has ended one jiffy later ({@code J + 2}: the grace-period kthread
 * scans for quiescent states after {@code jiffies_till_first_fqs}, RCU_JIFFIES_TILL_FORCE_QS = 1
 * jiffy at HZ 250 on a machine of few CPUs), and the callback is invoked from
 * RCU_SOFTIRQ at the tick after that: it becomes due at jiffy {@code J + }{@link #GP_DELAY_JIFFIES}
 * (8 to 12 ms after {@code call_rcu} at HZ 250). Idle CPUs, expedited grace periods, callback
 * batching limits and per-CPU segmented lists are left out: the model is deterministic and depends
 * only on the virtual clock.
 *
 * <p>Due callbacks run, oldest first, when the timer interrupt calls {@link #tick()} (the shell and
 * replay drive it whenever the clock moves), at {@link #barrier()} and, for one kind of callback,
 * at {@link #barrier(Callback)}. A callback queued while others run has a later grace period and
 * waits for it, except at a barrier, which runs until nothing is pending.
 *
 * <h2>Storage</h2>
 * One FIFO ring of parallel arrays (callback, due jiffy, argument, auxiliary word, CPU), ordered by
 * due jiffy because the clock never goes backwards. Queueing allocates nothing unless the ring
 * grows. A callback run out of order by {@link #barrier(Callback)} leaves a hole (a null callback)
 * that the head skips.
 */
public final class Rcu {
    /** Jiffies from a call_rcu until its callback is due (see the class comment). */
    public static final int GP_DELAY_JIFFIES = 3;

    /**
     * An RCU callback, {@code func(head)} of call_rcu: {@code arg} and {@code aux} are the two words
     * the caller queued with it. Keep the callback object in a field: queueing a new lambda per call
     * would allocate.
     */
    @FunctionalInterface
    public interface Callback {
        void invoke(int cpu, long arg, long aux);
    }

    /** Sees one pending callback's words, for validation and reports. */
    @FunctionalInterface
    public interface PendingVisitor {
        void visit(long arg, long aux);
    }

    private final Cpus cpus;
    private final VirtualClock clock;
    private Callback[] fn = new Callback[16];
    private long[] due = new long[16];
    private long[] arg = new long[16];
    private long[] aux = new long[16];
    private int[] cpu = new int[16];
    private int head;
    /** Ring slots in use, holes included. */
    private int used;
    /** Callbacks waiting (no holes). */
    private int pending;

    private long queued;
    private long invoked;

    public Rcu(VirtualClock clock) {
        this(clock, null);
    }

    /** With the CPUs whose context shows callbacks running in softirq (RCU_SOFTIRQ). */
    public Rcu(VirtualClock clock, Cpus cpus) {
        this.clock = clock;
        this.cpus = cpus;
    }

    /** Runs a callback as rcu_do_batch() does: in softirq context on its CPU. */
    private void run(Callback f, int c, long a, long x) {
        if (cpus == null || !cpus.valid(c)) {
            f.invoke(c, a, x);
            return;
        }
        cpus.softirqEnter(c);
        try {
            f.invoke(c, a, x);
        } finally {
            cpus.softirqExit(c);
        }
    }

    /** The jiffy at which a callback queued at jiffy {@code j} becomes due. */
    public static long dueJiffies(long j) {
        return j + GP_DELAY_JIFFIES;
    }

    /** call_rcu(head, func) with one word of argument. */
    public void callRcu(int cpu, Callback fn, long arg) {
        callRcu(cpu, fn, arg, 0);
    }

    /**
     * call_rcu(head, func): {@code fn.invoke(cpu, arg, aux)} runs once the grace period that
     * starts after now has ended.
     */
    public void callRcu(int cpu, Callback fn, long arg, long aux) {
        if (fn == null) {
            throw new IllegalArgumentException("call_rcu without a callback");
        }
        if (used == this.fn.length) {
            grow();
        }
        int i = (head + used) & (this.fn.length - 1);
        this.fn[i] = fn;
        this.due[i] = dueJiffies(clock.jiffies());
        this.arg[i] = arg;
        this.aux[i] = aux;
        this.cpu[i] = cpu;
        used++;
        pending++;
        queued++;
    }

    private void grow() {
        int n = fn.length * 2;
        Callback[] fns = new Callback[n];
        long[] dues = new long[n];
        long[] args = new long[n];
        long[] auxs = new long[n];
        int[] cpus = new int[n];
        for (int k = 0; k < used; k++) {
            int j = (head + k) & (fn.length - 1);
            fns[k] = fn[j];
            dues[k] = due[j];
            args[k] = arg[j];
            auxs[k] = aux[j];
            cpus[k] = cpu[j];
        }
        fn = fns;
        due = dues;
        arg = args;
        aux = auxs;
        cpu = cpus;
        head = 0;
    }

    /**
     * rcu_core() from the timer interrupt: runs, oldest first, every callback whose grace period
     * has ended by the clock's current jiffy. Callbacks queued meanwhile wait for their own.
     */
    public void tick() {
        if (used == 0) {
            return;
        }
        long now = clock.jiffies();
        while (used > 0) {
            Callback f = fn[head];
            if (f != null && due[head] - now > 0) {
                return;
            }
            runHead();
        }
    }

    /** Pops the head slot and runs its callback, if it is not a hole. */
    private void runHead() {
        int i = head;
        Callback f = fn[i];
        long a = arg[i];
        long x = aux[i];
        int c = cpu[i];
        fn[i] = null;
        head = (head + 1) & (fn.length - 1);
        used--;
        if (f != null) {
            pending--;
            invoked++;
            run(f, c, a, x);
        }
    }

    /**
     * rcu_barrier(): every pending callback runs now, oldest first, including those queued by the
     * callbacks it runs, so that afterwards nothing waits for a grace period.
     */
    public void barrier() {
        while (used > 0) {
            runHead();
        }
    }

    /**
     * A barrier for one kind of callback only ({@code kvfree_rcu_barrier()} for kfree_rcu): every
     * pending callback {@code kind} runs now, oldest first, including those queued meanwhile; the
     * others keep waiting for their grace periods.
     */
    public void barrier(Callback kind) {
        for (int k = 0; k < used && pending > 0; k++) {
            // re-read the ring each step: a callback may queue more and so regrow it (in order)
            int i = (head + k) & (fn.length - 1);
            if (fn[i] != kind) {
                continue;
            }
            long a = arg[i];
            long x = aux[i];
            int c = cpu[i];
            fn[i] = null;
            pending--;
            invoked++;
            run(kind, c, a, x);
        }
        while (used > 0 && fn[head] == null) {
            head = (head + 1) & (fn.length - 1);
            used--;
        }
    }

    /**
     * synchronize_rcu(): the caller sleeps until a grace period that starts after now has ended:
     * the virtual clock moves on to the jiffy at which a callback queued now would be due, and the
     * callbacks due by then run (as {@link #tick()}).
     */
    public void synchronize() {
        clock.set(VirtualClock.nanosOfJiffies(dueJiffies(clock.jiffies())));
        tick();
    }

    /** Whether callback {@code kind} with argument {@code arg} is queued and has not run yet. */
    public boolean isPending(Callback kind, long arg) {
        if (pending == 0) {
            return false;
        }
        for (int k = 0; k < used; k++) {
            int i = (head + k) & (fn.length - 1);
            if (fn[i] == kind && this.arg[i] == arg) {
                return true;
            }
        }
        return false;
    }

    /** Callbacks waiting for a grace period. */
    public int pending() {
        return pending;
    }

    /** Callbacks of one kind waiting for a grace period. */
    public int pending(Callback kind) {
        int n = 0;
        for (int k = 0; k < used && n < pending; k++) {
            if (fn[(head + k) & (fn.length - 1)] == kind) {
                n++;
            }
        }
        return n;
    }

    /** Visits the words of every pending callback of one kind, oldest first. */
    public void forEachPending(Callback kind, PendingVisitor v) {
        for (int k = 0; k < used; k++) {
            int i = (head + k) & (fn.length - 1);
            if (fn[i] == kind) {
                v.visit(arg[i], aux[i]);
            }
        }
    }

    /** The jiffy at which the oldest pending callback is due, or Long.MAX_VALUE if none is. */
    public long nextDueJiffies() {
        for (int k = 0; k < used; k++) {
            int i = (head + k) & (fn.length - 1);
            if (fn[i] != null) {
                return due[i];
            }
        }
        return Long.MAX_VALUE;
    }

    /** Callbacks ever queued. */
    public long queued() {
        return queued;
    }

    /** Callbacks ever run. */
    public long invoked() {
        return invoked;
    }

    @Override
    public String toString() {
        return "rcu(pending " + pending + ", queued " + queued + ", invoked " + invoked + ")";
    }
}
