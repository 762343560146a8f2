/**
 * Trace replay: run the kmem events of a real kernel (or of kmemlab itself, or of a malloc-lab
 * trace, or of a built-in workload) through SLAB, SLUB and SLOB on emulated machines, and report
 * what each allocator would have done.
 *
 * <pre>
 *  EventSource ──open()──► Stream ──TraceLine (one flyweight)──► ReplayEngine ──► ReplayStats
 *   TraceFileSource          KmemTraceReader (mm-core)            │ LongLongMap ptr → handle     │
 *     plain/.gz/.xz,         or Workload generator                │ LongLongMap pfn → pfn|order  │
 *     format detected                                             ▼                              ▼
 *   Workload (seeded)                              SlabLayer public API             ReplayReport (table,
 *                                                  (kmalloc, kfree, kmem_cache_*,    JSON), CompareChart
 *                                                  krealloc); PageAllocator with     (XChart PNG/SVG)
 *                                                  --page-events
 * </pre>
 *
 * <p>{@link io.kmemlab.boot.replay.Replayer} boots a fresh machine per allocator through a
 * {@link io.kmemlab.boot.replay.ReplayMachineFactory} (normally
 * {@link io.kmemlab.boot.replay.KernelReplayFactory}, i.e. {@code Kernel.boot}), reads the source
 * once into blocks of parsed lines ({@code EventBlock}, 4096 stored lines, recycled) and hands
 * each block to every machine's {@link io.kmemlab.boot.replay.ReplayEngine}: each event on the
 * CPU the trace names ({@code Cpus.setCurrent} with its comm and pid), the virtual clock set from
 * its timestamp, then the public slab API call the traced kernel's caller made. Call sites are
 * parsed into the reader's own kallsyms and re-interned into each machine's on first use. The
 * source is read and parsed on a thread of its own ({@code BlockPipeline}, a few recycled blocks)
 * while the engines replay the blocks already read, in reading order; compressed input is decoded
 * ahead on a further thread ({@code ReadAheadInputStream}).
 *
 * <p>Measuring the replay alone: {@link io.kmemlab.boot.replay.LoadedTrace} holds a whole trace
 * parsed into blocks in memory, so that {@code kmemlab bench replay}
 * ({@link io.kmemlab.boot.replay.BenchReplayCommand}) and the JMH {@code ReplayBench} can replay
 * the same blocks on fresh machines round after round and time only the loop of
 * {@code engine.apply}; the bench compares each round's timing-free JSON report with the first
 * round's, so the emulation's determinism is checked on every measurement.
 *
 * <p>Invariants, checked when a replay finishes:
 * <ul>
 *   <li>accounting: every event line is applied, skipped with exactly one
 *       {@link io.kmemlab.boot.replay.SkipReason}, or malformed (line number and reason):
 *       {@code applied + skipped + malformed == events read};
 *   <li>memory: the engine keeps O(live objects) entries; freed pointers are remembered (to
 *       recognise double frees) only until they outnumber live ones far, frees of unknown
 *       pointers add nothing;
 *   <li>nothing is allocated per applied event by the reader or the engine (reports and cache
 *       creation on first sight allocate, once);
 *   <li>determinism: no wall clock reaches the emulation; wall time is only measured around the
 *       loop for events/s and can be switched off ({@code --no-timing}).
 * </ul>
 *
 * <p>Rules the engine follows (and why): kfree(NULL) is applied as the kernel does it, a no-op
 * that is still traced; a free of a pointer never allocated in the trace was allocated before the
 * capture and is skipped as unmatched; a second free of the same pointer is reported to dmesg and
 * not applied; an allocation at a pointer that is still live means the trace lost that pointer's
 * free, so the old object is freed first; 6.18's doubled kmalloc event for large non-constant
 * sizes is applied once; mm_page_free_batched after mm_page_free of the same page (6.18's
 * free_unref_folios prints both) is applied once; page events are off by default because they
 * include the traced kernel's own slab pages; caches are created on first sight with a shape
 * ({@link io.kmemlab.boot.replay.CacheShape}) that gives SLUB's slot size the trace's
 * bytes_alloc, and their creation is kept out of an emitted trace.
 */
package io.kmemlab.boot.replay;
