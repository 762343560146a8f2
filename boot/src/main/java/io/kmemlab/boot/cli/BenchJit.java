package io.kmemlab.boot.cli;

import java.util.List;

/**
 * The JIT flags kmemlab's measurements run with, one list for every harness: the {@code kmemlab}
 * launcher passes {@code bench-jit.args} (beside it, the same lines, checked by a test) to
 * {@code kmemlab bench}, the JMH forks append these constants, and {@code CpuTimeRounds} is started
 * with {@code java @bench-jit.args} (README). Other commands run on the client JIT alone, where
 * none of this applies.
 *
 * <ul>
 *   <li>{@link #INLINE_SMALL_CODE}: C2 inlines a callee it has already compiled only when that
 *       machine code is smaller than this; the page allocator's entry points compile to 2.6–3.3 KB,
 *       so at the default 2500 bytes whether they were inlined depended on compile order.
 *   <li>The {@code dontinline} directives keep SLUB's slow paths out of line, as the kernel keeps
 *       them (put_cpu_partial, discard_slab and virt_to_slab are functions of their own there):
 *       inlined, they made the compiled kmem_cache_free and kfree several kilobytes of machine
 *       code whose register pressure spilled the fast path's values (docs/benchmarks.md, issue 17:
 *       the kmem_cache batch 13 % faster without them). SLAB's cache_flusharray and
 *       cache_alloc_refill likewise (its kmem_cache batch 7 % faster). Java has no noinline a class
 *       may state about itself, so the harness states it.
 *   <li>{@link #QUIET}: without it each directive prints a line to standard output.
 * </ul>
 */
public final class BenchJit {
    public static final String INLINE_SMALL_CODE = "-XX:InlineSmallCode=4000";
    public static final String QUIET = "-XX:CompileCommand=quiet";
    public static final String SLUB_PUT_CPU_PARTIAL =
            "-XX:CompileCommand=dontinline,io.kmemlab.slub.SlubCache::putCpuPartial";
    public static final String SLUB_DISCARD_SLAB =
            "-XX:CompileCommand=dontinline,io.kmemlab.slub.SlubCache::discardSlab";
    public static final String SLUB_REMOVE_PARTIAL =
            "-XX:CompileCommand=dontinline,io.kmemlab.slub.SlubCache::removePartial";
    public static final String SLUB_LOOK_UP_OWNER =
            "-XX:CompileCommand=dontinline,io.kmemlab.slub.SlubAllocator::lookUpOwner";
    public static final String SLAB_CACHE_FLUSHARRAY =
            "-XX:CompileCommand=dontinline,io.kmemlab.slab.ClassicSlabCache::cacheFlusharray";
    public static final String SLAB_CACHE_ALLOC_REFILL =
            "-XX:CompileCommand=dontinline,io.kmemlab.slab.ClassicSlabCache::cacheAllocRefill";

    /** Every flag, in the order {@code bench-jit.args} lists them. */
    public static final List<String> ALL = List.of(
            INLINE_SMALL_CODE,
            QUIET,
            SLUB_PUT_CPU_PARTIAL,
            SLUB_DISCARD_SLAB,
            SLUB_REMOVE_PARTIAL,
            SLUB_LOOK_UP_OWNER,
            SLAB_CACHE_FLUSHARRAY,
            SLAB_CACHE_ALLOC_REFILL);

    private BenchJit() {}
}
