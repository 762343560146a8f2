package io.kmemlab.boot.cli;

import io.kmemlab.boot.BootParams;
import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.populate.PopulateChart;
import io.kmemlab.boot.populate.PopulateDemo;
import io.kmemlab.boot.populate.PopulateReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kmemlab populate-demo}: MAP_POPULATE against demand faulting on a large arena. */
@Command(
        name = "populate-demo",
        mixinStandardHelpOptions = true,
        description = "Map a large anonymous arena with and without MAP_POPULATE (and MAP_NONBLOCK, and read-only),"
                + " touch every page, and report faults, RSS over virtual time, where the time went and what the"
                + " page allocator gave out; a chart of RSS goes to --out.")
public final class PopulateDemoCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(
            names = "--size",
            paramLabel = "SIZE",
            defaultValue = "64M",
            description = "Arena size, with a K/M/G suffix (default ${DEFAULT-VALUE}).")
    String size;

    @Option(
            names = "--out",
            paramLabel = "DIR",
            defaultValue = "kmemlab-out",
            description = "Directory for populate-rss.png and .svg (default ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--no-chart", description = "Do not write the chart.")
    boolean noChart;

    @Parameters(paramLabel = "WORDS", arity = "0..*", description = "Boot words (mem=, nr_cpus=, norandmaps, …).")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        long bytes = BootParams.memparse(size);
        if (bytes < 4096 || bytes % 4096 != 0) {
            main.err().println("kmemlab: populate-demo: invalid --size '" + size + "' (a multiple of 4K)");
            return Main.EXIT_USAGE;
        }
        Kernel k = main.boot(words);
        if (k == null) {
            return Main.EXIT_USAGE;
        }
        if (bytes > k.pageAllocator().metric().nrFreePages() * 4096 * 3 / 4) {
            main.err()
                    .println("kmemlab: populate-demo: --size " + size + " does not fit in this machine's free memory"
                            + " (boot with a larger mem=)");
            return Main.EXIT_USAGE;
        }
        List<PopulateDemo.Run> runs = PopulateDemo.run(k, bytes);
        String machine = String.format(
                java.util.Locale.ROOT,
                "mem=%dM nr_cpus=%d%s",
                k.params().memBytes() >> 20,
                k.params().nrCpus(),
                k.params().norandmaps() ? " norandmaps" : "");
        main.out().print(PopulateReport.render(runs, bytes, machine));
        if (!noChart) {
            try {
                Path png = PopulateChart.write(out, runs, bytes);
                main.out().println("\nchart: " + png + " (and .svg)");
            } catch (IOException e) {
                main.err().println("kmemlab: populate-demo: cannot write the chart: " + e.getMessage());
                return Main.EXIT_SCRIPT_FAILED;
            }
        }
        main.out().flush();
        return Main.EXIT_OK;
    }
}
