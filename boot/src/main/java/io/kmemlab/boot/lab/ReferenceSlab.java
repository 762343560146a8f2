package io.kmemlab.boot.lab;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The booted kernel's slab allocator (SLUB by default, Linux 6.18's mm/slub.c) behind the student
 * interface: the reference solution of the slab level. Its caches are created unmergeable
 * (SLAB_NO_MERGE), so each is its own; it takes its pages from the kernel's page allocator itself,
 * not through the check's {@link SlabPages}, so it is measured through its own slabs ({@link
 * SlabFootprint}: the cache's slab count and the slab page a PFN belongs to) and its accesses are
 * not counted.
 */
final class ReferenceSlab implements StudentSlab, SlabFootprint {
    private final SlabLayer slab;
    private final Machine machine;
    private final List<KmemCache> caches = new ArrayList<>();
    private final long callSite;

    ReferenceSlab(SlabLayer slab) {
        this.slab = slab;
        this.machine = slab.machine();
        this.callSite = machine.symbols().intern("lab_check", 0, 0x40);
    }

    @Override
    public boolean init(SlabPages pages) {
        return true;
    }

    @Override
    public int create(String name, int size, int align) {
        KmemCache c = slab.kmemCacheCreate(name, size, align, SlabFlags.NO_MERGE, null, 0, 0, -1);
        if (c == null) {
            return -1;
        }
        caches.add(c);
        return caches.size() - 1;
    }

    @Override
    public long alloc(int cache) {
        return slab.kmemCacheAlloc(0, caches.get(cache), Gfp.GFP_KERNEL, callSite);
    }

    @Override
    public boolean free(int cache, long obj) {
        return slab.kmemCacheFree(0, caches.get(cache), obj, callSite);
    }

    @Override
    public void destroy(int cache) {
        slab.kmemCacheDestroy(caches.get(cache));
        caches.set(cache, null);
    }

    @Override
    public long pages() {
        long n = 0;
        for (KmemCache c : caches) {
            if (c != null) {
                n += c.impl().metric().numSlabs() * c.impl().metric().pagesPerSlab();
            }
        }
        return n;
    }

    @Override
    public long[] blockOf(long addr) {
        if (!Addr.isDirectMap(addr, machine.nrFrames())) {
            return null;
        }
        PageFrames f = machine.frames();
        int head = f.slabHead(Addr.virtToPfn(addr));
        if (head == PageFrames.NIL) {
            return null;
        }
        long start = Addr.pfnToVirt(head);
        int order = f.test(head, PageFrames.PG_HEAD) ? f.order(head) : 0;
        return new long[] {start, start + ((long) Addr.PAGE_SIZE << order)};
    }
}
