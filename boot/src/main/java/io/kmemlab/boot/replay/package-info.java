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
 * ahead on a further thread ({@code ReadAheadInputStream}). Where the JVM has more than one CPU,
 * each engine runs on a thread of its own and a block is recycled once every engine is done with
 * it; the machines share nothing but the read-only blocks, so the results are those of replaying
 * the allocators one after the other ({@code -Dkmemlab.replay.threads=1} does that). The input is
 * opened once ({@code TraceFileSource} probes the head of the same stream), so a FIFO, a pipe or
 * standard input ({@code -}) is read like a file.
 *
 * <p>Measuring the replay alone: {@link io.kmemlab.boot.replay.source.LoadedTrace} holds a whole trace
 * parsed into blocks in memory, so that {@code kmemlab bench replay}
 * ({@link io.kmemlab.boot.cli.BenchReplayCommand}) and the JMH {@code ReplayBench} can replay
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
 *       recognise double frees) and freed pfns (to recognise 6.18's batched duplicate) only
 *       until they outnumber live ones far, frees of unknown pointers and pfns add nothing;
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
 *
 * <p>kmemlab's own traces (written by {@code --emit-trace}, {@code ReplaySession.attachTrace})
 * also say how each cache was created, which no kernel tracepoint does, in an ftrace comment that
 * other tools skip ({@link io.kmemlab.mm.trace.CacheDefinition}):
 *
 * <pre>
 *  # kmemlab cache: name=task_struct size=9792 align=64 flags=0x00042000 ctor=0 useroffset=3056 usersize=160 freeptr_offset=-1 events=0
 * </pre>
 *
 * One is written for every cache on slab_caches when the trace starts, except the kmalloc caches
 * and the allocator's boot caches (every kernel makes its own), and one by
 * {@code SlabLayer.kmemCacheCreate} for every successful creation during the run, a new cache or
 * an alias, right before the {@code events} kmem lines the creation itself emitted (its descriptor
 * from {@code kmem_cache}, SLAB's per-CPU arrays, …; 0 for the replay's own creations, which are
 * silenced). The engine creates such a cache with {@code kmem_cache_create} and the recorded
 * arguments at the context (CPU, task, time) of the next event, as the recording did while
 * handling that event, and skips the {@code events} lines that follow
 * ({@link io.kmemlab.boot.replay.SkipReason#CACHE_CREATION}), since creating it repeats them. So
 * the caches merge as they did (an alias raises its root's object_size again), empty caches are
 * back in /proc/slabinfo, and the replay ends with the recording's slabinfo, buddyinfo and bytes;
 * its own emitted trace is the input again, line for line. A name the machine already has (a
 * boot cache, or one the recording destroyed and made again: the replay never destroys) is not
 * created again, and the lines after its comment are replayed as ordinary events; a definition
 * this kernel refuses (reported to dmesg by kmem_cache_create) leaves that cache to first sight
 * and CacheShape. A {@code # kmemlab cache:} line that cannot be read is malformed (counted, line number and reason) rather than skipped as a comment: kmemlab
 * wrote it for the replay, and dropping it would silently change the result. Caveat: a kernel's
 * kmem_cache_alloc prints the root cache's name and object_size, so a replay counts an alias's
 * allocations under the root's object_size, as perf kmem stat on that trace would.
 */
package io.kmemlab.boot.replay;
