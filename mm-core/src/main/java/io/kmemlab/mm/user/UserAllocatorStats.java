package io.kmemlab.mm.user;

import java.util.Map;

/**
 * The optional statistics face of a {@link UserAllocator}: what the real library prints about its
 * heap, byte for byte, so that boot's {@code --stats} can show it without compiling against the
 * allocator ({@code if (allocator instanceof UserAllocatorStats s) print(s.statsText())}). glibc
 * answers with malloc_stats, mallinfo2 and malloc_info; jemalloc with its {@code stats.*} mallctl
 * figures and {@code malloc_stats_print}. Printing may itself allocate, as the real printers do.
 */
public interface UserAllocatorStats {

    /**
     * What the library's own statistics call writes ({@code malloc_stats()} for glibc, to stderr;
     * {@code malloc_stats_print} in its text form for jemalloc).
     */
    String mallocStats();

    /**
     * What the recorder's {@code replay.c} prints after its op lines, byte for byte: for glibc the
     * {@code # mallinfo2 …} and {@code # brk_end_offset …} lines, then {@code malloc_info()} XML;
     * for jemalloc the {@code # stats.* N} lines, then {@code malloc_stats_print} JSON.
     */
    String statsText();

    /**
     * The library's headline figures by their own names, in the library's order (jemalloc:
     * {@code stats.allocated}, {@code stats.active}, {@code stats.metadata}, {@code stats.resident},
     * {@code stats.mapped}, {@code stats.retained}), as of now; empty if it has none.
     */
    default Map<String, Long> statsFigures() {
        return Map.of();
    }

    /**
     * The library's full statistics report as its own printer writes it with options {@code opts}
     * (jemalloc: "J" asks for JSON, "" for text); by default {@link #mallocStats()}.
     */
    default String statsPrint(String opts) {
        return mallocStats();
    }
}
