package io.kmemlab.mm.user;

import java.util.HashMap;
import java.util.Map;

/**
 * The heap as its chunks, for the heap map of {@code kmemlab report malloc}: every chunk of the
 * allocator's heap in address order with what it is now — in use, free on a named list (glibc's
 * tcache, fastbins and bins; a free-list allocator's list), the top chunk (the untouched tail a
 * brk heap grows from), or the allocator's own metadata kept inside the heap. A read-only walk of
 * the allocator's state; an allocator supplies it through {@link UserAllocator#heapChunks()}, and
 * one with a {@link HeapView} gets {@link #of(HeapView)} by default.
 */
public interface HeapChunks {
    /** What a chunk is. */
    enum Kind {
        ALLOCATED("allocated"),
        FREE("free"),
        TOP("top"),
        METADATA("metadata");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Visits the chunks in address order. */
    void forEachChunk(ChunkVisitor visitor);

    /** One chunk. */
    @FunctionalInterface
    interface ChunkVisitor {
        /**
         * @param addr the chunk's first byte (its header, where it has one)
         * @param size its bytes, header included
         * @param kind what it is
         * @param list for a free chunk the list it is on ("tcache", "small bin", "list 0" …), for
         *     metadata what it is ("tcache_perthread_struct"), for an allocated chunk how it was
         *     allocated where that differs ("mmapped"), else the empty string
         */
        void chunk(long addr, long size, Kind kind, String list);
    }

    /**
     * The chunks of a {@link HeapView}: its blocks, in use or free on the list {@link
     * HeapView#forEachFree} names ({@code "free list"} for an allocator with one list, {@code
     * "list N"} for several).
     */
    static HeapChunks of(HeapView view) {
        return visitor -> {
            Map<Long, Integer> lists = new HashMap<>();
            int[] most = {0};
            view.forEachFree((list, addr, size) -> {
                lists.put(addr, list);
                most[0] = Math.max(most[0], list);
            });
            String[] names = new String[most[0] + 1];
            for (int i = 0; i < names.length; i++) {
                names[i] = names.length == 1 ? "free list" : "list " + i;
            }
            view.forEachBlock((addr, size, allocated, payload) -> {
                if (allocated) {
                    visitor.chunk(addr, size, Kind.ALLOCATED, "");
                } else {
                    Integer l = lists.get(addr);
                    visitor.chunk(addr, size, Kind.FREE, l == null ? "not on a list" : names[l]);
                }
            });
        };
    }
}
