package io.kmemlab.slab;

/**
 * A cache's STATS counters (CONFIG_DEBUG_SLAB), the {@code globalstat} and {@code cpustat}
 * columns of /proc/slabinfo. Kept always (plain increments); shown only under DEBUG_SLAB.
 */
final class SlabStats {
    /** Objects currently moved out of slabs (into arrays or to callers). */
    long numActive;
    /** listallocs: objects ever moved out of slabs by alloc_block. */
    long numAllocations;
    /** maxobjs: highest numActive. */
    long highMark;
    /** Slabs created. */
    long grown;
    /** Free slabs destroyed by the node reaper. */
    long reaped;
    /** error: the kernel's counter, which no path of the pinned version increments. */
    long errors;
    /** maxfreeable: most free slabs seen on a node at a flush. */
    long maxFreeable;
    /** nodeallocs: allocations for a specific other node (no node argument in kmemlab: 0). */
    long nodeAllocs;
    /** remotefrees: frees of objects of another node. */
    long nodeFrees;
    /** alienoverflow: alien arrays found full. */
    long nodeOverflow;

    long allochit;
    long allocmiss;
    long freehit;
    long freemiss;
}
