/**
 * The trace reader side of {@code io.kmemlab.mm.trace}: what kmemlab emits (and what a Linux 4.x to
 * 6.18 kernel prints, in every text form of tracefs, trace-cmd report and perf script) it reads back.
 *
 * <pre>
 *  InputStream ──► LineReader ──► FtraceLineParser | MallocLabLineParser ──► TraceLine (flyweight)
 *   (plain; the      one 64 KiB      bytes in, fields out; words interned       reused per line
 *    caller unpacks  buffer          through ByteInterner, call sites into
 *    .gz/.xz)                        the machine's Symbols
 * </pre>
 *
 * {@link io.kmemlab.mm.trace.read.KmemTraceReader} ties them together and is the only class a
 * replay needs. Invariants: after the first sight of each distinct word (task, cache, symbol, GFP
 * text, event name) reading a line allocates nothing; every line is exactly one of
 * {@code EVENT}, {@code OTHER_EVENT}, {@code MALFORMED} (with a constant reason and its line
 * number), {@code NONE} (header, comment, blank) or {@code CACHE_DEFINITION} (kmemlab's own
 * {@code # kmemlab cache:} comment, read off the event-line path by {@code CacheCommentParser}); a line never makes the reader throw — only I/O
 * errors do. The tracepoint formats follow {@code include/trace/events/kmem.h} and the line prefix
 * {@code trace_print_context()} of Linux 6.18, with the older variants listed on
 * {@link io.kmemlab.mm.trace.read.FtraceLineParser}.
 */
package io.kmemlab.mm.trace.read;
