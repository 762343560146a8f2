import io.kmemlab.boot.lab.SlabPages;
import io.kmemlab.boot.lab.StudentSlab;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A student's simple slab allocator: per cache one freelist threaded through the free objects (the
 * next pointer in their first 8 bytes), slabs of the smallest order that holds an object, the
 * live objects remembered on the side to refuse double frees.
 */
public class Slab implements StudentSlab {
    private static final class Cache {
        int stride;
        int order;
        int perSlab;
        long freelist;
        final List<Long> slabs = new ArrayList<>();
        final Set<Long> live = new HashSet<>();
    }

    private SlabPages pages;
    private final List<Cache> caches = new ArrayList<>();

    @Override
    public boolean init(SlabPages pages) {
        this.pages = pages;
        return true;
    }

    @Override
    public int create(String name, int size, int align) {
        Cache c = new Cache();
        int a = Math.max(8, align);
        c.stride = (Math.max(size, 8) + a - 1) / a * a;
        while (((long) SlabPages.PAGE_SIZE << c.order) < c.stride) {
            c.order++;
        }
        c.perSlab = (SlabPages.PAGE_SIZE << c.order) / c.stride;
        caches.add(c);
        return caches.size() - 1;
    }

    @Override
    public long alloc(int cache) {
        Cache c = caches.get(cache);
        if (c.freelist == 0) {
            long slab = pages.allocPages(c.order);
            if (slab == 0) {
                return 0;
            }
            c.slabs.add(slab);
            for (int i = c.perSlab - 1; i >= 0; i--) {
                long obj = slab + (long) i * c.stride;
                pages.writeU64(obj, c.freelist);
                c.freelist = obj;
            }
        }
        long obj = c.freelist;
        c.freelist = pages.readU64(obj);
        c.live.add(obj);
        return obj;
    }

    @Override
    public boolean free(int cache, long obj) {
        Cache c = caches.get(cache);
        if (!c.live.remove(obj)) {
            return false;
        }
        pages.writeU64(obj, c.freelist);
        c.freelist = obj;
        return true;
    }

    @Override
    public void destroy(int cache) {
        Cache c = caches.get(cache);
        for (long slab : c.slabs) {
            pages.freePages(slab, c.order);
        }
        c.slabs.clear();
        c.freelist = 0;
    }
}
