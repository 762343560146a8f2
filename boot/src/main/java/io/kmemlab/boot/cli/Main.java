package io.kmemlab.boot.cli;

import io.kmemlab.boot.BootProgress;
import io.kmemlab.boot.Components;
import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.StandardComponents;
import io.kmemlab.boot.replay.ReplaySession;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.shell.ScriptParser;
import io.kmemlab.boot.shell.Shell;
import io.kmemlab.boot.shell.ShellCompleter;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.CacheDefinition;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/**
 * The kmemlab command line. To add a subcommand (e.g. {@code replay}): write a picocli
 * {@code @Command} class with a {@code @ParentCommand Main main} field, boot with
 * {@link #boot(List)}, print to {@link #out()} / {@link #err()}, wrap the work in
 * {@link #withTraceFile} and mark the class {@link TraceFileWriter} (else {@code --trace-file} is
 * refused for it), and list the class in {@code subcommands} below. Exit codes: 0 success, 1 a script command failed (or the shell's
 * input could not be read), 2 usage errors (bad options, bad boot parameters), 3 an internal error
 * (a bug in kmemlab: the only case that prints a Java exception, and then only its message).
 */
@Command(
        name = "kmemlab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Emulates the Linux kernel's page and slab allocators.",
        subcommands = {
            CompareCommand.class,
            ReportCommand.class,
            ReplayCommand.class,
            StatCommand.class,
            BenchCommand.class,
            Main.Boot.class,
            Main.Run.class,
            SlobFitCommand.class,
            LabCommand.class,
            Main.ShellCmd.class,
            Main.Layout.class,
            PopulateDemoCommand.class,
            MallocCommand.class,
            ContentionCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(Main.class);
    public static final int EXIT_OK = 0;
    public static final int EXIT_SCRIPT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 3;

    @Option(
            names = "--trace-file",
            paramLabel = "FILE",
            scope = ScopeType.INHERIT,
            description =
                    "Also write enabled trace events (trace_event=, trace on) to FILE (boot, run, shell, malloc replay and malloc compare; other commands refuse it).")
    Path traceFile;

    @Option(
            names = "--seed",
            paramLabel = "N",
            scope = ScopeType.INHERIT,
            description = "Seed of the machine's randomness (same as the boot word seed=N).")
    Long seed;

    private final Supplier<Components> components;
    private final PrintStream out;
    private final PrintStream err;
    private final InputStream in;

    public Main(Supplier<Components> components, PrintStream out, PrintStream err, InputStream in) {
        this.components = components;
        this.out = out;
        this.err = err;
        this.in = in;
    }

    public static void main(String[] args) {
        Main main = new Main(StandardComponents::get, System.out, System.err, System.in);
        System.exit(main.execute(args));
    }

    /** Runs the command line in-process and returns the exit code. */
    public int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The configured picocli command line (output streams, exit codes, error handling). */
    public CommandLine commandLine() {
        CommandLine cl = new CommandLine(this);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            err.println("kmemlab: internal error: " + ex);
            LOG.debug("internal error", ex);
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler(Main::usageError);
        cl.setExecutionStrategy(this::executeChecked);
        // perf kmem takes -s and -l once per table: each occurrence applies where it stands.
        cl.getSubcommands().get("stat").setOverwrittenOptionsAllowed(true);
        footer(cl.getSubcommands().get("boot"), () -> components.get().bootWordsHelp());
        footer(cl.getSubcommands().get("contention"), ContentionCommand::workloadsHelp);
        String scriptFooter = "Boot words: see 'kmemlab boot --help'.\n\n";
        footer(cl.getSubcommands().get("run"), () -> scriptFooter + Shell.commandsHelp());
        footer(
                cl.getSubcommands().get("shell"),
                () -> scriptFooter + Shell.commandsHelp()
                        + "Ctrl-C stops a running command and returns to the prompt.\n");
        return cl;
    }

    /**
     * A subcommand that honours the global {@code --trace-file}: it wraps its work in {@link
     * #withTraceFile}. Every other subcommand refuses the option rather than ignore it.
     */
    public interface TraceFileWriter {}

    /**
     * Picocli's RunLast, after refusing a {@code --trace-file} that the chosen subcommand would not
     * write (help and version requests go through as usual).
     */
    private int executeChecked(CommandLine.ParseResult parsed) {
        if (traceFile != null) {
            CommandLine.ParseResult leaf = parsed;
            boolean help = false;
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                help |= p.isUsageHelpRequested() || p.isVersionHelpRequested();
                leaf = p;
            }
            Object command = leaf.commandSpec().userObject();
            if (!help && !(command instanceof TraceFileWriter) && !(command instanceof CommandLine.HelpCommand)) {
                String name = leaf.commandSpec().qualifiedName();
                err.println("kmemlab: --trace-file: '" + name + "' writes no trace events to a file"
                        + (leaf.commandSpec().optionsMap().containsKey("--emit-trace")
                                ? " (its own trace of the replay: --emit-trace FILE)"
                                : " (boot, run, shell, malloc replay and malloc compare do)"));
                err.println("Try '" + name + " --help'.");
                return EXIT_USAGE;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /** A usage help section computed when the help is printed (it lists what the code knows). */
    private static void footer(CommandLine sub, Supplier<String> text) {
        Map<String, CommandLine.IHelpSectionRenderer> sections = sub.getHelpSectionMap();
        sections.put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_FOOTER, help -> "\n" + text.get());
        sub.setHelpSectionMap(sections);
    }

    /**
     * A bad option or parameter: its one line, picocli's suggestion if it has one, and where the
     * help is, instead of the whole usage message under it.
     */
    private static int usageError(CommandLine.ParameterException ex, String[] args) {
        CommandLine c = ex.getCommandLine();
        PrintWriter w = c.getErr();
        w.println("kmemlab: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, w);
        w.println("Try '" + c.getCommandSpec().qualifiedName() + " --help'.");
        w.flush();
        return EXIT_USAGE;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(out);
        return EXIT_OK;
    }

    /** Where subcommands print their output. */
    public PrintStream out() {
        return out;
    }

    /** Where subcommands print errors. */
    public PrintStream err() {
        return err;
    }

    /** Standard input, for a trace named '-'. */
    public InputStream in() {
        return in;
    }

    /**
     * Boots a kernel from boot words plus the global {@code --seed}, for subcommands; returns null
     * after printing why (the caller returns {@link #EXIT_USAGE}).
     */
    public Kernel boot(List<String> words) {
        List<String> all = new ArrayList<>(words);
        if (seed != null) {
            all.add("seed=" + seed);
        }
        Kernel.BootResult r;
        try {
            r = Kernel.boot(all, components.get(), bootProgress(words));
        } catch (OutOfMemoryError e) {
            err.println("kmemlab: out of Java heap booting " + String.join(" ", words) + " ("
                    + HeapAdvice.advice(words, 1) + ")");
            return null;
        }
        if (!r.ok()) {
            err.println(r.error());
            return null;
        }
        return r.kernel();
    }

    /** A progress line for a long boot, on a terminal only (never into a pipe, a file or a test). */
    private BootProgress bootProgress(List<String> words) {
        if (err != System.err || System.console() == null) {
            return BootProgress.NONE;
        }
        return new TerminalBootProgress(err, String.join(" ", words), 1000);
    }

    /** Opens --trace-file and attaches it to the tracer; returns a closer. */
    AutoCloseable attachTraceFile(Kernel k) throws IOException {
        if (traceFile == null) {
            return () -> {};
        }
        PrintWriter w = new PrintWriter(Files.newBufferedWriter(traceFile, StandardCharsets.UTF_8));
        java.util.function.Consumer<String> sink = w::println;
        // The file also takes the '# kmemlab cache:' comments, so that replaying it recreates the
        // script's caches exactly (ftrace readers skip '#' lines).
        k.machine().tracer().addSink(sink, true);
        if (k.slab() != null) {
            for (CacheDefinition d : ReplaySession.createdCaches(k.slab())) {
                k.machine().tracer().cacheComment(d);
            }
        }
        return () -> {
            k.machine().tracer().removeSink(sink);
            w.close();
        };
    }

    /**
     * Runs {@code body} with the global {@code --trace-file} attached to the kernel's tracer (if
     * given) and returns its exit code.
     */
    public int withTraceFile(Kernel k, Callable<Integer> body) {
        AutoCloseable closer;
        try {
            closer = attachTraceFile(k);
        } catch (IOException | UncheckedIOException e) {
            err.println("kmemlab: --trace-file " + traceFile + ": " + reason(e));
            return EXIT_USAGE;
        }
        try {
            return body.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            try {
                closer.close();
            } catch (Exception e) {
                err.println("kmemlab: --trace-file " + traceFile + ": " + reason(e));
            }
        }
    }

    /**
     * Why a file operation failed, in words ({@code no such file or directory}), without the path
     * the caller has already printed.
     */
    static String reason(Exception e) {
        if (e instanceof UncheckedIOException u) {
            return TraceFileSource.describe(u.getCause());
        }
        return e instanceof IOException io ? TraceFileSource.describe(io) : e.getMessage();
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kmemlab " + (v == null ? "dev" : v) + " (emulating Linux 6.18 mm)"};
        }
    }

    @Command(name = "boot", mixinStandardHelpOptions = true, description = "Boot and print the kernel log (dmesg).")
    static final class Boot implements Callable<Integer>, TraceFileWriter {
        @ParentCommand
        Main main;

        @Parameters(
                paramLabel = "WORDS",
                arity = "0..*",
                description = "Kernel command-line words, e.g. mem=1G nr_cpus=2.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            Kernel k = main.boot(words);
            if (k == null) {
                return EXIT_USAGE;
            }
            return main.withTraceFile(k, () -> {
                main.out.print(k.dmesg());
                main.out.flush();
                return EXIT_OK;
            });
        }
    }

    @Command(
            name = "run",
            mixinStandardHelpOptions = true,
            description = "Boot, then run a script FILE (or -e 'cmd; cmd'); stop at the first failing command.")
    static final class Run implements Callable<Integer>, TraceFileWriter {
        @ParentCommand
        Main main;

        @Option(
                names = {"-e", "--execute"},
                paramLabel = "SCRIPT",
                description = "Run this script text instead of a file.")
        String script;

        @Option(
                names = "--keep-going",
                description =
                        "Run every command even after one fails; lines with a syntax error are reported when reached and skipped.")
        boolean keepGoing;

        @Parameters(
                paramLabel = "FILE|WORDS",
                arity = "0..*",
                description = "The script file ('-' for standard input) unless -e, then boot words.")
        List<String> positional = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> words = positional;
            String text = script;
            if (text == null) {
                if (positional.isEmpty()) {
                    main.err.println("kmemlab: run needs a script FILE or -e 'SCRIPT'");
                    return EXIT_USAGE;
                }
                Path file = Path.of(positional.get(0));
                try {
                    text = positional.get(0).equals("-")
                            ? new String(main.in.readAllBytes(), StandardCharsets.UTF_8)
                            : Files.readString(file, StandardCharsets.UTF_8);
                } catch (IOException | UncheckedIOException e) {
                    main.err.println("kmemlab: cannot read script '" + file + "': " + reason(e));
                    return EXIT_USAGE;
                }
                words = positional.subList(1, positional.size());
            }
            ScriptParser.Parsed parsed = ScriptParser.parse(text);
            if (!parsed.ok() && !keepGoing) {
                // Nothing runs: every bad line is named, as a compiler would.
                parsed.errors().forEach(e -> main.err.println(e.report()));
                return EXIT_USAGE;
            }
            Kernel k = main.boot(words);
            if (k == null) {
                return EXIT_USAGE;
            }
            return main.withTraceFile(k, () -> {
                Shell sh = new Shell(k, main.out, main.err);
                Shell.RunResult r = sh.run(parsed, keepGoing);
                main.out.flush();
                if (r.internalErrors() > 0) {
                    return EXIT_INTERNAL;
                }
                return r.ok() ? EXIT_OK : EXIT_SCRIPT_FAILED;
            });
        }
    }

    @Command(
            name = "shell",
            mixinStandardHelpOptions = true,
            description = "Boot, then read commands interactively (history, tab completion, 'help').")
    static final class ShellCmd implements Callable<Integer>, TraceFileWriter {
        @ParentCommand
        Main main;

        @Parameters(paramLabel = "WORDS", arity = "0..*", description = "Kernel command-line words.")
        List<String> words = new ArrayList<>();

        @Override
        public Integer call() {
            Kernel k = main.boot(words);
            if (k == null) {
                return EXIT_USAGE;
            }
            return main.withTraceFile(k, () -> {
                Shell sh = new Shell(k, main.out, main.err);
                if (main.in == System.in && System.console() != null) {
                    return new Interactive(sh).loop();
                }
                return readLoop(sh);
            });
        }

        /** Non-interactive input (a pipe, a test): every line runs; errors do not stop the shell. */
        private int readLoop(Shell sh) throws IOException {
            BufferedReader r = new BufferedReader(new InputStreamReader(main.in, StandardCharsets.UTF_8));
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (isExit(line)) {
                    break;
                }
                runLine(sh, line, lineNo);
                if (sh.exitRequested()) {
                    break;
                }
            }
            main.out.flush();
            return EXIT_OK;
        }

        static boolean isExit(String line) {
            String t = line.trim();
            return t.equals("exit") || t.equals("quit");
        }

        static void runLine(Shell sh, String line, int lineNo) {
            ScriptParser.Parsed p = ScriptParser.parse(line, lineNo);
            sh.run(p, true);
        }
    }

    /** The JLine loop of an interactive shell on a terminal. */
    static final class Interactive {
        private final Shell shell;

        Interactive(Shell shell) {
            this.shell = shell;
        }

        int loop() throws IOException {
            try (org.jline.terminal.Terminal term =
                    org.jline.terminal.TerminalBuilder.builder().system(true).build()) {
                org.jline.reader.LineReader reader = org.jline.reader.LineReaderBuilder.builder()
                        .terminal(term)
                        .appName("kmemlab")
                        .completer(new ShellCompleter(shell))
                        .variable(
                                org.jline.reader.LineReader.HISTORY_FILE,
                                Path.of(System.getProperty("user.home"), ".kmemlab_history"))
                        .build();
                // Ctrl-C while a command runs (the line reader is not reading, so the terminal
                // sends SIGINT) stops the command, not the JVM; the shell prints the ^C itself.
                term.handle(org.jline.terminal.Terminal.Signal.INT, signal -> shell.interrupt());
                org.jline.terminal.Attributes attrs = term.getAttributes();
                attrs.setLocalFlag(org.jline.terminal.Attributes.LocalFlag.ECHOCTL, false);
                term.setAttributes(attrs);
                Kernel k = shell.kernel();
                shell.out()
                        .println("kmemlab shell: Linux 6.18 mm emulation, "
                                + k.params().commandLine() + " (slab="
                                + k.params().slab() + "). Type 'help'; 'exit' or Ctrl-D leaves.");
                int lineNo = 0;
                while (true) {
                    String line;
                    try {
                        line = reader.readLine("kmemlab> ");
                    } catch (org.jline.reader.UserInterruptException e) {
                        continue;
                    } catch (org.jline.reader.EndOfFileException e) {
                        break;
                    }
                    lineNo++;
                    if (ShellCmd.isExit(line)) {
                        break;
                    }
                    ShellCmd.runLine(shell, line, lineNo);
                    shell.out().flush();
                    if (shell.exitRequested()) {
                        break;
                    }
                }
            }
            return EXIT_OK;
        }
    }

    @Command(
            name = "layout",
            mixinStandardHelpOptions = true,
            description = "Boot, create a cache of SIZE bytes and print its geometry and object/slab layout.")
    static final class Layout implements Callable<Integer> {
        @ParentCommand
        Main main;

        @Parameters(index = "0", paramLabel = "SIZE", description = "Object size in bytes.")
        long size;

        @Parameters(
                index = "1..*",
                paramLabel = "WORDS",
                arity = "0..*",
                description = "Boot words (slab=, nr_cpus=, slub_debug=, …).")
        List<String> words = new ArrayList<>();

        @Option(names = "--align", paramLabel = "N", description = "Requested alignment.")
        long align;

        @Option(names = "--flags", paramLabel = "A,B", description = "Slab flags, e.g. HWCACHE_ALIGN,RED_ZONE.")
        String flags;

        @Option(names = "--ctor", description = "Give the cache a constructor.")
        boolean ctor;

        @Option(
                names = "--freeptr-offset",
                paramLabel = "N",
                description = "Explicit free pointer offset (TYPESAFE_BY_RCU caches).")
        Integer freeptrOffset;

        @Option(
                names = "--sheaf-capacity",
                paramLabel = "N",
                description = "kmem_cache_args.sheaf_capacity: per-CPU sheaves of N objects (SLUB).")
        int sheafCapacity;

        @Override
        public Integer call() {
            int f = flags == null ? 0 : SlabFlags.parse(flags);
            if (f < 0) {
                main.err.println("kmemlab: layout: invalid --flags '" + flags + "'");
                return EXIT_USAGE;
            }
            Kernel k = main.boot(words);
            if (k == null) {
                return EXIT_USAGE;
            }
            SlabLayer slab = k.slab();
            if (slab == null) {
                main.err.println("kmemlab: " + k.slabUnavailable());
                return EXIT_USAGE;
            }
            KmemCacheArgs.Builder args = KmemCacheArgs.builder().align(align).sheafCapacity(sheafCapacity);
            if (ctor) {
                args.ctor(new io.kmemlab.mm.slab.Ctor() {
                    @Override
                    public void construct(io.kmemlab.mm.PhysMem mem, long obj, int objectSize) {
                        mem.fill(obj, 0, objectSize);
                    }

                    @Override
                    public String symbol() {
                        return "layout_ctor+0x0/0x20";
                    }
                });
            }
            if (freeptrOffset != null) {
                args.freeptrOffset(freeptrOffset);
            }
            long mark = k.machine().dmesg().sequence();
            long reportsBefore = k.machine().dmesg().totalReports();
            // NO_MERGE: show the geometry of this cache, not of a cache it would alias.
            KmemCache c = slab.kmemCacheCreate("layout", size, f | SlabFlags.NO_MERGE, args.build());
            if (c == null) {
                for (String l : k.machine().dmesg().since(mark)) {
                    main.err.println(l);
                }
                main.err.println("kmemlab: layout: cannot create a cache of " + size + " bytes");
                return EXIT_SCRIPT_FAILED;
            }
            for (Map.Entry<String, String> e : c.impl().geometry().entrySet()) {
                main.out.println(e.getKey() + ": " + e.getValue());
            }
            for (String l : c.impl().explainLayout()) {
                main.out.println(l);
            }
            if (k.machine().dmesg().totalReports() > reportsBefore) {
                for (String l : k.machine().dmesg().since(mark)) {
                    main.err.println(l);
                }
            }
            LOG.debug("layout: {} reports while creating", k.machine().dmesg().reportCount(ReportKind.WARN));
            main.out.flush();
            return EXIT_OK;
        }
    }
}
