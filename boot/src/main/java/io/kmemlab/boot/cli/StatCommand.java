package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.stat.KmemStat;
import io.kmemlab.boot.stat.KmemStatReport;
import io.kmemlab.boot.stat.SortKey;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kmemlab stat TRACE [--slab] [--page] [--caller] [--alloc] [-s KEYS] [-l N] [--live]
 * [--raw-ip]}: what {@code perf kmem stat} prints for the same events, read from trace text
 * instead of a perf.data file (see {@link KmemStat} for what is counted).
 *
 * <p>As in perf, the options act in the order given: {@code -s} sorts the page tables if
 * {@code --page} came after {@code --slab} (or alone), else the slab tables, and of those the
 * call-site table if {@code --caller} came after {@code --alloc}, else the per-pointer table;
 * {@code -l} limits the table named last in the same way. picocli calls the option methods in
 * command-line order, which is what makes that work.
 */
@Command(
        name = "stat",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Print what 'perf kmem stat' prints for a kmem trace: bytes requested, allocated and "
                    + "freed, internal fragmentation, cross-CPU allocations, per-call-site and per-pointer "
                    + "tables (--slab, the default), and the page allocator's summary, order × migrate-type "
                    + "table and per-call-site / per-page tables (--page).",
            "The trace is ftrace text (tracefs trace or trace_pipe, trace-cmd report), plain, .gz or .xz, "
                    + "or - for standard input. Options act in the order given, as perf's do: -s and -l apply "
                    + "to the table chosen by the last of --slab/--page and of --caller/--alloc.",
        },
        footer = {
            "",
            "Call sites order by symbol and offset (perf orders them by address, which trace text does not "
                    + "carry); --raw-ip prints kmemlab's address for the symbol. Numbers print without digit "
                    + "grouping, as perf does in the C locale.",
            "",
            "Exit status: 0 printed, 1 trace rejected or without events of the kind asked for, 2 usage error.",
        })
final class StatCommand implements Callable<Integer> {
    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TRACE", description = "The trace file (- is standard input).")
    String trace;

    private int kmemSlab;
    private int kmemPage;
    private int callerFlag;
    private int allocFlag;
    private int callerLines = -1;
    private int allocLines = -1;
    private final List<SortKey.Slab> slabCallerSort = new ArrayList<>();
    private final List<SortKey.Slab> slabAllocSort = new ArrayList<>();
    private final List<SortKey.Page> pageCallerSort = new ArrayList<>();
    private final List<SortKey.Page> pageAllocSort = new ArrayList<>();

    @Option(names = "--live", description = "Page tables show the pages still allocated at the end.")
    boolean live;

    @Option(names = "--raw-ip", description = "Call sites as addresses instead of symbol+offset.")
    boolean rawIp;

    @Option(names = "--slab", description = "Analyze the slab allocator (the default).")
    void slab(boolean on) {
        kmemSlab = kmemPage + 1;
    }

    @Option(names = "--page", description = "Analyze the page allocator.")
    void page(boolean on) {
        kmemPage = kmemSlab + 1;
    }

    @Option(names = "--caller", description = "Show per-call-site statistics.")
    void caller(boolean on) {
        callerFlag = allocFlag + 1;
    }

    @Option(names = "--alloc", description = "Show per-allocation statistics.")
    void alloc(boolean on) {
        allocFlag = callerFlag + 1;
    }

    @Option(
            names = {"-s", "--sort"},
            paramLabel = "KEYS",
            description = "Sort by keys: ptr, callsite, bytes, hit, pingpong, frag (slab); "
                    + "page, callsite, bytes, hit, order, migtype, gfp (page).")
    void sort(String keys) {
        try {
            if (kmemPage > kmemSlab) {
                (callerFlag > allocFlag ? pageCallerSort : pageAllocSort).addAll(SortKey.page(keys));
            } else {
                (callerFlag > allocFlag ? slabCallerSort : slabAllocSort).addAll(SortKey.slab(keys));
            }
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    @Option(
            names = {"-l", "--line"},
            paramLabel = "N",
            description = "Show N lines.")
    void line(int n) {
        if (callerFlag > allocFlag) {
            callerLines = n;
        } else {
            allocLines = n;
        }
    }

    @Override
    public Integer call() {
        boolean slab = kmemSlab > 0 || kmemPage == 0;
        boolean page = kmemPage > 0;
        TraceFileSource source;
        try {
            source = TraceFileSource.of(trace, null);
        } catch (TraceRejectedException e) {
            main.err().println("kmemlab stat: " + e.getMessage());
            return Main.EXIT_SCRIPT_FAILED;
        }
        Symbols symbols = new Symbols();
        KmemStat stat = new KmemStat(live);
        long malformed = 0;
        long events = 0;
        TraceLine first = null;
        try (EventSource.Stream s = source.open(symbols)) {
            TraceLine l = new TraceLine();
            while (s.next(l)) {
                if (l.kind() == TraceLine.Kind.MALFORMED) {
                    if (malformed++ == 0) {
                        first = new TraceLine().copyFrom(l);
                    }
                    continue;
                }
                if (l.kind() == TraceLine.Kind.EVENT || l.kind() == TraceLine.Kind.OTHER_EVENT) {
                    events++;
                }
                stat.accept(l);
            }
        } catch (IOException e) {
            main.err().println("kmemlab stat: " + source.name() + ": " + TraceFileSource.describe(e));
            return Main.EXIT_SCRIPT_FAILED;
        }
        if (malformed > 0) {
            main.err()
                    .printf(
                            "kmemlab stat: %s: %d malformed line%s skipped (first: line %d: %s)%n",
                            source.name(), malformed, malformed == 1 ? "" : "s", first.lineNo(), first.reason());
            if (malformed > events) {
                main.err()
                        .println("kmemlab stat: " + source.name() + ": most event lines are malformed; not a "
                                + "trace kmemlab reads");
                return Main.EXIT_SCRIPT_FAILED;
            }
        }
        String missing = slab && stat.slabEvents() == 0 ? "slab" : page && stat.pageEvents() == 0 ? "page" : null;
        if (missing != null) {
            main.err()
                    .printf(
                            "kmemlab stat: %s: no %s allocation events found (%s)%n",
                            source.name(),
                            missing,
                            missing.equals("slab")
                                    ? "kmalloc, kmem_cache_alloc, kfree, kmem_cache_free"
                                    : "mm_page_alloc, mm_page_free");
            return Main.EXIT_SCRIPT_FAILED;
        }
        KmemStatReport.Options o = new KmemStatReport.Options(
                slab,
                page,
                callerFlag > 0,
                allocFlag > 0,
                orDefault(slabCallerSort, KmemStatReport.Options.DEFAULT_SLAB_SORT),
                orDefault(slabAllocSort, KmemStatReport.Options.DEFAULT_SLAB_SORT),
                orDefault(pageCallerSort, KmemStatReport.Options.DEFAULT_PAGE_SORT),
                orDefault(pageAllocSort, KmemStatReport.Options.DEFAULT_PAGE_SORT),
                callerLines,
                allocLines,
                live,
                rawIp);
        main.out().print(KmemStatReport.format(stat, symbols, o));
        main.out().flush();
        return Main.EXIT_OK;
    }

    private static <T> List<T> orDefault(List<T> given, List<T> dflt) {
        return given.isEmpty() ? dflt : List.copyOf(given);
    }
}
