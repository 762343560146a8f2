package io.kmemlab.boot.shell;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.Tracer;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/** help, exit, cat, ls, echo, dmesg, cpu, sleep, trace, validate. */
final class MiscCommands {
    private static final Map<String, String> STRERROR = Map.of(
            "EINVAL", "Invalid argument",
            "ENOENT", "No such file or directory",
            "EACCES", "Permission denied",
            "EIO", "Input/output error",
            "EPERM", "Operation not permitted",
            "EBUSY", "Device or resource busy",
            "ENOMEM", "Cannot allocate memory",
            "ENOSPC", "No space left on device");

    /** One jiffy of the machine's clock (CONFIG_HZ). */
    static final long JIFFY_NANOS = VirtualClock.NANOS_PER_JIFFY;

    private MiscCommands() {}

    static String strerror(String errno) {
        return STRERROR.getOrDefault(errno, errno);
    }

    static void register(Shell sh) {
        sh.register(ShellCommand.of(
                "help", "help [COMMAND]", "list commands, or show one command's usage", inv -> help(inv, sh)));
        sh.register(ShellCommand.of(
                "exit", "exit", "leave the shell (also 'quit' or Ctrl-D); in a script, stop it here", inv -> {
                    inv.expectArgs(0, 0);
                    inv.shell().requestExit();
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of("cat", "cat PATH…", "print emulated files (/proc, /sys)", MiscCommands::cat));
        sh.register(ShellCommand.of("ls", "ls [PATH]", "list an emulated directory", MiscCommands::ls));
        sh.register(ShellCommand.of(
                "echo",
                "echo TEXT… [> PATH | >> PATH]",
                "print text, or write it to an emulated file",
                MiscCommands::echo));
        sh.register(ShellCommand.of("dmesg", "dmesg", "print the kernel log", inv -> {
            inv.expectArgs(0, 0);
            return Result.text(inv.machine().dmesg().text());
        }));
        sh.register(ShellCommand.of("cpu", "cpu [N]", "show or switch the emulated CPU commands run on", inv -> {
            inv.expectArgs(0, 1);
            if (!inv.has(0)) {
                return Result.number(inv.cpu());
            }
            inv.shell().setCpu((int) inv.count(0, "cpu", Integer.MAX_VALUE));
            return Result.NONE;
        }));
        sh.register(ShellCommand.of(
                "sleep", "sleep SECONDS", "advance the virtual clock (periodic work runs)", MiscCommands::sleep));
        sh.register(ShellCommand.of(
                "tick",
                "tick [JIFFIES]",
                "advance the virtual clock by jiffies (HZ=250, 4 ms each; default 1) and run periodic work",
                inv -> {
                    inv.expectArgs(0, 1);
                    long n = inv.has(0) ? inv.count(0, "number of jiffies", 250L * 3600 * 24) : 1;
                    advance(inv, n * JIFFY_NANOS);
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of(
                "trace",
                "trace [on|off EVENTS | clear]",
                "print the trace buffer, enable/disable kmem events (trace_event= syntax), or clear it",
                MiscCommands::trace));
        sh.register(ShellCommand.of(
                "validate",
                "validate [CACHE]",
                "check a slab cache (prints reports, then 'CACHE: N errors'), or every allocator",
                MiscCommands::validate));
    }

    private static Result help(Invocation inv, Shell sh) {
        inv.expectArgs(0, 1);
        if (inv.has(0)) {
            ShellCommand c = sh.command(inv.arg(0));
            if (c == null) {
                return Result.error("no command '" + inv.arg(0) + "'");
            }
            return Result.text("usage: " + c.usage() + "\n  " + c.summary() + "\n");
        }
        StringBuilder sb = new StringBuilder();
        sb.append(commandList(sh));
        sb.append("Ctrl-C stops a running command and returns to the prompt.\n");
        return Result.text(sb.toString());
    }

    /** The command table of {@code help} (and of {@code kmemlab run --help}). */
    static String commandList(Shell sh) {
        StringBuilder sb = new StringBuilder();
        sb.append("Commands (';' or newline separates them, '#' starts a comment,\n"
                + "'$name = COMMAND …' binds the returned address; use $name or $name+OFFSET as an address):\n");
        for (String name : sh.commandNames()) {
            ShellCommand c = sh.command(name);
            sb.append(String.format("  %-44s %s%n", c.usage(), c.summary()));
        }
        return sb.toString().replace("\r", "");
    }

    private static Result cat(Invocation inv) {
        inv.expectArgs(1, Integer.MAX_VALUE);
        VirtualFs vfs = inv.machine().vfs();
        StringBuilder sb = new StringBuilder();
        for (String path : inv.args()) {
            String text = vfs.read(path);
            if (text == null) {
                return Result.error(
                        path + (vfs.isDirectory(path) ? ": Is a directory" : ": No such file or directory"));
            }
            sb.append(text);
        }
        return Result.text(sb.toString());
    }

    private static Result ls(Invocation inv) {
        inv.expectArgs(0, 1);
        VirtualFs vfs = inv.machine().vfs();
        String path = inv.has(0) ? inv.arg(0) : "/";
        if (vfs.exists(path)) {
            return Result.text(path + "\n");
        }
        if (!vfs.isDirectory(path)) {
            return Result.error("cannot access '" + path + "': No such file or directory");
        }
        List<String> entries = vfs.list(path);
        StringBuilder sb = new StringBuilder();
        for (String e : entries) {
            sb.append(e).append('\n');
        }
        return Result.text(sb.toString());
    }

    private static Result echo(Invocation inv) {
        List<String> args = inv.args();
        int redirect = -1;
        String path = null;
        boolean append = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals(">") || a.equals(">>")) {
                if (i + 1 != args.size() - 1) {
                    return Result.error("usage: echo TEXT… > PATH");
                }
                redirect = i;
                path = args.get(i + 1);
                append = a.equals(">>");
                break;
            }
            if (a.startsWith(">") && i == args.size() - 1) {
                redirect = i;
                append = a.startsWith(">>");
                path = a.substring(append ? 2 : 1);
                break;
            }
        }
        List<String> words = redirect < 0 ? args : args.subList(0, redirect);
        String text = String.join(" ", words) + "\n";
        if (path == null) {
            return Result.text(text);
        }
        String errno = append
                ? inv.machine().vfs().append(path, text)
                : inv.machine().vfs().write(path, text);
        if (errno == null) {
            return Result.NONE;
        }
        if (errno.equals("ENOENT")) {
            return Result.error(path + ": No such file or directory");
        }
        return Result.error("write error: " + strerror(errno));
    }

    private static Result sleep(Invocation inv) {
        inv.expectArgs(1, 1);
        BigDecimal secs;
        try {
            secs = new BigDecimal(inv.arg(0));
        } catch (NumberFormatException e) {
            return Result.error("invalid time interval '" + inv.arg(0) + "'");
        }
        if (secs.signum() < 0 || secs.compareTo(BigDecimal.valueOf(1_000_000)) > 0) {
            return Result.error("invalid time interval '" + inv.arg(0) + "'");
        }
        advance(inv, secs.movePointRight(9).longValue());
        return Result.NONE;
    }

    private static void advance(Invocation inv, long nanos) {
        Machine m = inv.machine();
        m.clock().advance(nanos);
        if (inv.kernel().slab() != null) {
            inv.kernel().slab().timerTick(m.clock().nanos());
        }
        if (inv.kernel().pageAllocator() != null) {
            inv.kernel().pageAllocator().timerTick(m.clock().nanos());
        }
    }

    private static Result trace(Invocation inv) {
        Tracer tracer = inv.machine().tracer();
        if (!inv.has(0)) {
            return Result.text(tracer.traceFile());
        }
        switch (inv.arg(0)) {
            case "clear" -> {
                inv.expectArgs(1, 1);
                tracer.clearRing();
                return Result.NONE;
            }
            case "on", "off" -> {
                inv.expectArgs(1, 2);
                String spec = inv.has(1) ? inv.arg(1) : "kmem:*";
                if (inv.arg(0).equals("off")) {
                    spec = "!" + spec.replace(",", ",!");
                }
                String bad = tracer.enable(spec);
                return bad == null ? Result.NONE : Result.error("no kmem event matches '" + bad + "'");
            }
            default -> {
                return Result.error("usage: " + inv.shell().command("trace").usage());
            }
        }
    }

    private static Result validate(Invocation inv) {
        inv.expectArgs(0, 1);
        SlabLayer slab = inv.kernel().slab();
        if (inv.has(0)) {
            if (slab == null) {
                return Result.error(inv.kernel().slabUnavailable());
            }
            KmemCache c = slab.find(inv.arg(0));
            if (c == null) {
                return Result.error("no slab cache '" + inv.arg(0) + "'");
            }
            int errors = c.impl().validate();
            if (errors < 0) {
                // As `echo 1 > /sys/kernel/slab/NAME/validate` on a cache without slub_debug.
                return Result.error(inv.arg(0) + ": " + strerror("EINVAL")
                        + " (validation needs debugging on the cache, e.g. boot with slub_debug=F," + inv.arg(0) + ")");
            }
            return Result.text(inv.arg(0) + ": " + errors + " errors\n");
        }
        StringBuilder sb = new StringBuilder();
        List<String> page = inv.kernel().pageAllocator().validate();
        for (String p : page) {
            sb.append("page allocator: ").append(p).append('\n');
        }
        int errors = page.size();
        for (String p : inv.kernel().memblock().validate()) {
            sb.append("memblock: ").append(p).append('\n');
            errors++;
        }
        if (slab != null) {
            errors += slab.validate();
        }
        sb.append(errors).append(" errors\n");
        return Result.text(sb.toString());
    }

    /** Every kmem event name, for completion. */
    static List<String> eventNames() {
        return java.util.Arrays.stream(EventType.values())
                .map(EventType::eventName)
                .toList();
    }
}
