package io.kmemlab.boot.lab;

/** Where a slab allocator's pages are, as the slab check measures them. */
interface SlabFootprint {
    /** Pages held now. */
    long pages();

    /** {start, end} of the held block (a slab) holding {@code addr}, or null. */
    long[] blockOf(long addr);
}
