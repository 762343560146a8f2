package io.kmemlab.boot.cli;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.boot.contention.ContentionWorkloads;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.ContentionTable;
import io.kmemlab.mm.sched.CostModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kmemlab contention}: threads on virtual CPUs contending for an allocator's locks, each
 * configuration at each thread count, in virtual time — the same figures on every machine.
 * Workloads come from {@link ContentionWorkloads} (user space and kernel alike).
 */
@Command(
        name = "contention",
        mixinStandardHelpOptions = true,
        description = "Run a multi-threaded workload on each allocator configuration at each thread count in"
                + " virtual time (a deterministic scheduler, locks that cost what real locks cost) and print"
                + " throughput, lock waits per 1000 ops, wait time per op and owner switches, as a table and"
                + " a chart.")
public final class ContentionCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(
            names = "--threads",
            paramLabel = "LIST",
            defaultValue = "1,2,4,8",
            description = "Thread counts, comma separated (default ${DEFAULT-VALUE}; e.g. 1,2,4,8,16,32,64).")
    String threads;

    @Option(
            names = "--workload",
            paramLabel = "NAME",
            defaultValue = "glibc-thread",
            description = "The workload (default ${DEFAULT-VALUE}); --help lists them.")
    String workload;

    @Option(
            names = "--config",
            paramLabel = "LIST",
            description = "Configurations, comma separated (default: the workload's own list).")
    String config;

    @Option(
            names = "--cpus",
            paramLabel = "N",
            defaultValue = "0",
            description = "Virtual CPUs (default: one per thread, up to 64).")
    int cpus;

    @Option(
            names = "--cost",
            paramLabel = "NAME=VALUE,...",
            description = "Override cost-model constants, in virtual ns (hit, atomic, xfer, pause, tas, syscall,"
                    + " wakeup, handoff, switch, quantum).")
    String cost;

    @Option(
            names = "--ops",
            paramLabel = "N",
            defaultValue = "0",
            description = "Operations per thread (default: the workload's own).")
    long ops;

    @Option(
            names = "--format",
            paramLabel = "text|json",
            defaultValue = "text",
            description = "Output format (default ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--views", description = "Print each run's lock views after the table.")
    boolean views;

    @Override
    public Integer call() {
        List<ContentionWorkload> all = ContentionWorkloads.all();
        ContentionWorkload w = null;
        for (ContentionWorkload c : all) {
            if (c.name().equals(workload)) {
                w = c;
            }
        }
        if (w == null) {
            return usage("no workload '" + workload + "' (workloads: " + names(all) + ")");
        }
        if (!format.equals("text") && !format.equals("json")) {
            return usage("--format must be text or json: '" + format + "'");
        }
        List<Integer> counts = new ArrayList<>();
        for (String t : threads.split(",")) {
            try {
                int n = Integer.parseInt(t.trim());
                if (n < 1 || n > 1024) {
                    return usage("--threads: " + n + " is not 1..1024");
                }
                counts.add(n);
            } catch (NumberFormatException e) {
                return usage("--threads: '" + t.trim() + "' is not a number");
            }
        }
        if (cpus < 0 || cpus > 64) {
            return usage("--cpus must be 1..64: " + cpus);
        }
        if (ops < 0) {
            return usage("--ops must be positive: " + ops);
        }
        CostModel model;
        try {
            model = w.defaultCost().with(cost);
        } catch (IllegalArgumentException e) {
            return usage("--cost: " + e.getMessage());
        }
        List<String> configs = config == null ? w.configs() : List.of(config.split(","));
        long seed = main.seed == null ? 1 : main.seed;
        ContentionOptions options = new ContentionOptions(cpus, seed, model, ops);
        List<ContentionRow> rows = new ArrayList<>();
        StringBuilder v = new StringBuilder();
        for (String c : configs) {
            for (int n : counts) {
                try {
                    rows.add(w.run(c.trim(), n, options, v));
                } catch (IllegalArgumentException e) {
                    return usage(e.getMessage());
                } catch (IllegalStateException e) {
                    // a run that deadlocked, misused a lock or left its heap invalid: said, not thrown
                    main.err().println("kmemlab contention: " + e.getMessage());
                    return Main.EXIT_SCRIPT_FAILED;
                }
                v.append('\n');
            }
        }
        if (format.equals("json")) {
            main.out().print(ContentionTable.json(rows));
            return Main.EXIT_OK;
        }
        main.out()
                .printf(
                        Locale.ROOT,
                        "kmemlab contention: %s (%s)%ncost: %s; seed %d%s%n%n",
                        w.name(),
                        w.description(),
                        model.describe(),
                        seed,
                        ops > 0 ? "; " + ops + " ops per thread" : "");
        main.out().print(ContentionTable.table(rows));
        main.out().println();
        main.out().print(ContentionTable.chart(rows, 50));
        if (views) {
            main.out().println();
            main.out().print(v);
        }
        return Main.EXIT_OK;
    }

    /** {@code --help}'s footer: every workload on the class path, with its default configurations. */
    static String workloadsHelp() {
        StringBuilder sb = new StringBuilder("Workloads:\n");
        for (ContentionWorkload w : ContentionWorkloads.all()) {
            sb.append(String.format(Locale.ROOT, "  %-14s %s%n", w.name(), w.description()));
            sb.append(String.format(Locale.ROOT, "  %-14s configs: %s%n", "", String.join(", ", w.configs())));
        }
        return sb.toString();
    }

    private int usage(String message) {
        main.err().println("kmemlab: contention: " + message);
        return Main.EXIT_USAGE;
    }

    private static String names(List<ContentionWorkload> all) {
        List<String> n = new ArrayList<>();
        for (ContentionWorkload w : all) {
            n.add(w.name());
        }
        return n.isEmpty() ? "none" : String.join(", ", n);
    }
}
