/**
 * The kmem tracepoints of Linux 6.18 ({@code include/trace/events/kmem.h}): one sealed family of
 * records ({@link io.kmemlab.mm.trace.KmemEvent}) printed exactly as TP_printk prints them, after
 * the ftrace context prefix ({@code comm-pid [cpu] flags seconds.micros: event: fields}).
 *
 * <p>{@link io.kmemlab.mm.trace.EventType} is the event-class table, our
 * {@code DECLARE_EVENT_CLASS}: per event its name, class, fields in print order and the fields a
 * reader requires; {@link io.kmemlab.mm.trace.TraceField} gives each field's key and how its value
 * prints. The writer prints an event by walking its fields (a record only answers each field's
 * value), and the parser in {@link io.kmemlab.mm.trace.read} takes its key table, required keys and
 * "missing key=" reasons from the same table, so writer and reader cannot drift.
 *
 * <pre>
 *  EventType ─ fields, required ─┬─► KmemEvent.appendFields (writer)
 *  TraceField ─ key, format ─────┴─► FtraceLineParser keys, required masks (reader)
 * </pre>
 *
 * <p>{@link io.kmemlab.mm.trace.Tracer} holds the per-event enable flags ({@code trace_event=}
 * syntax with globs, {@link io.kmemlab.mm.trace.Tracer#check} before anything changes, and
 * {@code try (Tracer.Muted m = tracer.mute())} for work the traced kernel did before the capture),
 * its tracefs files ({@code trace}, {@code set_event}, {@code events/kmem/<event>/enable}, registered
 * by {@link io.kmemlab.mm.trace.Tracer#registerFiles}), and the outputs: one SLF4J logger per event
 * ({@code kmemlab.trace.kmem.<event>}), sinks such as a trace file, and the per-CPU ring buffers
 * ({@link io.kmemlab.mm.trace.TraceRing}) behind {@code trace} and {@code trace_pipe}, printed by
 * {@link io.kmemlab.mm.trace.TraceText} under the {@link io.kmemlab.mm.trace.TraceOptions} when
 * read (hash-ptr on, as the kernel's). A call site tests {@code on(type)} before it builds a record,
 * so a disabled event costs one array read. In sinks pointers print raw (as with
 * {@code no_hash_pointers}) so that what kmemlab emits replays exactly. Sinks added with
 * {@code addSink(sink, true)} (kmemlab's own trace files) also get a
 * {@link io.kmemlab.mm.trace.CacheDefinition} comment line per kmem_cache_create, placed before the
 * events the creation emitted, so that a replay recreates the caches exactly; the ring and the
 * loggers never carry comments.
 *
 * <p>{@link io.kmemlab.mm.trace.Symbols} is the kallsyms: it owns the call-site slots (one 64 KiB
 * slot of synthetic text per function). The parser asks it for a slot by name and size; a machine
 * replaying call sites read against another table takes that table's slots by name and size, so no
 * address is printed as {@code %pS} text to be parsed back.
 */
package io.kmemlab.mm.trace;
