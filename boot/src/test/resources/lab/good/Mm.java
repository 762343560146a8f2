import io.kmemlab.boot.lab.StudentMalloc;
import io.kmemlab.mm.user.UserSpace;

/**
 * A correct student allocator for the lab kit's tests: an implicit free list (an 8-byte header of
 * size | allocated bit before each 16-aligned payload), first fit, splitting, and coalescing of
 * free neighbours as the search walks over them.
 */
public class Mm implements StudentMalloc {
    private UserSpace mem;
    private long first;
    private long end;

    @Override
    public boolean init(UserSpace mem) {
        this.mem = mem;
        long base = mem.startBrk();
        first = base + 8;
        end = first;
        return mem.brk(first) == first;
    }

    private static long need(long size) {
        return Math.max(16, (size + 8 + 15) & -16L);
    }

    @Override
    public long malloc(long size) {
        long need = need(size);
        for (long b = first; b < end; ) {
            long h = mem.readU64(b);
            long sz = h & -16L;
            if ((h & 1) == 0) {
                while (b + sz < end && (mem.readU64(b + sz) & 1) == 0) {
                    sz += mem.readU64(b + sz) & -16L;
                }
                if (sz >= need) {
                    if (sz - need >= 16) {
                        mem.writeU64(b + need, sz - need);
                        sz = need;
                    }
                    mem.writeU64(b, sz | 1);
                    return b + 8;
                }
                mem.writeU64(b, sz);
            }
            b += sz;
        }
        long b = end;
        if (mem.brk(end + need) != end + need) {
            return 0;
        }
        end += need;
        mem.writeU64(b, need | 1);
        return b + 8;
    }

    @Override
    public void free(long ptr) {
        if (ptr != 0) {
            mem.writeU64(ptr - 8, mem.readU64(ptr - 8) & ~1L);
        }
    }

    @Override
    public long realloc(long ptr, long size) {
        if (ptr == 0) {
            return malloc(size);
        }
        if (size == 0) {
            free(ptr);
            return 0;
        }
        long sz = mem.readU64(ptr - 8) & -16L;
        if (need(size) <= sz) {
            return ptr;
        }
        long q = malloc(size);
        if (q != 0) {
            mem.copy(q, ptr, sz - 8);
            free(ptr);
        }
        return q;
    }
}
