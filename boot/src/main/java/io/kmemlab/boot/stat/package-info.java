/**
 * {@code kmemlab stat}: the figures of {@code perf kmem stat} (tools/perf/builtin-kmem.c, perf
 * 6.1) computed from kmem trace text. {@link io.kmemlab.boot.stat.KmemStat} counts the events as
 * perf's handlers do, {@link io.kmemlab.boot.stat.KmemStatReport} prints perf's layout, and
 * {@link io.kmemlab.boot.stat.SortKey} holds its {@code -s} keys. No machine is booted: the stat
 * is a pure function of the trace's events.
 */
package io.kmemlab.boot.stat;
