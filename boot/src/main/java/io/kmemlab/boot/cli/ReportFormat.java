package io.kmemlab.boot.cli;

import io.kmemlab.boot.replay.ReplayStats;
import io.kmemlab.boot.replay.report.ReplayReport;
import io.kmemlab.boot.replay.source.TraceSummary;
import java.util.List;
import java.util.Locale;

/** {@code --report}: how replay and compare print their results. */
enum ReportFormat {
    /** The side-by-side table for people. */
    TABLE {
        @Override
        String render(TraceSummary trace, List<ReplayStats> runs) {
            return ReplayReport.table(trace, runs);
        }
    },
    /** The machine-readable report ({@code --json}). */
    JSON {
        @Override
        String render(TraceSummary trace, List<ReplayStats> runs) {
            return ReplayReport.json(trace, runs);
        }
    };

    abstract String render(TraceSummary trace, List<ReplayStats> runs);

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }

    static final class Converter extends CliEnum<ReportFormat> {
        Converter() {
            super(ReportFormat.class, "report format");
        }
    }
}
