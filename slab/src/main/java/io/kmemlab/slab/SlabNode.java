package io.kmemlab.slab;

import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import io.kmemlab.mm.SpinLock;

/**
 * {@code struct kmem_cache_node}: one cache's slabs on one NUMA node, threaded through the head
 * pages' list links, plus the node's shared and alien arrays and its reap state.
 *
 * <pre>
 *  slabsPartial  some objects free (allocations take the head; frees append at the tail)
 *  slabsFull     no object free
 *  slabsFree     every object free (frees add at the head; shrinking takes the tail)
 * </pre>
 *
 * {@code freeObjects} counts the free objects on the three lists (objects in per-CPU, shared
 * and alien arrays are not free in this sense); {@code freeSlabs} the length of slabsFree.
 */
final class SlabNode {
    final int node;
    final PfnList slabsPartial;
    final PfnList slabsFull;
    final PfnList slabsFree;
    long totalSlabs;
    long freeSlabs;
    long freeObjects;
    long freeLimit;
    int colourNext;
    ArrayCache shared;
    /** alien[remote node]: objects of that node freed on this one; null without alien caches. */
    ArrayCache[] alien;
    /** Jiffies of the next node reap. */
    long nextReap;

    boolean freeTouched;
    /** n->list_lock: the slab lists and the shared array (the per-CPU arrays need none: irqs off). */
    final SpinLock listLock;

    SlabNode(int node, PageFrames frames, String cacheName) {
        this.node = node;
        this.listLock = new SpinLock(cacheName + ":list_lock:" + node, "&n->list_lock");
        this.slabsPartial = new PfnList(frames);
        this.slabsFull = new PfnList(frames);
        this.slabsFree = new PfnList(frames);
    }
}
