package io.kmemlab.mm.user;

import java.util.Map;

/**
 * An optional face of a {@link UserAllocator} that keeps its library's own statistics, so boot can
 * print {@code --stats} without compiling against the allocator: {@code if (a instanceof
 * UserAllocatorStats s)}. jemalloc answers with its {@code stats.*} mallctl figures and
 * {@code malloc_stats_print}; another allocator may answer with its own (glibc's mallinfo2 and
 * malloc_info).
 */
public interface UserAllocatorStats {

    /**
     * The library's headline figures by their own names, in the library's order (jemalloc:
     * {@code stats.allocated}, {@code stats.active}, {@code stats.metadata}, {@code stats.resident},
     * {@code stats.mapped}, {@code stats.retained}), as of now.
     */
    Map<String, Long> statsFigures();

    /**
     * The library's full statistics report as its own printer writes it (jemalloc:
     * {@code malloc_stats_print(…, opts)}, where opts "J" asks for JSON and "" for text). Printing may
     * itself allocate, as the real printer does.
     */
    String statsPrint(String opts);
}
