package io.kmemlab.mm.user;

/**
 * The optional statistics face of a {@link UserAllocator}: the text the real library prints about
 * its heap, byte for byte, so that boot's {@code --stats} can show it without compiling against the
 * allocator ({@code if (allocator instanceof UserAllocatorStats s) print(s.statsText())}).
 */
public interface UserAllocatorStats {

    /**
     * What the library's own statistics call writes ({@code malloc_stats()} for glibc, to stderr;
     * {@code malloc_stats_print} for jemalloc).
     */
    String mallocStats();

    /**
     * What the recorder's {@code replay.c} prints after its op lines, byte for byte: for glibc the
     * {@code # mallinfo2 …} and {@code # brk_end_offset …} lines, then {@code malloc_info()} XML.
     */
    String statsText();
}
