package io.kmemlab.boot.cli;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.StandardComponents;
import io.kmemlab.mm.Machine;
import io.kmemlab.slob.SlobFitComparison;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kmemlab slob-fit}: the teaching comparison of free-list fit policies on the SLOB heap. One
 * seeded kmalloc/kfree sequence runs under first (the kernel's), next, best and worst fit, each on
 * a freshly booted machine, and the table shows pages used and external fragmentation side by
 * side.
 */
@Command(
        name = "slob-fit",
        mixinStandardHelpOptions = true,
        description = {
            "Run one seeded kmalloc/kfree sequence on the SLOB heap under each fit policy "
                    + "(first = Linux's, next, best, worst) and compare pages used and external fragmentation.",
            "WORDS are kernel command-line words for the machines (mem=, nr_cpus=, …)."
        })
final class SlobFitCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Option(names = "--ops", paramLabel = "N", defaultValue = "20000", description = "Operations in the sequence (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(names = "--max-size", paramLabel = "BYTES", defaultValue = "1024",
            description = "Largest kmalloc size in the sequence (default: ${DEFAULT-VALUE}).")
    int maxSize;

    @Option(names = "--workload-seed", paramLabel = "N", defaultValue = "1", description = "Seed of the sequence (default: ${DEFAULT-VALUE}).")
    long workloadSeed;

    @Parameters(paramLabel = "WORDS", arity = "0..*", description = "Kernel command-line words.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        if (ops < 1 || ops > 10_000_000 || maxSize < 1 || maxSize > 1 << 20) {
            main.err().println("kmemlab: slob-fit: --ops must be 1…10000000 and --max-size 1…1048576");
            return Main.EXIT_USAGE;
        }
        for (String w : words) {
            if (w.startsWith("slab=")) {
                main.err().println("kmemlab: slob-fit: '" + w + "' does not apply: every run uses the SLOB heap");
                return Main.EXIT_USAGE;
            }
        }
        // Machines with the page allocator only: each fit policy gets its own SLOB layer.
        List<String> all = new ArrayList<>(words);
        List<Machine> machines = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Kernel.BootResult r = Kernel.boot(withSeed(all),
                    StandardComponents.get().withSlabProviders(List.of()));
            if (!r.ok()) {
                main.err().println(r.error());
                return r.exitCode();
            }
            machines.add(r.kernel().machine());
        }
        List<SlobFitComparison.Op> sequence = SlobFitComparison.randomWorkload(workloadSeed, ops, maxSize);
        int[] next = {0};
        List<SlobFitComparison.Result> results = SlobFitComparison.compare(() -> machines.get(next[0]++), sequence);
        main.out().printf("workload: %d kmalloc/kfree operations, sizes 1…%d, seed %d%n%n", ops, maxSize, workloadSeed);
        main.out().print(SlobFitComparison.table(results));
        return 0;
    }

    private List<String> withSeed(List<String> words) {
        List<String> out = new ArrayList<>(words);
        if (main.seed != null) {
            out.add("seed=" + main.seed);
        }
        return out;
    }
}
