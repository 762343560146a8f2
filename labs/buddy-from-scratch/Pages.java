import io.kmemlab.boot.lab.PageMemory;
import io.kmemlab.boot.lab.StudentPages;
import java.util.List;

/**
 * Your physical page allocator, in the shape of ucore's pmm_manager (kern/mm/pmm.h): init,
 * init_memmap, alloc_pages, free_pages, nr_free_pages and your own check. Frames are named by
 * their frame number (PFN, an int). The starter only counts frames: alloc_pages and free_pages are
 * yours to write (a first fit with coalescing, a buddy allocator, ...).
 *
 * Keep your per-frame state where a kernel keeps it: in `mem`, one struct page per frame (flags,
 * property, next, prev, as ucore's struct Page), and in the bytes of free frames (readU64 and
 * writeU64, as xv6 keeps its free list in the free pages). A few fields of your own (list heads,
 * counters) are fine. Every access through `mem` costs virtual time, which `lab score` reports.
 * Touching a frame outside the ranges init_memmap gave you, or the bytes of a frame you handed out,
 * is stopped and reported, as is a call that never returns.
 */
public class Pages implements StudentPages {
    private PageMemory mem;
    private long nrFree;

    /** init: called once, first. Nothing is free yet. */
    @Override
    public void init(PageMemory mem) {
        this.mem = mem;
    }

    /**
     * init_memmap: frames [base, base + n) are free from now on. Called once per range; ranges do
     * not overlap and need not be aligned or contiguous with each other. Put the frames on your free
     * list(s) here.
     */
    @Override
    public void initMemmap(int base, int n) {
        nrFree += n;
    }

    /**
     * alloc_pages: n contiguous free frames; return the PFN of the first. Return NO_PAGE when n is
     * 0, or when no free run is large enough — but never while a naturally aligned run of free
     * frames of n rounded up to a power of two exists (requests up to 1024 frames): that is what
     * coalescing on free is for. You may round n up (a buddy allocator does); the slack then counts
     * as allocated in nr_free_pages.
     */
    @Override
    public int allocPages(int n) {
        throw new UnsupportedOperationException("alloc_pages is not implemented yet");
    }

    /**
     * free_pages: give back the block alloc_pages(n) returned at base, and merge it with free
     * neighbours. Refuse anything else — a block already freed (a double free), a frame inside a
     * block, a frame you never handed out, a wrong n: return false and change nothing.
     */
    @Override
    public boolean freePages(int base, int n) {
        throw new UnsupportedOperationException("free_pages is not implemented yet");
    }

    /** nr_free_pages: how many frames are free now. */
    @Override
    public long nrFreePages() {
        return nrFree;
    }

    /** check: your own consistency checker; one line per problem (lab check prints them). */
    @Override
    public List<String> check() {
        return List.of();
    }
}
