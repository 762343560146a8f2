package io.kmemlab.boot.malloc;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorStats;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.mm.user.trace.MallocReplayer;
import io.kmemlab.mm.user.trace.MallocTrace;
import io.kmemlab.mm.user.trace.OpsFormat;
import io.kmemlab.proc.Process;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * One trace through one allocator in a process of its own on a booted kernel: brk and mmap are the
 * process model's, so faults, RSS and page tables are real emulated ones. The process exits at the
 * end (its pages go back to the page allocator), so several runs on one kernel do not see each
 * other.
 */
public final class MallocRun {
    /**
     * The figures, the {@code --ops} lines if asked for (else empty), and the library's own
     * statistics if asked for and the allocator keeps them (else null): {@link
     * UserAllocatorStats#statsText()} (what replay.c prints after its op lines) and {@link
     * UserAllocatorStats#mallocStats()}, taken at the end of the trace, before the process exits.
     */
    public record Result(MallocFigures figures, List<String> ops, String statsText, String mallocStats) {
        public Result(MallocFigures figures, List<String> ops) {
            this(figures, ops, null, null);
        }
    }

    /** The allocator could not be created as named ({@code --allocator}): a usage error. */
    public static final class SpecRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SpecRejected(String message) {
            super(message);
        }
    }

    /** Syscall kinds an allocator makes (exit_group is the process's). */
    static final Syscall[] KINDS = {
        Syscall.BRK, Syscall.MMAP, Syscall.MUNMAP, Syscall.MREMAP, Syscall.MPROTECT, Syscall.MADVISE
    };

    /**
     * Looks at the allocator and its process while a trace runs ({@code kmemlab report malloc}):
     * after each applied operation, and at the end of the trace before the process exits. Reads
     * only.
     */
    public interface Probe {
        Probe NONE = new Probe() {};

        /** After operation {@code index} (from 0) was applied. */
        default void after(int index, UserAllocator allocator, Process process) {}

        /** The trace is done; the process has not exited yet. */
        default void end(UserAllocator allocator, Process process) {}
    }

    private MallocRun() {}

    /**
     * Runs {@code trace} through {@code spec}.
     *
     * @throws SpecRejected for an allocator the user named wrongly (the reason)
     * @throws IllegalStateException if the kernel has no memory for the process
     */
    public static Result run(
            Kernel kernel, MallocTrace trace, UserAllocators allocators, UserAllocators.Spec spec, boolean ops) {
        return run(kernel, trace, allocators, spec, MallocReplayer.Settings.REPLAY_C, ops);
    }

    /** As {@link #run(Kernel, MallocTrace, UserAllocators, UserAllocators.Spec, boolean)}, with {@code settings}. */
    public static Result run(
            Kernel kernel,
            MallocTrace trace,
            UserAllocators allocators,
            UserAllocators.Spec spec,
            MallocReplayer.Settings settings,
            boolean ops) {
        return run(kernel, trace, allocators, spec, settings, ops, false);
    }

    /** Told after every applied operation, with the allocator ({@code --step}). */
    @FunctionalInterface
    public interface StepSink {
        /**
         * @param index the operation's index in the trace
         * @param ptr the block an allocating operation returned (0 for NULL, and for free)
         * @param allocator the allocator, to read its state
         */
        void after(int index, long ptr, UserAllocator allocator);
    }

    /** As above; {@code libraryStats} also takes the allocator's own statistics ({@code --stats}). */
    public static Result run(
            Kernel kernel,
            MallocTrace trace,
            UserAllocators allocators,
            UserAllocators.Spec spec,
            MallocReplayer.Settings settings,
            boolean ops,
            boolean libraryStats) {
        return run(kernel, trace, allocators, spec, settings, ops, libraryStats, Probe.NONE, null);
    }

    /** As above, with {@code probe} looking on. */
    public static Result run(
            Kernel kernel,
            MallocTrace trace,
            UserAllocators allocators,
            UserAllocators.Spec spec,
            MallocReplayer.Settings settings,
            boolean ops,
            boolean libraryStats,
            Probe probe) {
        return run(kernel, trace, allocators, spec, settings, ops, libraryStats, probe, null);
    }

    /** As above, telling {@code step} after every applied operation. */
    public static Result run(
            Kernel kernel,
            MallocTrace trace,
            UserAllocators allocators,
            UserAllocators.Spec spec,
            MallocReplayer.Settings settings,
            boolean ops,
            boolean libraryStats,
            StepSink step) {
        return run(kernel, trace, allocators, spec, settings, ops, libraryStats, Probe.NONE, step);
    }

    /** As above, with {@code probe} looking on and {@code step} told after every operation (null: nobody). */
    public static Result run(
            Kernel kernel,
            MallocTrace trace,
            UserAllocators allocators,
            UserAllocators.Spec spec,
            MallocReplayer.Settings settings,
            boolean ops,
            boolean libraryStats,
            Probe probe,
            StepSink step) {
        String comm = comm(trace.name());
        Process p = kernel.processes().spawn(comm);
        if (p == null) {
            throw new IllegalStateException("no memory to spawn a process for " + trace.name());
        }
        p.runOn(0);
        try {
            return run(
                    kernel,
                    p,
                    trace,
                    () -> {
                        try {
                            return allocators.create(spec, p);
                        } catch (IllegalArgumentException e) {
                            throw new SpecRejected(e.getMessage());
                        }
                    },
                    spec.label(),
                    settings,
                    ops,
                    libraryStats,
                    probe,
                    step);
        } finally {
            p.exitGroup(0);
        }
    }

    /** Counts from before {@code create} runs: an allocator that maps its arena at creation pays for it. */
    static Result run(
            Kernel kernel,
            Process p,
            MallocTrace trace,
            Supplier<UserAllocator> create,
            String label,
            MallocReplayer.Settings settings,
            boolean wantOps) {
        return run(kernel, p, trace, create, label, settings, wantOps, false, Probe.NONE, null);
    }

    static Result run(
            Kernel kernel,
            Process p,
            MallocTrace trace,
            Supplier<UserAllocator> create,
            String label,
            MallocReplayer.Settings settings,
            boolean wantOps,
            boolean libraryStats,
            Probe probe,
            StepSink step) {
        long[] calls0 = calls(p);
        long flt0 = p.minflt();
        long t0 = kernel.machine().clock().nanos();
        UserAllocator a = create.get();
        UserHeapMetric m = a.metric();
        HeapSeries series = new HeapSeries();
        List<String> ops = new ArrayList<>();
        StringBuilder sb = new StringBuilder(48);
        long start = p.startBrk();
        MallocReplayer.Outcome o = MallocReplayer.replay(trace, a, p, settings, (i, ptr, usable, heapEnd) -> {
            if (wantOps && trace.op(i).allocates()) {
                sb.setLength(0);
                ops.add(OpsFormat.append(sb, trace.op(i).answerLetter(), trace.id(i), ptr, usable, start, heapEnd)
                        .toString());
            }
            series.sample(i + 1, m.heapBytes(), p.rssPages());
            probe.after(i, a, p);
            if (step != null) {
                step.after(i, ptr, a);
            }
        });
        series.last(o.applied(), m.heapBytes(), p.rssPages());
        if (p.alive()) {
            probe.end(a, p);
        }
        // The library's statistics, as replay.c prints them once the trace is done (printing may
        // allocate, as jemalloc's does, so after the figures' last sample and before the exit).
        String statsText = null;
        String mallocStats = null;
        if (libraryStats && p.alive() && a instanceof UserAllocatorStats s) {
            statsText = s.statsText();
            mallocStats = s.mallocStats();
        }
        long[] calls = calls(p);
        for (int i = 0; i < calls.length; i++) {
            calls[i] -= calls0[i];
        }
        String death = p.alive() ? "" : death(p);
        MallocFigures f = new MallocFigures(
                label,
                p.pid(),
                o.applied(),
                o.nullReturns(),
                o.diedAt(),
                death,
                m.peakHeapBytes(),
                m.heapBytes(),
                p.rssPages() * 4,
                p.hiwaterRss() * 4,
                m.peakLiveRequestedBytes(),
                m.liveRequestedBytes(),
                m.liveUsableBytes(),
                m.liveBlocks(),
                m.externalFragmentation(),
                m.freeBytes(),
                calls,
                p.pgtablesBytes() >> 10,
                p.minflt() - flt0,
                kernel.machine().clock().nanos() - t0,
                m.badFrees(),
                o.dataErrors(),
                o.firstDataErrorLine(),
                p.brkAddress() - p.startBrk(),
                o.invalid(),
                series);
        return new Result(f, ops, statsText, mallocStats);
    }

    /** The process name: the trace's file name without its extensions, at most 15 characters. */
    static String comm(String traceName) {
        String s = traceName.replaceAll("\\..*$", "").replaceAll("[^A-Za-z0-9_-]", "_");
        if (s.isEmpty()) {
            s = "replay";
        }
        return s.length() > 15 ? s.substring(0, 15) : s;
    }

    private static long[] calls(Process p) {
        long[] c = new long[KINDS.length];
        for (int i = 0; i < KINDS.length; i++) {
            c[i] = p.syscalls(KINDS[i]);
        }
        return c;
    }

    /** How the process died, and the last thing it wrote to stderr (an allocator's abort message). */
    static String death(Process p) {
        String why = switch (p.killSignal()) {
            case Process.SIGKILL -> "killed by SIGKILL (the OOM killer)";
            case Process.SIGSEGV -> "killed by SIGSEGV";
            case Process.SIGBUS -> "killed by SIGBUS";
            case Process.SIGABRT -> "killed by SIGABRT";
            default -> "exited with status " + p.exitCode();
        };
        List<String> err = p.stderr();
        return err.isEmpty() ? why : why + ": " + err.get(err.size() - 1);
    }
}
