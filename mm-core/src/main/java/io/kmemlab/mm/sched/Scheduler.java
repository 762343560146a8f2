package io.kmemlab.mm.sched;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Threads on virtual CPUs in virtual time: a discrete-event scheduler that runs each thread's
 * operations, plays out the {@link Steps} they record — work, cache lines, locks — and makes
 * threads wait for locks as each {@link LockPolicy} does, with the costs of a {@link CostModel}.
 *
 * <p>How a run goes. Every thread is pinned to a CPU ({@code id mod nrCpus} unless told). One
 * event queue, ordered by (virtual time, CPU, sequence number), says which thread moves next.
 * At an operation's start the thread's {@link ThreadBody} runs — the allocator's state changes
 * then, in that order — and records its steps; the thread then walks them: work and cache lines
 * advance its own clock; every lock and unlock is an event of its own at the thread's time, so
 * that locks are taken and released in virtual-time order across threads. A lock found held
 * makes the thread wait by its policy: sleep (the CPU goes to another thread of that CPU, if
 * any), spin (polls at the policy's period; the release's earliest poller wins), or queue. Ties
 * go to the lower CPU. Nothing depends on the wall clock or on Java's threads: the same threads,
 * costs and seed give the same interleaving and the same counters, byte for byte.
 *
 * <p>Simplifications, on purpose: an operation's effect on the allocator happens when it starts,
 * not when it gets its lock (the effects of two operations are ordered by their start times); a
 * thread is preempted only between operations, so never while it holds a lock; a woken
 * sleeper's retry does not pay a context switch when its CPU was idle.
 */
public final class Scheduler {
    private static final int RUN = 0;
    private static final int RETRY = 1;
    private static final int TIMEOUT = 2;
    private static final int ASLEEP = 3;

    /** What a run ended with. */
    public enum Outcome {
        /** Every thread finished. */
        FINISHED,
        /** The time limit came first. */
        TIME_LIMIT,
        /** Threads still wait and nothing can wake them. */
        DEADLOCK,
        /** An operation misused a lock (released one it did not hold, ended holding one). */
        ERROR
    }

    /** Watches acquisitions and releases (tests of mutual exclusion, traces). */
    public interface Listener {
        void acquired(VLock lock, VThread thread, long time);

        void released(VLock lock, VThread thread, long time);
    }

    private final int nrCpus;
    private final CostModel cost;
    private final SplittableRandom seedStream;
    private final Steps steps = Steps.recording();
    private final CacheLines lines = new CacheLines();
    private final List<VThread> threads = new ArrayList<>();
    private final List<VLock> locks = new ArrayList<>();
    private final List<String> sites = new ArrayList<>();
    private final Map<String, Integer> siteIds = new HashMap<>();
    private Listener listener;

    // per lock: its waiters in arrival order (thread ids)
    private int[][] waitList = new int[8][];
    private int[] waitLen = new int[8];

    // per CPU
    private final int[] current;
    private final int[][] runQueue;
    private final int[] rqHead;
    private final int[] rqLen;
    private final int[] lastRan;

    // the event queue: a binary heap over parallel arrays
    private long[] evTime = new long[256];
    private int[] evCpu = new int[256];
    private long[] evSeq = new long[256];
    private int[] evThread = new int[256];
    private int[] evKind = new int[256];
    private int[] evGen = new int[256];
    private int evLen;
    private long seq;

    private long now;
    private Outcome outcome;
    private String problem = "";
    private long events;

    public Scheduler(int nrCpus, CostModel cost, long seed) {
        if (nrCpus < 1 || nrCpus > 64) {
            throw new IllegalArgumentException("CPUs must be 1..64: " + nrCpus);
        }
        this.nrCpus = nrCpus;
        this.cost = cost;
        this.seedStream = new SplittableRandom(seed);
        current = new int[nrCpus];
        Arrays.fill(current, -1);
        runQueue = new int[nrCpus][8];
        rqHead = new int[nrCpus];
        rqLen = new int[nrCpus];
        lastRan = new int[nrCpus];
        Arrays.fill(lastRan, -1);
        sites.add("");
        siteIds.put("", 0);
    }

    public int nrCpus() {
        return nrCpus;
    }

    public CostModel cost() {
        return cost;
    }

    /** The recorder allocators write into while one of this scheduler's operations runs. */
    public Steps steps() {
        return steps;
    }

    public void setListener(Listener listener) {
        this.listener = listener;
    }

    /** A new lock of this run; {@link LockPolicy#SPIN_THEN_BLOCK} spins jemalloc's 600 polls. */
    public VLock newLock(String name, LockPolicy policy) {
        return newLock(name, policy, 600);
    }

    /** A new lock; {@code spinLimit} is for {@link LockPolicy#SPIN_THEN_BLOCK} (-1: spin for ever). */
    public VLock newLock(String name, LockPolicy policy, int spinLimit) {
        VLock l = new VLock(locks.size(), name, policy, spinLimit);
        locks.add(l);
        if (l.id >= waitList.length) {
            waitList = Arrays.copyOf(waitList, waitList.length * 2);
            waitLen = Arrays.copyOf(waitLen, waitLen.length * 2);
        }
        waitList[l.id] = new int[4];
        return l;
    }

    /** Every lock of this run, in creation order. */
    public List<VLock> locks() {
        return Collections.unmodifiableList(locks);
    }

    /** The id of a call site's name (for lock_stat's contention points); the same name, the same id. */
    public int site(String name) {
        Integer id = siteIds.get(name);
        if (id == null) {
            id = sites.size();
            sites.add(name);
            siteIds.put(name, id);
        }
        return id;
    }

    public String siteName(int id) {
        return sites.get(id);
    }

    /** A thread pinned to CPU {@code id mod nrCpus}. */
    public VThread spawn(String name, ThreadBody body) {
        return spawn(name, threads.size() % nrCpus, body);
    }

    public VThread spawn(String name, int cpu, ThreadBody body) {
        if (cpu < 0 || cpu >= nrCpus) {
            throw new IllegalArgumentException("no CPU " + cpu + " (" + nrCpus + " CPUs)");
        }
        VThread th = new VThread(threads.size(), name, cpu, seedStream.split(), body);
        threads.add(th);
        makeRunnable(th, 0, RUN);
        return th;
    }

    public List<VThread> threads() {
        return Collections.unmodifiableList(threads);
    }

    /** Virtual time of the last event. */
    public long now() {
        return now;
    }

    public Outcome outcome() {
        return outcome;
    }

    /** What went wrong, for {@link Outcome#DEADLOCK} and {@link Outcome#ERROR}; empty otherwise. */
    public String problem() {
        return problem;
    }

    /** Events processed so far (a measure of the model's own work). */
    public long events() {
        return events;
    }

    /** Runs until every thread finishes. */
    public Outcome run() {
        return run(Long.MAX_VALUE);
    }

    /** Runs until every thread finishes or virtual time passes {@code until}. */
    public Outcome run(long until) {
        outcome = null;
        while (evLen > 0 && outcome == null) {
            if (evTime[0] > until) {
                now = until;
                return outcome = Outcome.TIME_LIMIT;
            }
            long t = evTime[0];
            VThread th = threads.get(evThread[0]);
            int kind = evKind[0];
            int gen = evGen[0];
            pop();
            if (kind == TIMEOUT) {
                // at most one timeout per thread is queued; it is checked against the deadline
                th.timeoutQueued = false;
            } else if (gen != th.gen) {
                continue;
            }
            now = t;
            events++;
            switch (kind) {
                case RUN -> walk(th, t);
                case RETRY -> retry(th, t);
                case ASLEEP -> asleep(th, t);
                default -> timeout(th, t);
            }
        }
        if (outcome != null) {
            return outcome;
        }
        StringBuilder waiting = new StringBuilder();
        for (VThread th : threads) {
            if (th.state != VThread.DONE) {
                waiting.append(waiting.length() == 0 ? "" : "; ")
                        .append(th.name())
                        .append(th.waitingOn != null ? " waits for " + th.waitingOn.name() : " cannot run");
            }
        }
        if (waiting.length() == 0) {
            return outcome = Outcome.FINISHED;
        }
        problem = "deadlock at " + now + " ns: " + waiting;
        return outcome = Outcome.DEADLOCK;
    }

    // ---- a thread walking its steps

    private void walk(VThread th, long eventTime) {
        long t = Math.max(th.t, eventTime);
        th.t = t;
        while (true) {
            if (th.pc == th.len) {
                if (t != eventTime) {
                    push(th, t, RUN);
                    return;
                }
                if (th.len > 0) {
                    th.ops++;
                    th.len = 0;
                    th.pc = 0;
                    if (preempt(th, t)) {
                        return;
                    }
                }
                steps.clear();
                if (!th.body.next(th, steps)) {
                    finish(th, t);
                    return;
                }
                if (steps.n > th.buf.length) {
                    th.buf = Arrays.copyOf(steps.op, Math.max(steps.n, th.buf.length * 2));
                } else {
                    System.arraycopy(steps.op, 0, th.buf, 0, steps.n);
                }
                th.len = steps.n;
                if (th.len == 0) {
                    // an operation that costs nothing still ends: count it and start the next
                    th.ops++;
                    t += 1;
                    th.t = t;
                    continue;
                }
            }
            long kind = th.buf[th.pc];
            long arg = th.buf[th.pc + 1];
            if (kind == Steps.LOCK || kind == Steps.UNLOCK) {
                if (t != eventTime) {
                    th.t = t;
                    push(th, t, RUN);
                    return;
                }
                VLock l = locks.get((int) arg);
                th.pc += 2;
                if (kind == Steps.LOCK) {
                    if (!acquire(th, l, (int) (arg >>> 32), t)) {
                        return;
                    }
                } else if (!release(th, l, t)) {
                    return;
                }
                t = th.t;
                continue;
            }
            th.pc += 2;
            if (kind == Steps.WORK) {
                t += arg;
            } else if (kind == Steps.READ) {
                t += lines.read(arg, th.cpu()) ? cost.xfer() : cost.hit();
            } else if (kind == Steps.WRITE) {
                t += lines.write(arg, th.cpu()) ? cost.xfer() : cost.hit();
            } else {
                t += cost.atomic() + (lines.write(arg, th.cpu()) ? cost.xfer() : 0);
            }
            th.t = t;
        }
    }

    /** Between operations: yield the CPU to the next thread of its run queue once the slice is used. */
    private boolean preempt(VThread th, long t) {
        int c = th.cpu();
        if (rqLen[c] == 0 || t - th.sliceStart < cost.quantum()) {
            return false;
        }
        th.preempted = true;
        current[c] = -1;
        enqueue(c, th.id());
        dispatchNext(c, t);
        return true;
    }

    private void finish(VThread th, long t) {
        th.state = VThread.DONE;
        th.finishedAt = t;
        th.gen++;
        if (th.locksHeld > 0) {
            StringBuilder held = new StringBuilder();
            for (VLock l : locks) {
                if (l.owner == th.id()) {
                    held.append(held.length() == 0 ? "" : ", ").append(l.name());
                }
            }
            error(th.name() + " finished holding " + held);
            return;
        }
        current[th.cpu()] = -1;
        dispatchNext(th.cpu(), t);
    }

    private void error(String what) {
        problem = what;
        outcome = Outcome.ERROR;
    }

    // ---- locks

    /** True when {@code th} holds {@code l} now (its clock moved past the acquisition). */
    private boolean acquire(VThread th, VLock l, int site, long t) {
        int c = th.cpu();
        if (l.owner == th.id() && !l.handedOff) {
            error(th.name() + " takes " + l.name() + " which it already holds (op " + (th.ops + 1) + ")");
            return false;
        }
        if (l.owner == VLock.NO_ONE) {
            long took = t + cost.atomic() + (l.lineCpu != VLock.NO_ONE && l.lineCpu != c ? cost.xfer() : 0);
            grant(th, l, site, took, false);
            return true;
        }
        // held: the first failed attempt makes this a contended acquisition
        l.contentions++;
        // lock_contended(): a bounce when the lock was last acquired (by its holder) on another CPU
        if (l.ownerCpu != c) {
            l.conBounces++;
        }
        VLock.countPoint(l.contentionSite, l.contentionCount, site);
        VLock.countPoint(l.contendingSite, l.contendingCount, l.ownerSite);
        th.waitingOn = l;
        th.waitSite = site;
        th.waitStart = t;
        th.sleepStart = -1;
        long after = t + cost.atomic() + (l.lineCpu != c ? cost.xfer() : 0);
        l.lineCpu = c;
        addWaiter(l, th);
        switch (l.policy()) {
            case FUTEX -> sleep(th, l, after);
            case SPIN_THEN_BLOCK -> {
                if (nrCpus == 1 || l.spinLimit() == 0) {
                    sleep(th, l, after);
                } else {
                    spin(th, after);
                    if (l.spinLimit() > 0) {
                        th.deadline = after + (long) l.spinLimit() * cost.pause();
                        if (!th.timeoutQueued) {
                            th.timeoutQueued = true;
                            push(th, th.deadline, TIMEOUT);
                        }
                    }
                }
            }
            case SPIN_TAS -> spin(th, after);
            default -> {
                th.state = VThread.QUEUED;
                th.t = after;
            }
        }
        return false;
    }

    private void spin(VThread th, long t) {
        th.state = VThread.SPINNING;
        th.spinStart = t;
        th.t = t;
    }

    /**
     * futex_wait: the waiter sets the word to 2 and enters the kernel; if the lock is released
     * before it gets there, the word is no longer 2 and futex_wait returns at once (EAGAIN), and
     * the waiter tries again — under short critical sections glibc's lock spins through syscalls.
     */
    private void sleep(VThread th, VLock l, long t) {
        th.state = VThread.SLEEPING;
        th.entering = true;
        th.woken = false;
        th.gen++;
        if (th.sleepStart < 0) {
            l.sleeps++;
            th.sleepStart = t;
        }
        l.waitersWord = true;
        th.releasesSeen = l.releases;
        push(th, t + cost.syscall(), ASLEEP);
    }

    private void asleep(VThread th, long t) {
        VLock l = th.waitingOn;
        th.entering = false;
        th.t = t;
        if (l.releases != th.releasesSeen) {
            // EAGAIN: exchange(2) again
            th.state = VThread.RUNNABLE;
            if (l.owner == VLock.NO_ONE) {
                long took = t + cost.atomic() + (l.lineCpu != th.cpu() ? cost.xfer() : 0);
                grant(th, l, th.waitSite, took, true);
                l.waitersWord = true;
                walk(th, t);
            } else {
                sleep(th, l, t + cost.atomic());
            }
            return;
        }
        current[th.cpu()] = -1;
        dispatchNext(th.cpu(), t);
    }

    private void grant(VThread th, VLock l, int site, long t, boolean contended) {
        int c = th.cpu();
        l.owner = th.id();
        l.ownerCpu = c;
        l.ownerSite = site;
        l.acquiredAt = t;
        l.handedOff = false;
        l.lineCpu = c;
        l.acquisitions++;
        if (l.lastCpu != VLock.NO_ONE && l.lastCpu != c) {
            l.acqBounces++;
        }
        if (l.lastOwner != th.id()) {
            l.ownerSwitches++;
        }
        if (contended) {
            long wait = t - th.waitStart;
            l.waitTotal += wait;
            l.waitMin = Math.min(l.waitMin, wait);
            l.waitMax = Math.max(l.waitMax, wait);
            th.lockWait += wait;
            if (th.sleepStart >= 0) {
                long slept = t - th.sleepStart;
                l.sleepWaitTotal += slept;
                l.sleepWaitMax = Math.max(l.sleepWaitMax, slept);
            } else if (l.policy() != LockPolicy.QUEUED) {
                l.spinAcquired++;
            }
            removeWaiter(l, th);
            th.waitingOn = null;
        }
        th.state = VThread.RUNNABLE;
        th.locksHeld++;
        th.t = t;
        if (listener != null) {
            listener.acquired(l, th, t);
        }
    }

    private boolean release(VThread th, VLock l, long t) {
        int c = th.cpu();
        if (l.owner != th.id() || l.handedOff) {
            error(th.name() + " releases " + l.name() + " which it does not hold (op " + (th.ops + 1) + ")");
            return false;
        }
        long hold = t - l.acquiredAt;
        l.holdTotal += hold;
        l.holdMin = Math.min(l.holdMin, hold);
        l.holdMax = Math.max(l.holdMax, hold);
        if (listener != null) {
            listener.released(l, th, t);
        }
        th.locksHeld--;
        l.releases++;
        l.owner = VLock.NO_ONE;
        l.lastOwner = th.id();
        l.lastCpu = c;
        long done = t + cost.atomic() + (l.lineCpu != c ? cost.xfer() : 0);
        l.lineCpu = c;
        int n = waitLen[l.id];
        if (n > 0) {
            int[] w = waitList[l.id];
            if (l.policy() == LockPolicy.QUEUED) {
                VThread head = threads.get(w[0]);
                l.owner = head.id();
                l.handedOff = true;
                push(head, done + cost.handoff(), RETRY);
            } else {
                long period = l.policy() == LockPolicy.SPIN_TAS ? cost.tas() : cost.pause();
                VThread winner = null;
                long best = Long.MAX_VALUE;
                VThread sleeper = null;
                for (int i = 0; i < n; i++) {
                    VThread o = threads.get(w[i]);
                    if (o.state == VThread.SPINNING) {
                        long k = Math.max(1, (done - o.spinStart + period - 1) / period);
                        long poll = o.spinStart + k * period;
                        if (poll < best || (poll == best && o.cpu() < winner.cpu())) {
                            best = poll;
                            winner = o;
                        }
                    } else if (o.state == VThread.SLEEPING && !o.entering && !o.woken && sleeper == null) {
                        sleeper = o;
                    }
                }
                if (winner != null) {
                    // a spinner whose poll comes after its spin limit sleeps first: its timeout decides
                    if (l.policy() != LockPolicy.SPIN_THEN_BLOCK
                            || l.spinLimit() < 0
                            || best <= winner.spinStart + (long) l.spinLimit() * cost.pause()) {
                        push(winner, best, RETRY);
                    }
                }
                if (sleeper != null) {
                    sleeper.woken = true;
                    wake(sleeper, done + cost.syscall() + cost.wakeup());
                }
            }
        }
        if (l.waitersWord) {
            // unlock exchanged 2 for 0: futex_wake, whether or not anyone still sleeps
            l.waitersWord = false;
            done += cost.syscall();
        }
        th.t = done;
        return true;
    }

    private void retry(VThread th, long t) {
        VLock l = th.waitingOn;
        if (l == null) {
            return;
        }
        th.t = t;
        if (l.policy() == LockPolicy.QUEUED) {
            grant(th, l, th.waitSite, t, true);
            walk(th, t);
            return;
        }
        if (l.owner == VLock.NO_ONE) {
            if (th.state == VThread.SPINNING) {
                long period = l.policy() == LockPolicy.SPIN_TAS ? cost.tas() : cost.pause();
                l.failedPolls += (t - th.spinStart) / period;
            }
            long took = t + cost.atomic() + (l.lineCpu != th.cpu() ? cost.xfer() : 0);
            // a woken sleeper takes the lock with exchange(2): its unlock will wake, needed or not
            boolean slept = th.state == VThread.SLEEPING;
            grant(th, l, th.waitSite, took, true);
            l.waitersWord |= slept;
            walk(th, t);
            return;
        }
        if (th.state == VThread.SLEEPING) {
            // woken but beaten to it (barging): sleep again, not one more contention
            th.woken = false;
            th.state = VThread.RUNNABLE;
            sleep(th, l, t + cost.atomic());
        }
        // a spinner beaten to it keeps spinning; the next release picks a poller again
    }

    private void timeout(VThread th, long t) {
        VLock l = th.waitingOn;
        if (l == null || th.state != VThread.SPINNING || l.policy() != LockPolicy.SPIN_THEN_BLOCK) {
            return;
        }
        if (t < th.deadline) {
            // queued for an earlier spin of this thread: wait for this spin's own deadline
            th.timeoutQueued = true;
            push(th, th.deadline, TIMEOUT);
            return;
        }
        long period = cost.pause();
        l.failedPolls += (t - th.spinStart) / period;
        th.spinStart = t;
        if (l.owner == VLock.NO_ONE) {
            long took = t + cost.atomic() + (l.lineCpu != th.cpu() ? cost.xfer() : 0);
            grant(th, l, th.waitSite, took, true);
            walk(th, t);
            return;
        }
        sleep(th, l, t + cost.atomic());
    }

    private void wake(VThread th, long t) {
        th.state = VThread.SLEEPING;
        makeRunnable(th, t, RETRY);
    }

    private void addWaiter(VLock l, VThread th) {
        int[] w = waitList[l.id];
        int n = waitLen[l.id];
        if (n == w.length) {
            w = waitList[l.id] = Arrays.copyOf(w, n * 2);
        }
        w[n] = th.id();
        waitLen[l.id] = n + 1;
        l.waiters = n + 1;
        l.maxWaiters = Math.max(l.maxWaiters, n + 1);
    }

    private void removeWaiter(VLock l, VThread th) {
        int[] w = waitList[l.id];
        int n = waitLen[l.id];
        for (int i = 0; i < n; i++) {
            if (w[i] == th.id()) {
                System.arraycopy(w, i + 1, w, i, n - i - 1);
                waitLen[l.id] = n - 1;
                l.waiters = n - 1;
                return;
            }
        }
    }

    // ---- CPUs

    private void makeRunnable(VThread th, long t, int kind) {
        int c = th.cpu();
        if (current[c] == -1) {
            current[c] = th.id();
            long at = t + (lastRan[c] != -1 && lastRan[c] != th.id() && kind == RUN ? cost.contextSwitch() : 0);
            start(th, c, at, kind);
        } else {
            th.preempted = kind == RUN;
            enqueue(c, th.id());
        }
    }

    private void start(VThread th, int c, long at, int kind) {
        lastRan[c] = th.id();
        th.sliceStart = at;
        th.t = Math.max(th.t, at);
        push(th, at, kind);
    }

    private void dispatchNext(int c, long t) {
        if (rqLen[c] == 0) {
            return;
        }
        VThread next = threads.get(runQueue[c][rqHead[c]]);
        rqHead[c] = (rqHead[c] + 1) % runQueue[c].length;
        rqLen[c]--;
        current[c] = next.id();
        int kind = next.preempted || next.waitingOn == null ? RUN : RETRY;
        next.preempted = false;
        start(next, c, t + cost.contextSwitch(), kind);
    }

    private void enqueue(int c, int id) {
        int[] q = runQueue[c];
        if (rqLen[c] == q.length) {
            int[] g = new int[q.length * 2];
            for (int i = 0; i < rqLen[c]; i++) {
                g[i] = q[(rqHead[c] + i) % q.length];
            }
            runQueue[c] = q = g;
            rqHead[c] = 0;
        }
        q[(rqHead[c] + rqLen[c]) % q.length] = id;
        rqLen[c]++;
    }

    // ---- the event heap, ordered by (time, cpu, seq)

    private void push(VThread th, long t, int kind) {
        if (kind == RUN) {
            th.gen++;
        }
        if (evLen == evTime.length) {
            int n = evLen * 2;
            evTime = Arrays.copyOf(evTime, n);
            evCpu = Arrays.copyOf(evCpu, n);
            evSeq = Arrays.copyOf(evSeq, n);
            evThread = Arrays.copyOf(evThread, n);
            evKind = Arrays.copyOf(evKind, n);
            evGen = Arrays.copyOf(evGen, n);
        }
        int i = evLen++;
        long s = seq++;
        int cpu = th.cpu();
        while (i > 0) {
            int p = (i - 1) >>> 1;
            if (!before(t, cpu, s, p)) {
                break;
            }
            move(p, i);
            i = p;
        }
        set(i, t, cpu, s, th.id(), kind, th.gen);
    }

    private void pop() {
        int last = --evLen;
        if (last == 0) {
            return;
        }
        long t = evTime[last];
        int cpu = evCpu[last];
        long s = evSeq[last];
        int thread = evThread[last];
        int kind = evKind[last];
        int gen = evGen[last];
        int i = 0;
        while (true) {
            int child = 2 * i + 1;
            if (child >= last) {
                break;
            }
            if (child + 1 < last && earlier(child + 1, child)) {
                child++;
            }
            if (!before(evTime[child], evCpu[child], evSeq[child], t, cpu, s)) {
                break;
            }
            move(child, i);
            i = child;
        }
        set(i, t, cpu, s, thread, kind, gen);
    }

    private boolean before(long t, int cpu, long s, int j) {
        return before(t, cpu, s, evTime[j], evCpu[j], evSeq[j]);
    }

    private boolean earlier(int a, int b) {
        return before(evTime[a], evCpu[a], evSeq[a], evTime[b], evCpu[b], evSeq[b]);
    }

    private static boolean before(long t1, int c1, long s1, long t2, int c2, long s2) {
        if (t1 != t2) {
            return t1 < t2;
        }
        if (c1 != c2) {
            return c1 < c2;
        }
        return s1 < s2;
    }

    private void move(int from, int to) {
        set(to, evTime[from], evCpu[from], evSeq[from], evThread[from], evKind[from], evGen[from]);
    }

    private void set(int i, long t, int cpu, long s, int thread, int kind, int gen) {
        evTime[i] = t;
        evCpu[i] = cpu;
        evSeq[i] = s;
        evThread[i] = thread;
        evKind[i] = kind;
        evGen[i] = gen;
    }
}
