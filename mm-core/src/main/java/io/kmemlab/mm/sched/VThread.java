package io.kmemlab.mm.sched;

import java.util.SplittableRandom;

/** A thread of the emulated machine, pinned to a virtual CPU, run by the {@link Scheduler}. */
public final class VThread {
    static final int RUNNABLE = 0;
    static final int SPINNING = 1;
    static final int SLEEPING = 2;
    static final int QUEUED = 3;
    static final int DONE = 4;

    private final int id;
    private final String name;
    private final int cpu;
    private final SplittableRandom random;
    final ThreadBody body;

    long[] buf = new long[64];
    int len;
    int pc;
    long t;
    int state = RUNNABLE;
    int gen;
    /** The lock it waits for, or null. */
    VLock waitingOn;

    int waitSite;
    long waitStart;
    long spinStart;
    /** When a spin-then-sleep waiter stops spinning; one timeout event at most is queued for it. */
    long deadline;

    boolean timeoutQueued;
    long sleepStart = -1;
    boolean woken;
    /** In futex_wait's entry: not yet queued in the kernel, so a wake cannot reach it. */
    boolean entering;

    long releasesSeen;
    boolean preempted;
    long sliceStart;
    int locksHeld;

    long ops;
    long lockWait;
    long finishedAt = -1;

    VThread(int id, String name, int cpu, SplittableRandom random, ThreadBody body) {
        this.id = id;
        this.name = name;
        this.cpu = cpu;
        this.random = random;
        this.body = body;
    }

    public int id() {
        return id;
    }

    public String name() {
        return name;
    }

    /** The virtual CPU this thread runs on. */
    public int cpu() {
        return cpu;
    }

    /** This thread's own random stream, split from the run's seed in spawn order. */
    public SplittableRandom random() {
        return random;
    }

    /** Operations it has completed. */
    public long ops() {
        return ops;
    }

    /** Virtual nanoseconds it spent waiting for locks. */
    public long lockWait() {
        return lockWait;
    }

    public boolean finished() {
        return state == DONE;
    }

    /** When it finished (virtual ns), or -1. */
    public long finishedAt() {
        return finishedAt;
    }

    /** Its virtual time now: where it has got to in its current operation. */
    public long time() {
        return t;
    }

    @Override
    public String toString() {
        return name + "@cpu" + cpu;
    }
}
