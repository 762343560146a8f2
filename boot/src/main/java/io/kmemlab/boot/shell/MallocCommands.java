package io.kmemlab.boot.shell;

import io.kmemlab.boot.BootParams;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.mm.user.HeapChunks;
import io.kmemlab.mm.user.HeapView;
import io.kmemlab.mm.user.Syscall;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserHeapMetric;
import io.kmemlab.proc.Process;
import io.kmemlab.proc.ProcessTable;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A user-space allocator driven by hand in the current process: {@code allocator NAME} picks it
 * (the first allocation picks the default), {@code $p = malloc 100}, {@code free $p},
 * {@code realloc}, {@code calloc}, {@code memalign}, {@code usable}, and {@code heap} to draw the
 * allocator's blocks and free list. With no process yet, the first command spawns one named
 * {@code malloc}. One allocator per process, kept for the life of the shell.
 */
final class MallocCommands {
    private final UserAllocators allocators = UserAllocators.load();
    /** pid → the allocator running in that process. */
    private final Map<Integer, UserAllocator> byPid = new HashMap<>();

    private MallocCommands() {}

    /** Registers the commands; returns the instance, whose {@link #allocatorOf} the shell's step reads. */
    static MallocCommands register(Shell sh) {
        MallocCommands m = new MallocCommands();
        m.registerAll(sh);
        return m;
    }

    /** The allocator running in process {@code pid}, or null if none has been made there. */
    UserAllocator allocatorOf(int pid) {
        return byPid.get(pid);
    }

    private Process process(Invocation inv) {
        ProcessTable t = inv.kernel().processes();
        if (t.panicMessage() != null) {
            throw new CommandError("Kernel panic - not syncing: " + t.panicMessage());
        }
        Process p = t.current();
        if (p == null || !p.alive()) {
            p = t.spawn("malloc");
            if (p == null) {
                throw new CommandError("ENOMEM (Cannot allocate memory): no memory to spawn a process");
            }
        }
        p.runOn(inv.cpu());
        return p;
    }

    /** The current process's allocator, created as the default on first use. */
    private UserAllocator allocator(Invocation inv, Process p) {
        UserAllocator a = byPid.get(p.pid());
        if (a != null) {
            return a;
        }
        String name = allocators.preferred();
        if (name == null) {
            throw new CommandError("no user-space allocators on the class path");
        }
        return create(p, UserAllocators.Spec.parse(name));
    }

    private UserAllocator create(Process p, UserAllocators.Spec spec) {
        try {
            UserAllocator a = allocators.create(spec, p);
            byPid.put(p.pid(), a);
            return a;
        } catch (IllegalArgumentException e) {
            throw new CommandError(e.getMessage());
        }
    }

    private static long size(Invocation inv, int i) {
        long v = BootParams.memparse(inv.arg(i));
        if (v < 0) {
            throw new CommandError("invalid size '" + inv.arg(i) + "'");
        }
        return v;
    }

    /** What a call did: the allocator's complaints on stderr, the process's death, or {@code ok}. */
    private static Result after(Process p, int stderrBefore, Result ok) {
        List<String> err = p.stderr();
        String said = String.join("; ", err.subList(Math.min(stderrBefore, err.size()), err.size()));
        if (!p.alive()) {
            return Result.error(ProcessCommands.death(p) + (said.isEmpty() ? "" : ": " + said));
        }
        if (!said.isEmpty()) {
            return Result.error(said);
        }
        return ok;
    }

    private interface Call {
        Result apply(UserAllocator a);
    }

    private Result call(Invocation inv, Call body) {
        Process p = process(inv);
        UserAllocator a = allocator(inv, p);
        int before = p.stderr().size();
        Result r = body.apply(a);
        return after(p, before, r);
    }

    private static Result pointer(long ptr, String what) {
        return ptr == 0 ? Result.error(what + " returned NULL (ENOMEM)") : Result.address(ptr);
    }

    private void registerAll(Shell sh) {
        sh.register(ShellCommand.of(
                "allocator",
                "allocator [NAME[:KEY=VALUE,…]]",
                "choose the current process's user-space allocator (bump, first-fit, …); alone: list them",
                inv -> {
                    inv.expectArgs(0, 1);
                    if (!inv.has(0)) {
                        StringBuilder sb = new StringBuilder();
                        Process cur = inv.kernel().processes().current();
                        UserAllocator a = cur == null ? null : byPid.get(cur.pid());
                        for (String n : allocators.names()) {
                            boolean mine = a != null && a.name().equals(n);
                            sb.append(mine ? "* " : "  ")
                                    .append(String.format(
                                            Locale.ROOT,
                                            "%-12s %s%n",
                                            n,
                                            allocators.provider(n).description()));
                        }
                        return Result.text(sb.length() == 0 ? "(no user-space allocators)\n" : sb.toString());
                    }
                    Process p = process(inv);
                    UserAllocator old = byPid.get(p.pid());
                    if (old != null) {
                        return Result.error("process " + p.pid() + " already runs " + old.name()
                                + " (spawn another process for another allocator)");
                    }
                    create(p, UserAllocators.Spec.parse(inv.arg(0)));
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of(
                "malloc", "malloc SIZE", "allocate SIZE bytes with the current process's allocator", inv -> {
                    inv.expectArgs(1, 1);
                    long n = size(inv, 0);
                    return call(inv, a -> pointer(a.malloc(n), "malloc"));
                }));
        sh.register(ShellCommand.of("free", "free PTR", "free a block of the current process's allocator", inv -> {
            inv.expectArgs(1, 1);
            long ptr = inv.address(0);
            return call(inv, a -> {
                a.free(ptr);
                return Result.NONE;
            });
        }));
        sh.register(ShellCommand.of(
                "realloc", "realloc PTR SIZE", "resize a block (it may move); returns the new address", inv -> {
                    inv.expectArgs(2, 2);
                    long ptr = inv.address(0);
                    long n = size(inv, 1);
                    return call(inv, a -> {
                        long q = a.realloc(ptr, n);
                        return n == 0 && ptr != 0 ? Result.NONE : pointer(q, "realloc");
                    });
                }));
        sh.register(ShellCommand.of("calloc", "calloc N SIZE", "allocate N zeroed elements of SIZE bytes", inv -> {
            inv.expectArgs(2, 2);
            long n = size(inv, 0);
            long s = size(inv, 1);
            return call(inv, a -> pointer(a.calloc(n, s), "calloc"));
        }));
        sh.register(ShellCommand.of(
                "memalign", "memalign ALIGN SIZE", "allocate SIZE bytes aligned to ALIGN (a power of two)", inv -> {
                    inv.expectArgs(2, 2);
                    long al = size(inv, 0);
                    long s = size(inv, 1);
                    if (al == 0 || Long.bitCount(al) != 1) {
                        return Result.error("EINVAL: alignment " + al + " is not a power of two");
                    }
                    return call(inv, a -> pointer(a.memalign(al, s), "memalign"));
                }));
        sh.register(ShellCommand.of("usable", "usable PTR", "malloc_usable_size of a block", inv -> {
            inv.expectArgs(1, 1);
            long ptr = inv.address(0);
            return call(inv, a -> Result.number(a.usableSize(ptr)));
        }));
        sh.register(ShellCommand.of(
                "heap",
                "heap",
                "the current process's heap: its figures, then the allocator's blocks and free list (or its chunks)",
                inv -> {
                    inv.expectArgs(0, 0);
                    Process p = process(inv);
                    UserAllocator a = allocator(inv, p);
                    return Result.text(heap(p, a));
                }));
    }

    /** The chunks {@code heap} lists before it counts the rest. */
    static final int CHUNKS_SHOWN = 40;

    /**
     * An allocator without a HeapView (glibc, jemalloc): its chunks as {@link HeapChunks} walks
     * them, read-only — address, size, what it is and on which list — the first {@code shown}, then
     * the rest counted by kind.
     */
    static void chunks(StringBuilder sb, HeapChunks chunks, int shown) {
        long[] n = new long[HeapChunks.Kind.values().length];
        long[] bytes = new long[n.length];
        StringBuilder lines = new StringBuilder();
        long[] total = {0};
        chunks.forEachChunk((addr, size, kind, list) -> {
            if (total[0]++ < shown) {
                lines.append(String.format(
                                        Locale.ROOT,
                                        "  0x%x %10d  %-9s %s",
                                        addr,
                                        size,
                                        kind.label(),
                                        list == null ? "" : list)
                                .stripTrailing())
                        .append('\n');
            }
            n[kind.ordinal()]++;
            bytes[kind.ordinal()] += size;
        });
        sb.append("chunks in address order (")
                .append(total[0] <= shown ? "all " + total[0] : "the first " + shown + " of " + total[0])
                .append("):\n")
                .append(String.format(Locale.ROOT, "  %-14s %10s  %-9s %s%n", "address", "size", "kind", "list"))
                .append(lines);
        if (total[0] > shown) {
            sb.append("  ... ").append(total[0] - shown).append(" more\n");
        }
        StringBuilder sum = new StringBuilder();
        for (HeapChunks.Kind k : HeapChunks.Kind.values()) {
            if (n[k.ordinal()] > 0) {
                sum.append(sum.length() == 0 ? "" : ", ")
                        .append(n[k.ordinal()])
                        .append(' ')
                        .append(k.label())
                        .append(" (")
                        .append(bytes[k.ordinal()])
                        .append(" bytes)");
            }
        }
        sb.append("chunks: ").append(sum.length() == 0 ? "none" : sum).append('\n');
    }

    static String heap(Process p, UserAllocator a) {
        UserHeapMetric m = a.metric();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(
                Locale.ROOT,
                "%s in process %d (%s): heap %d bytes (peak %d), brk %s (start +0x%x)%n",
                a.name(),
                p.pid(),
                p.comm(),
                m.heapBytes(),
                m.peakHeapBytes(),
                "0x" + Long.toHexString(p.brkAddress()),
                p.brkAddress() - p.startBrk()));
        sb.append(String.format(
                Locale.ROOT,
                "live %d blocks, %d bytes requested, %d usable; free %d bytes, largest free block %d"
                        + " (external fragmentation %.1f%%)%n",
                m.liveBlocks(),
                m.liveRequestedBytes(),
                m.liveUsableBytes(),
                m.freeBytes(),
                m.largestFreeBlock(),
                100 * m.externalFragmentation()));
        sb.append(String.format(
                Locale.ROOT,
                "calls: %d malloc, %d free, %d realloc, %d NULL, %d bad frees; brk %d, mmap %d, munmap %d;"
                        + " %d page faults, RSS %d kB%n",
                m.mallocs(),
                m.frees(),
                m.reallocs(),
                m.failures(),
                m.badFrees(),
                p.syscalls(Syscall.BRK),
                p.syscalls(Syscall.MMAP),
                p.syscalls(Syscall.MUNMAP),
                p.minflt(),
                p.rssPages() * 4));
        Optional<HeapView> view = a.heapView();
        if (view.isPresent()) {
            sb.append(view.get().render());
        } else {
            a.heapChunks().ifPresent(c -> chunks(sb, c, CHUNKS_SHOWN));
        }
        for (String problem : a.validate()) {
            sb.append("validate: ").append(problem).append('\n');
        }
        return sb.toString();
    }
}
