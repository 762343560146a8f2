package io.kmemlab.boot.shell;

import io.kmemlab.boot.BootParams;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.proc.Process;
import io.kmemlab.proc.ProcessTable;
import io.kmemlab.proc.Pte;
import java.util.Locale;

/**
 * User processes from the shell: spawn one, make system calls in it (mmap, munmap, mremap,
 * mprotect, madvise, brk, sbrk, exit_group) and touch its memory, which faults pages in. Commands
 * run in the current process ({@code process PID} switches, {@code spawn} makes the new one
 * current), on the shell's CPU. {@code poke} and {@code peek} of an address below TASK_SIZE go
 * through the current process's page tables: a poke is a user write, a peek a user read.
 */
final class ProcessCommands {
    /** Largest range peek shows in one command (as for kernel memory). */
    private static final int MAX_DUMP = 1 << 20;

    private ProcessCommands() {}

    private static ProcessTable table(Invocation inv) {
        ProcessTable t = inv.kernel().processes();
        if (t.panicMessage() != null) {
            throw new CommandError("Kernel panic - not syncing: " + t.panicMessage());
        }
        return t;
    }

    /** The current process, running on the shell's CPU. */
    private static Process current(Invocation inv) {
        Process p = table(inv).current();
        if (p == null) {
            throw new CommandError("no process: spawn one first (spawn NAME)");
        }
        p.runOn(inv.cpu());
        return p;
    }

    /** A length: bytes, with an optional K/M/G suffix. */
    private static long length(Invocation inv, int i) {
        long v = BootParams.memparse(inv.arg(i));
        if (v < 0) {
            throw new CommandError("invalid length '" + inv.arg(i) + "'");
        }
        return v;
    }

    private static int prot(Invocation inv, int i, int dflt) {
        if (!inv.has(i)) {
            return dflt;
        }
        int v = Mman.parseProt(inv.arg(i));
        if (v < 0) {
            throw new CommandError("invalid protection '" + inv.arg(i) + "' (rwx letters, none, or PROT_… names)");
        }
        return v;
    }

    /** The errno of a failed call, and what happened to the process if the call killed it. */
    private static Result outcome(Process p, long ret, Result ok) {
        if (!p.alive()) {
            return Result.error(death(p));
        }
        if (Errno.isError(ret)) {
            return Result.error(Errno.name(ret) + " (" + Errno.message(ret) + ")");
        }
        return ok;
    }

    static String death(Process p) {
        String why = switch (p.killSignal()) {
            case Process.SIGKILL -> "killed by SIGKILL (the OOM killer)";
            case Process.SIGSEGV -> "killed by SIGSEGV (segfault at " + Addr.hex(p.faultAddress()) + ")";
            case Process.SIGBUS -> "killed by SIGBUS (access at " + Addr.hex(p.faultAddress()) + ")";
            default -> "exited with status " + p.exitCode();
        };
        if (p.table().panicMessage() != null) {
            why = "Kernel panic - not syncing: " + p.table().panicMessage();
        }
        return "process " + p.pid() + " (" + p.comm() + ") " + why;
    }

    static void register(Shell sh) {
        sh.register(ShellCommand.of(
                "spawn",
                "spawn NAME",
                "create a process running NAME (execve of a small program) and make it current; returns its pid",
                inv -> {
                    inv.expectArgs(1, 1);
                    Process p = table(inv).spawn(inv.arg(0));
                    if (p == null) {
                        return Result.error("ENOMEM (Cannot allocate memory)");
                    }
                    p.runOn(inv.cpu());
                    return Result.number(p.pid());
                }));
        sh.register(ShellCommand.of(
                "process", "process [PID]", "show the current process's pid, or switch to PID", inv -> {
                    inv.expectArgs(0, 1);
                    ProcessTable t = table(inv);
                    if (!inv.has(0)) {
                        Process c = t.current();
                        return c == null ? Result.error("no current process") : Result.number(c.pid());
                    }
                    Process p = t.process((int) inv.count(0, "pid", Integer.MAX_VALUE));
                    if (p == null) {
                        return Result.error("no process " + inv.arg(0));
                    }
                    p.runOn(inv.cpu());
                    t.switchTo(p);
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of("ps", "ps", "list the processes: pid, VmSize, VmRSS, minor faults, name", inv -> {
            inv.expectArgs(0, 0);
            StringBuilder sb = new StringBuilder("    PID      VSZ      RSS   MINFLT COMMAND\n");
            for (Process p : table(inv).processes()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "%7d %8d %8d %8d %s%n",
                        p.pid(),
                        p.totalVm() << 2,
                        p.rssPages() << 2,
                        p.minflt(),
                        p.comm()));
            }
            return Result.text(sb.toString().replace("\r", ""));
        }));
        sh.register(ShellCommand.of(
                "mmap",
                "mmap LEN [PROT] [FLAGS] [ADDR]",
                "map anonymous memory (default rw, private|anonymous; flags: shared, fixed, noreserve, populate,"
                        + " nonblock, locked, …); returns the address",
                inv -> {
                    inv.expectArgs(1, 4);
                    Process p = current(inv);
                    long len = length(inv, 0);
                    int prot = prot(inv, 1, Mman.PROT_READ | Mman.PROT_WRITE);
                    int flags = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;
                    if (inv.has(2)) {
                        flags = Mman.parseMapFlags(inv.arg(2));
                        if (flags < 0) {
                            return Result.error("invalid mmap flags '" + inv.arg(2) + "'");
                        }
                        if ((flags & Mman.MAP_TYPE) == 0) {
                            flags |= Mman.MAP_PRIVATE;
                        }
                        flags |= Mman.MAP_ANONYMOUS;
                    }
                    long addr = inv.has(3) ? inv.address(3) : 0;
                    long r = p.mmap(addr, len, prot, flags);
                    return outcome(p, r, Result.address(r));
                }));
        sh.register(ShellCommand.of("munmap", "munmap ADDR LEN", "unmap a range of the current process", inv -> {
            inv.expectArgs(2, 2);
            Process p = current(inv);
            return outcome(p, p.munmap(inv.address(0), length(inv, 1)), Result.NONE);
        }));
        sh.register(ShellCommand.of(
                "mremap",
                "mremap ADDR OLDLEN NEWLEN [FLAGS] [NEWADDR]",
                "resize or move a mapping (flags maymove, fixed); returns the address",
                inv -> {
                    inv.expectArgs(3, 5);
                    Process p = current(inv);
                    int flags = 0;
                    if (inv.has(3)) {
                        flags = Mman.parseRemapFlags(inv.arg(3));
                        if (flags < 0) {
                            return Result.error("invalid mremap flags '" + inv.arg(3) + "'");
                        }
                    }
                    long r = p.mremap(
                            inv.address(0), length(inv, 1), length(inv, 2), flags, inv.has(4) ? inv.address(4) : 0);
                    return outcome(p, r, Result.address(r));
                }));
        sh.register(ShellCommand.of(
                "mprotect",
                "mprotect ADDR LEN PROT",
                "change a range's protection (rwx letters" + " or none: a guard page)",
                inv -> {
                    inv.expectArgs(3, 3);
                    Process p = current(inv);
                    return outcome(p, p.mprotect(inv.address(0), length(inv, 1), prot(inv, 2, 0)), Result.NONE);
                }));
        sh.register(ShellCommand.of(
                "madvise",
                "madvise ADDR LEN ADVICE",
                "advise on a range: dontneed, free, populate_read, populate_write, …",
                inv -> {
                    inv.expectArgs(3, 3);
                    Process p = current(inv);
                    int advice = Mman.parseAdvice(inv.arg(2));
                    if (advice < 0) {
                        return Result.error("invalid advice '" + inv.arg(2) + "'");
                    }
                    return outcome(p, p.madvise(inv.address(0), length(inv, 1), advice), Result.NONE);
                }));
        sh.register(ShellCommand.of(
                "brk", "brk [ADDR]", "move the program break (no argument: show it); returns" + " the break", inv -> {
                    inv.expectArgs(0, 1);
                    Process p = current(inv);
                    long r = p.brk(inv.has(0) ? inv.address(0) : 0);
                    return outcome(p, r, Result.address(r));
                }));
        sh.register(ShellCommand.of(
                "sbrk",
                "sbrk INCREMENT",
                "grow (or shrink, negative) the heap as libc's sbrk;" + " returns the old break",
                inv -> {
                    inv.expectArgs(1, 1);
                    Process p = current(inv);
                    String a = inv.arg(0);
                    boolean neg = a.startsWith("-");
                    long magnitude = BootParams.memparse(neg ? a.substring(1) : a);
                    if (magnitude < 0) {
                        return Result.error("invalid increment '" + a + "'");
                    }
                    long incr = neg ? -magnitude : magnitude;
                    long old = p.brk(0);
                    long r = p.brk(old + incr);
                    if (p.alive() && r != old + incr) {
                        return Result.error("ENOMEM (Cannot allocate memory)");
                    }
                    return outcome(p, r, Result.address(old));
                }));
        sh.register(ShellCommand.of(
                "touch",
                "touch ADDR [LEN] [read|write]",
                "access every page of a range (default one page, write): faults them in",
                inv -> {
                    inv.expectArgs(1, 3);
                    Process p = current(inv);
                    long addr = inv.address(0);
                    long len = inv.has(1) ? length(inv, 1) : 1;
                    boolean write = true;
                    if (inv.has(2)) {
                        switch (inv.arg(2)) {
                            case "read", "r" -> write = false;
                            case "write", "w" -> write = true;
                            default -> {
                                return Result.error("invalid access '" + inv.arg(2) + "' (read or write)");
                            }
                        }
                    }
                    long flt = p.minflt();
                    long t0 = inv.machine().clock().nanos();
                    long pages = p.touchRange(addr, len, write);
                    if (!p.alive()) {
                        return Result.error(death(p));
                    }
                    return Result.text(String.format(
                                    Locale.ROOT,
                                    "%d pages touched, %d minor faults, %d ns; RSS %d kB (anon %d kB)%n",
                                    pages,
                                    p.minflt() - flt,
                                    inv.machine().clock().nanos() - t0,
                                    p.rssPages() << 2,
                                    p.rss(Pte.MM_ANONPAGES) << 2)
                            .replace("\r", ""));
                }));
        sh.register(ShellCommand.of(
                "exit_group", "exit_group [STATUS]", "end the current process: its memory" + " goes back", inv -> {
                    inv.expectArgs(0, 1);
                    Process p = current(inv);
                    p.exitGroup(inv.has(0) ? (int) inv.count(0, "status", 255) : 0);
                    return Result.NONE;
                }));
        wrapUserAccess(sh);
    }

    /**
     * poke and peek of a user address (below TASK_SIZE) in the current process; any other address
     * goes to the kernel-memory command as before.
     */
    private static void wrapUserAccess(Shell sh) {
        ShellCommand poke = sh.command("poke");
        ShellCommand peek = sh.command("peek");
        if (poke != null) {
            sh.register(delegate(poke, inv -> {
                long addr = inv.address(0);
                if (!userAddress(inv, addr)) {
                    return poke.run(inv);
                }
                inv.expectArgs(2, Integer.MAX_VALUE);
                Process p = current(inv);
                byte[] bytes = new byte[inv.argc() - 1];
                for (int i = 1; i < inv.argc(); i++) {
                    bytes[i - 1] = (byte) inv.count(i, "byte", 0xff);
                }
                return p.write(addr, bytes, 0, bytes.length) ? Result.NONE : Result.error(death(p));
            }));
        }
        if (peek != null) {
            sh.register(delegate(peek, inv -> {
                long addr = inv.address(0);
                if (!userAddress(inv, addr)) {
                    return peek.run(inv);
                }
                inv.expectArgs(2, 2);
                Process p = current(inv);
                int len = (int) inv.count(1, "length", MAX_DUMP);
                byte[] bytes = new byte[len];
                if (!p.read(addr, bytes, 0, len)) {
                    return Result.error(death(p));
                }
                return Result.text(HexDump.dump(a -> bytes[(int) (a - addr)] & 0xff, addr, len));
            }));
        }
    }

    private static boolean userAddress(Invocation inv, long addr) {
        return addr >= 0
                && addr < ProcessTable.TASK_SIZE
                && inv.kernel().processes().current() != null;
    }

    private static ShellCommand delegate(ShellCommand base, java.util.function.Function<Invocation, Result> body) {
        return new ShellCommand() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public String usage() {
                return base.usage();
            }

            @Override
            public String summary() {
                return base.summary() + " (a user address: in the current process)";
            }

            @Override
            public Result run(Invocation inv) {
                if (!inv.has(0)) {
                    return base.run(inv);
                }
                return body.apply(inv);
            }
        };
    }
}
