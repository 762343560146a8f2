/**
 * How a finished replay is shown: the side-by-side table, the JSON report and the charts, pure
 * functions of {@link io.kmemlab.boot.replay.ReplayStats} and the trace summary; and the HTML pages
 * of {@code kmemlab report} ({@link io.kmemlab.boot.replay.report.HtmlReport}) and {@code kmemlab
 * report malloc} ({@link io.kmemlab.boot.replay.report.MallocHtmlReport}), pure functions of the
 * runs and of what their probes captured: memory maps ({@link
 * io.kmemlab.boot.replay.report.MemoryMap}, with the processes' frames from {@link
 * io.kmemlab.boot.replay.report.UserFrames}), heap maps ({@link
 * io.kmemlab.boot.replay.report.HeapMap}) and slab layouts.
 */
package io.kmemlab.boot.replay.report;
