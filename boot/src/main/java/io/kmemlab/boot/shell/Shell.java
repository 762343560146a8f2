package io.kmemlab.boot.shell;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Dmesg;
import io.kmemlab.mm.Machine;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs kmemlab's script language on a booted {@link Kernel}; shared by {@code kmemlab run} and the
 * interactive {@code kmemlab shell}.
 *
 * <p>Each command runs on the current emulated CPU ({@code cpu N} switches), first advancing the
 * virtual clock by {@link #NANOS_PER_COMMAND} and letting the slab allocator do its periodic
 * work. After the command, the dmesg lines it produced at KERN_WARNING or more severe (reports)
 * are printed, then its result: {@code $name = 0x…} when bound, an address or a number alone on a
 * line, or text. A failing command prints {@code kmemlab: line N: NAME: message} on the error
 * stream.
 *
 * <p>Ctrl-C ({@link #interrupt}, from the terminal's SIGINT handler) stops the running command at
 * the next point it checks: between statements, and between the chunks a long result is printed
 * in (a 1 MiB {@code peek}, {@code cat} of a big file). The shell prints {@code ^C} and the run
 * stops there; what the command had done stays done and every variable stays bound.
 *
 * <p>To add a command: implement {@link ShellCommand} (or use {@link ShellCommand#of}) and call
 * {@link #register}; argument helpers on {@link Invocation} turn bad input into clean errors.
 */
public final class Shell {
    private static final Logger LOG = LoggerFactory.getLogger(Shell.class);
    /** Virtual time each command takes: 1 µs. */
    public static final long NANOS_PER_COMMAND = 1_000;
    /** Text results are printed in chunks of about this many chars, Ctrl-C checked between. */
    private static final int PRINT_CHUNK = 4096;

    private static final Pattern VAR_REF = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)(?:([+-])(\\S+))?");

    private final Kernel kernel;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, ShellCommand> commands = new TreeMap<>();
    private final Map<String, Long> vars = new LinkedHashMap<>();
    private int cpu;
    private volatile boolean interrupted;
    private boolean exitRequested;

    /**
     * Outcome of running statements.
     *
     * @param internalErrors commands that hit a bug in kmemlab (an exception), also counted in
     *     {@code failed}
     */
    public record RunResult(int executed, int failed, boolean stopped, int internalErrors) {
        public boolean ok() {
            return failed == 0;
        }
    }

    private int internalErrors;
    /** {@code step on|off}: the state after each allocation and free. */
    private final StepCommands steps;

    public Shell(Kernel kernel, PrintStream out, PrintStream err) {
        this.kernel = kernel;
        this.out = out;
        this.err = err;
        MiscCommands.register(this);
        PageCommands.register(this);
        SlabCommands.register(this);
        ProcessCommands.register(this);
        steps = StepCommands.register(this);
        steps.setUserAllocators(MallocCommands.register(this)::allocatorOf);
    }

    public Kernel kernel() {
        return kernel;
    }

    public Machine machine() {
        return kernel.machine();
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    /** Adds (or replaces) a command. */
    public void register(ShellCommand command) {
        commands.put(command.name(), command);
    }

    public ShellCommand command(String name) {
        return commands.get(name);
    }

    /** Command names, sorted. */
    public List<String> commandNames() {
        return new ArrayList<>(commands.keySet());
    }

    String usageOf(String name) {
        ShellCommand c = commands.get(name);
        return c == null ? name : c.usage();
    }

    /**
     * Ctrl-C: asks the running command to stop. Safe from any thread (the terminal's signal
     * handler runs on its own); a run that is not going on ignores it.
     */
    public void interrupt() {
        interrupted = true;
    }

    /** True once {@link #interrupt} was called during the current run. */
    public boolean interrupted() {
        return interrupted;
    }

    /** {@code exit} ran: the run stopped there and an interactive shell leaves. */
    public boolean exitRequested() {
        return exitRequested;
    }

    void requestExit() {
        exitRequested = true;
    }

    /**
     * The script language's command table, for {@code kmemlab run --help}: every command's usage
     * and summary, as {@code help} prints them. Needs no kernel (commands only run with one).
     */
    public static String commandsHelp() {
        return MiscCommands.commandList(new Shell(null, null, null));
    }

    public int cpu() {
        return cpu;
    }

    public void setCpu(int cpu) {
        if (!machine().cpus().valid(cpu)) {
            throw new CommandError(
                    "no CPU " + cpu + " (nr_cpus=" + machine().cpus().nrCpus() + ")");
        }
        this.cpu = cpu;
    }

    /** The bound variables, in binding order. */
    public Map<String, Long> variables() {
        return Collections.unmodifiableMap(vars);
    }

    public void setVariable(String name, long value) {
        vars.put(name, value);
    }

    /**
     * An address argument: {@code $name}, {@code $name+OFFSET}, {@code $name-OFFSET} (decimal or
     * 0x hex), or a number.
     */
    public long resolveAddress(String token) {
        if (token.startsWith("$")) {
            Matcher m = VAR_REF.matcher(token);
            if (!m.matches()) {
                throw new CommandError("invalid address '" + token + "'");
            }
            Long base = vars.get(m.group(1));
            if (base == null) {
                throw new CommandError("undefined variable $" + m.group(1));
            }
            if (m.group(2) == null) {
                return base;
            }
            Long off = Invocation.parseLongOrNull(m.group(3));
            if (off == null || off < 0) {
                throw new CommandError("invalid offset in '" + token + "'");
            }
            return m.group(2).equals("+") ? base + off : base - off;
        }
        Long v = Invocation.parseLongOrNull(token);
        if (v == null) {
            throw new CommandError("invalid address '" + token + "'");
        }
        return v;
    }

    /**
     * Parses and runs a script; stops at the first failure unless {@code keepGoing}. Without
     * {@code keepGoing} a syntax error anywhere runs nothing; see {@link #run(ScriptParser.Parsed, boolean)}.
     */
    public RunResult run(String script, boolean keepGoing) {
        ScriptParser.Parsed parsed = ScriptParser.parse(script);
        if (!parsed.ok() && !keepGoing) {
            parsed.errors().forEach(e -> err.println(e.report()));
            return new RunResult(0, parsed.errors().size(), true, 0);
        }
        return run(parsed, keepGoing);
    }

    /**
     * Runs the statements of a parsed script in line order. A bad line's syntax error is printed
     * when the run reaches that line and counts as a failed command: the run stops there unless
     * {@code keepGoing}.
     */
    public RunResult run(ScriptParser.Parsed parsed, boolean keepGoing) {
        interrupted = false;
        List<ScriptParser.SyntaxError> errors = parsed.errors();
        int internalBefore = internalErrors;
        int executed = 0;
        int failed = 0;
        int e = 0;
        List<Statement> statements = parsed.statements();
        for (int i = 0; i <= statements.size(); i++) {
            int line = i < statements.size() ? statements.get(i).line() : Integer.MAX_VALUE;
            while (e < errors.size() && errors.get(e).line() < line) {
                err.println(errors.get(e++).report());
                executed++;
                failed++;
                if (!keepGoing) {
                    return new RunResult(executed, failed, true, internalErrors - internalBefore);
                }
            }
            if (i == statements.size()) {
                break;
            }
            executed++;
            boolean ok = execute(statements.get(i));
            if (interrupted) {
                // Ctrl-C: the command stopped (or finished); nothing after it runs
                out.println("^C");
                return new RunResult(executed, failed + 1, true, internalErrors - internalBefore);
            }
            if (exitRequested) {
                return new RunResult(executed, failed, true, internalErrors - internalBefore);
            }
            if (!ok) {
                failed++;
                if (!keepGoing) {
                    return new RunResult(executed, failed, true, internalErrors - internalBefore);
                }
            }
        }
        return new RunResult(executed, failed, false, internalErrors - internalBefore);
    }

    /** Runs statements in order; stops at the first failure unless {@code keepGoing}. */
    public RunResult run(List<Statement> statements, boolean keepGoing) {
        return run(new ScriptParser.Parsed(statements, List.of()), keepGoing);
    }

    /** Runs one statement, printing its reports, result or error. Returns false if it failed. */
    public boolean execute(Statement st) {
        Dmesg dmesg = machine().dmesg();
        long mark = dmesg.sequence();
        ShellCommand cmd = commands.get(st.name());
        if (cmd == null) {
            err.println("kmemlab: line " + st.line() + ": " + st.name() + ": command not found");
            return false;
        }
        machine().clock().advance(NANOS_PER_COMMAND);
        if (kernel.slab() != null) {
            kernel.slab().timerTick(machine().clock().nanos());
        }
        Result result;
        Object stepBefore = steps.before(st);
        try {
            result = cmd.run(new Invocation(this, st));
        } catch (CommandError e) {
            result = Result.error(e.getMessage());
        } catch (RuntimeException e) {
            // A bug in kmemlab, not a user mistake: say so in one line and let the session go on.
            internalErrors++;
            LOG.debug("internal error in line {}: {}", st.line(), st.name(), e);
            err.println("kmemlab: internal error: line " + st.line() + ": " + st.name() + ": " + e);
            return false;
        }
        for (String line : dmesg.since(mark, Dmesg.Level.WARNING)) {
            out.println(line);
        }
        if (st.bind() != null) {
            if (result instanceof Result.Address a) {
                vars.put(st.bind(), a.addr());
                out.println("$" + st.bind() + " = " + Addr.hex(a.addr()));
                out.print(steps.after(st, stepBefore, result));
                return true;
            }
            if (result instanceof Result.Number n) {
                vars.put(st.bind(), n.value());
                out.println("$" + st.bind() + " = " + n.value());
                out.print(steps.after(st, stepBefore, result));
                return true;
            }
            if (!(result instanceof Result.Error)) {
                result = Result.error("returns nothing to bind to $" + st.bind());
            }
        }
        if (result instanceof Result.Error e) {
            err.println("kmemlab: line " + st.line() + ": " + st.name() + ": " + e.message());
            LOG.debug("line {}: {} failed: {}", st.line(), st.name(), e.message());
            return false;
        }
        if (result instanceof Result.Address a) {
            out.println(Addr.hex(a.addr()));
        } else if (result instanceof Result.Number n) {
            out.println(n.value());
        } else if (result instanceof Result.Text t) {
            String text = t.text();
            if (!printInterruptibly(text)) {
                return true;
            }
            if (!text.isEmpty() && !text.endsWith("\n")) {
                out.println();
            }
        }
        out.print(steps.after(st, stepBefore, result));
        return true;
    }

    /**
     * Prints text in chunks ending at line ends, stopping early once {@link #interrupt}ed; returns
     * false if it stopped (the run loop then prints {@code ^C}).
     */
    private boolean printInterruptibly(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            if (interrupted) {
                out.flush();
                return false;
            }
            int end = Math.min(n, i + PRINT_CHUNK);
            if (end < n) {
                int nl = text.lastIndexOf('\n', end - 1);
                if (nl >= i) {
                    end = nl + 1;
                }
            }
            out.append(text, i, end);
            i = end;
        }
        return true;
    }
}
