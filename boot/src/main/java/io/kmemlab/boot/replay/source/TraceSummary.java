package io.kmemlab.boot.replay.source;

import java.util.Map;

/**
 * What the input was, for the {@code "trace"} part of reports.
 *
 * @param lines input lines (all kinds)
 * @param nonEventLines header, comment and blank lines
 * @param cpus CPUs the trace was recorded on, or -1 if it does not say
 * @param otherEvents events of other tracepoints by name
 */
public record TraceSummary(
        String name, String format, long lines, long nonEventLines, int cpus, Map<String, Long> otherEvents) {}
