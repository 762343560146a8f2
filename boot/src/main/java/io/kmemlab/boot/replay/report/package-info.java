/**
 * How a finished replay is shown: the side-by-side table, the JSON report and the charts. Pure
 * functions of {@link io.kmemlab.boot.replay.ReplayStats} and the trace summary.
 */
package io.kmemlab.boot.replay.report;
