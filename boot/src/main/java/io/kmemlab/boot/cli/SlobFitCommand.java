package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.KernelReplayFactory;
import io.kmemlab.boot.replay.ReplayOptions;
import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.Replayer;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.slab.HeapMetric;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kmemlab slob-fit}: the teaching comparison of free-list fit policies on the SLOB heap, as
 * a compare of four variants of one machine: the same seeded kmalloc/kfree sequence
 * ({@link Workload#kmallocSequence}) replayed under {@code slab=slob} with {@code slob_fit=first}
 * (the kernel's), {@code next}, {@code best} and {@code worst}, each on its own machine, and a
 * table of pages used and external fragmentation side by side.
 */
@Command(
        name = "slob-fit",
        mixinStandardHelpOptions = true,
        description = {
            "Run one seeded kmalloc/kfree sequence on the SLOB heap under each fit policy "
                    + "(slob_fit=first = Linux's, next, best, worst) and compare pages used and external "
                    + "fragmentation.",
            "pages and peak count the slab pages the sequence added to the boot's; free_bytes, blocks, "
                    + "largest and ext_frag describe the whole heap's free space at the end.",
            "WORDS are kernel command-line words for the machines (mem=, nr_cpus=, …)."
        })
final class SlobFitCommand implements Callable<Integer> {
    /** The slob_fit= values, the kernel's first; the SLOB provider checks them. */
    static final List<String> FITS = List.of("first", "next", "best", "worst");

    @Spec
    CommandSpec spec;

    @Option(
            names = "--ops",
            paramLabel = "N",
            defaultValue = "20000",
            description = "Operations in the sequence (default: ${DEFAULT-VALUE}).")
    int ops;

    @Option(
            names = "--max-size",
            paramLabel = "BYTES",
            defaultValue = "1024",
            description = "Largest kmalloc size in the sequence (default: ${DEFAULT-VALUE}).")
    int maxSize;

    @Option(
            names = "--workload-seed",
            paramLabel = "N",
            defaultValue = "1",
            description = "Seed of the sequence (default: ${DEFAULT-VALUE}).")
    long workloadSeed;

    @Parameters(paramLabel = "WORDS", arity = "0..*", description = "Kernel command-line words.")
    List<String> words = new ArrayList<>();

    @Override
    public Integer call() {
        ReplayRun run = new ReplayRun("kmemlab slob-fit", spec.commandLine());
        if (ops < 1 || ops > 10_000_000 || maxSize < 1 || maxSize > 1 << 20) {
            return run.fail(Main.EXIT_USAGE, "--ops must be 1…10000000 and --max-size 1…1048576")
                    .exit();
        }
        for (String w : words) {
            if (w.startsWith("slab=")) {
                return run.fail(Main.EXIT_USAGE, "'" + w + "' does not apply: every run uses the SLOB heap")
                        .exit();
            }
        }
        List<Variant> variants = new ArrayList<>();
        for (String fit : FITS) {
            variants.add(new Variant(fit, "slob", List.of("slob_fit=" + fit)));
        }
        EventSource source = Workload.kmallocSequence(workloadSeed, ops, maxSize);
        ReplayRun.Outcome outcome = run.run(
                new KernelReplayFactory(),
                source,
                variants,
                InputOptions.bootWords(spec, words, source.defaultCpus()),
                ReplayOptions.DEFAULT,
                () -> 0,
                null);
        if (!outcome.ok()) {
            return outcome.exit();
        }
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                Locale.ROOT,
                "workload: %d kmalloc/kfree operations, sizes 1…%d, seed %d%n%n",
                ops,
                maxSize,
                workloadSeed);
        out.print(table(variants, outcome.runs()));
        out.flush();
        return 0;
    }

    /** One row per variant: its slab pages, the live bytes, and its heap's free space. */
    static String table(List<Variant> variants, List<Replayer.Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append("fit    pages  peak  live_bytes  free_bytes  blocks  largest  ext_frag  failures\n");
        for (int i = 0; i < runs.size(); i++) {
            ReplayStats s = runs.get(i).stats();
            HeapMetric h = runs.get(i).target().slab().allocator().heapMetric();
            sb.append(String.format(
                    Locale.ROOT,
                    "%-5s %6d %5d %11d %11d %7d %8d %9.3f %9d%n",
                    variants.get(i).label(),
                    s.finalSlabBytes() / Addr.PAGE_SIZE,
                    s.peakSlabBytes() / Addr.PAGE_SIZE,
                    s.liveBytesReq(),
                    h.freeBytes(),
                    h.freeBlocks(),
                    h.largestFreeBytes(),
                    h.externalFragmentation(),
                    s.failures()));
        }
        return sb.toString();
    }
}
