/**
 * User-space allocators on a booted kernel: {@code kmemlab malloc replay}, {@code compare} and the
 * shell's {@code malloc}/{@code free}/{@code heap}.
 *
 * <pre>
 *   trace file ──MallocTraceFiles (plain/gzip/xz, format detected)──▶ MallocTrace (checked once)
 *        │                                                              │ every allocator
 *        ▼                                                              ▼
 *   UserAllocators (ServiceLoader, NAME:KEY=VALUE specs) ──▶ MallocRun: spawn a process on the
 *        kernel, create the allocator in it, MallocReplayer applies the ops (brk and mmap are the
 *        process model's: faults, RSS, page tables), HeapSeries samples heap and RSS, the process
 *        exits ──▶ MallocFigures ──▶ MallocMetric rows ──▶ MallocReport (table, JSON), MallocChart
 * </pre>
 *
 * Boot never imports module malloc: the allocators are {@link io.kmemlab.mm.user.UserAllocator}s
 * found by name, and what the reports show comes from {@link io.kmemlab.mm.user.UserHeapMetric}
 * and the process's counters, never from a view's text. Counts (system calls, faults, virtual time)
 * run from before the allocator's creation to the end of the trace. Each run has a process of its
 * own, which exits at the end, so runs on one kernel do not see each other's pages.
 */
package io.kmemlab.boot.malloc;
