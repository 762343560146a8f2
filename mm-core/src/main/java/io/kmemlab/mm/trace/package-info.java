/**
 * The kmem tracepoints of Linux 6.18 ({@code include/trace/events/kmem.h}): one sealed family of
 * records ({@link io.kmemlab.mm.trace.KmemEvent}) printed exactly as TP_printk prints them, after
 * the ftrace context prefix ({@code comm-pid [cpu] flags seconds.micros: event: fields}).
 *
 * <p>{@link io.kmemlab.mm.trace.Tracer} holds the per-event enable flags ({@code trace_event=}
 * syntax with globs, the tracefs enable files) and the outputs: one SLF4J logger per event
 * ({@code kmemlab.trace.kmem.<event>}), sinks such as a trace file, and the ring behind
 * {@code /sys/kernel/tracing/trace}. A call site tests {@code on(type)} before it builds a record,
 * so a disabled event costs one array read. Pointers print raw by default (as with
 * {@code no_hash_pointers}) so that what kmemlab emits replays exactly; the reader side lives in
 * {@link io.kmemlab.mm.trace.read}. Sinks added with {@code addSink(sink, true)} (kmemlab's own
 * trace files) also get a {@link io.kmemlab.mm.trace.CacheDefinition} comment line per
 * kmem_cache_create, placed before the events the creation emitted, so that a replay recreates the
 * caches exactly; the ring and the loggers never carry comments.
 */
package io.kmemlab.mm.trace;
