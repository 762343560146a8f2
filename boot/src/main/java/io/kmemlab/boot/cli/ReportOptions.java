package io.kmemlab.boot.cli;

import java.nio.file.Path;
import java.util.function.LongSupplier;
import picocli.CommandLine.Option;

/** How {@code replay} and {@code compare} report (a picocli mixin). */
final class ReportOptions {
    // No defaultValue: picocli would apply it after --json has chosen JSON.
    @Option(
            names = "--report",
            paramLabel = "FMT",
            converter = ReportFormat.Converter.class,
            description = "The report: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    ReportFormat report = ReportFormat.TABLE;

    @Option(names = "--json", description = "Print the machine-readable report instead of the table (--report json).")
    void json(boolean on) {
        report = on ? ReportFormat.JSON : ReportFormat.TABLE;
    }

    @Option(names = "--no-timing", description = "Leave wall time and events/s out (reproducible output).")
    boolean noTiming;

    @Option(
            names = "--emit-trace",
            paramLabel = "FILE",
            description = "Write kmemlab's own kmem trace of the replay, with '# kmemlab cache:' comments "
                    + "giving each cache's creation arguments, so that replaying FILE reproduces this run "
                    + "(with several allocators, FILE gets the allocator name inserted: out.slub.txt).")
    Path emitTrace;

    @Option(names = "--dmesg", description = "After the report, print what each replay wrote to its kernel log.")
    boolean dmesg;

    /** The wall clock to time replays with: {@code ticker}, or none under {@code --no-timing}. */
    LongSupplier ticker(LongSupplier ticker) {
        return noTiming ? () -> 0 : ticker;
    }
}
