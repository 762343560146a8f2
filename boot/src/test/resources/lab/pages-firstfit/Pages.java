import io.kmemlab.boot.lab.PageMemory;
import io.kmemlab.boot.lab.StudentPages;
import java.util.ArrayList;
import java.util.List;

/**
 * A student's first fit (ucore's default_pmm in spirit): an address-ordered list of free blocks
 * threaded through the struct pages of their heads, split from the front, coalesced on free. It
 * hands out exactly n frames (no rounding), which the check's model must accept.
 */
public class Pages implements StudentPages {
    private static final int FREE_HEAD = 1;
    private static final int ALLOC_HEAD = 2;
    private static final int NIL = -1;

    private PageMemory mem;
    private int head = NIL;
    private long nrFree;

    @Override
    public void init(PageMemory mem) {
        this.mem = mem;
    }

    @Override
    public void initMemmap(int base, int n) {
        insert(base, n);
    }

    @Override
    public int allocPages(int n) {
        if (n <= 0) {
            return NO_PAGE;
        }
        for (int p = head; p != NIL; p = mem.next(p)) {
            int size = mem.property(p);
            if (size >= n) {
                int prev = mem.prev(p);
                int next = mem.next(p);
                if (size > n) {
                    int rest = p + n;
                    mem.setFlags(rest, FREE_HEAD);
                    mem.setProperty(rest, size - n);
                    link(prev, rest, next);
                } else {
                    link(prev, NIL, next);
                }
                mem.setFlags(p, ALLOC_HEAD);
                mem.setProperty(p, n);
                nrFree -= n;
                return p;
            }
        }
        return NO_PAGE;
    }

    /** Puts {@code mid} between prev and next (or joins them if mid is NIL). */
    private void link(int prev, int mid, int next) {
        int after = mid == NIL ? next : mid;
        if (prev == NIL) {
            head = after;
        } else {
            mem.setNext(prev, after);
        }
        if (mid != NIL) {
            mem.setPrev(mid, prev);
            mem.setNext(mid, next);
        }
        if (next != NIL) {
            mem.setPrev(next, mid == NIL ? prev : mid);
        }
    }

    @Override
    public boolean freePages(int base, int n) {
        if (n <= 0 || mem.flags(base) != ALLOC_HEAD || mem.property(base) != n) {
            return false;
        }
        insert(base, n);
        return true;
    }

    private void insert(int base, int n) {
        nrFree += n;
        int prev = NIL;
        int next = head;
        while (next != NIL && next < base) {
            prev = next;
            next = mem.next(next);
        }
        mem.setFlags(base, FREE_HEAD);
        mem.setProperty(base, n);
        link(prev, base, next);
        if (next != NIL && base + n == next) {
            mem.setProperty(base, n + mem.property(next));
            mem.setFlags(next, 0);
            link(base, NIL, mem.next(next));
            mem.setNext(base, mem.next(next));
        }
        if (prev != NIL && prev + mem.property(prev) == base) {
            mem.setProperty(prev, mem.property(prev) + mem.property(base));
            mem.setFlags(base, 0);
            int after = mem.next(base);
            mem.setNext(prev, after);
            if (after != NIL) {
                mem.setPrev(after, prev);
            }
        }
    }

    @Override
    public long nrFreePages() {
        return nrFree;
    }

    @Override
    public List<String> check() {
        List<String> problems = new ArrayList<>();
        long sum = 0;
        for (int p = head; p != NIL; p = mem.next(p)) {
            sum += mem.property(p);
        }
        if (sum != nrFree) {
            problems.add("free list holds " + sum + " frames, nrFree says " + nrFree);
        }
        return problems;
    }
}
