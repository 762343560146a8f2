package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.sched.ContentionRow;
import java.util.List;

/**
 * N CPUs allocating and freeing order-0 pages at once through the buddy allocator: each CPU
 * allocates a burst of 1…64 pages then frees them, over and over. With per-CPU page lists most
 * operations stay on the CPU's own pcp list and zone->lock is taken once per batch (rmqueue_bulk,
 * free_pcppages_bulk); without them (zone_pcp_disable) every page goes through zone->lock.
 */
public final class PagesWorkload implements ContentionWorkload {
    static final String PCP = "buddy pcp";
    static final String NO_PCP = "buddy no-pcp";
    static final long DEFAULT_OPS = 20_000;
    static final int MAX_BURST = 64;

    @Override
    public String name() {
        return "pages";
    }

    @Override
    public String description() {
        return "N CPUs alloc_pages/__free_pages order 0 in bursts; buddy with and without per-CPU lists";
    }

    @Override
    public List<String> configs() {
        return List.of(PCP, NO_PCP);
    }

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        if (!config.equals(PCP) && !config.equals(NO_PCP)) {
            throw new IllegalArgumentException(
                    "pages has no configuration '" + config + "' (" + String.join(", ", configs()) + ")");
        }
        KernelMachine km = KernelMachine.boot("slub", threads, options, config.equals(PCP));
        PageAllocator pa = km.kernel.pageAllocator();
        long ops = options.opsPerThread() > 0 ? options.opsPerThread() : DEFAULT_OPS;
        for (int t = 0; t < threads; t++) {
            int[] held = new int[MAX_BURST];
            int[] state = {0, 0, 0}; // held count, burst, freeing
            long[] done = {0};
            String comm = "kworker/" + t;
            int pid = 100 + t;
            km.spawn(comm, (th, steps) -> {
                int cpu = th.cpu();
                if (done[0] >= ops && state[0] == 0) {
                    return false;
                }
                km.current(cpu, comm, pid);
                if (state[2] == 0 && done[0] < ops) {
                    if (state[0] == 0) {
                        state[1] = 1 + th.random().nextInt(MAX_BURST);
                    }
                    steps.work(KernelCosts.ALLOC_PAGE);
                    int pfn = pa.allocPages(cpu, Gfp.GFP_KERNEL, 0);
                    if (pfn == PageFrames.NIL) {
                        throw new IllegalStateException("pages: alloc_pages failed on CPU " + cpu);
                    }
                    // set_page_refcounted(): the struct page's line
                    steps.write(Addr.structPage(pfn));
                    held[state[0]++] = pfn;
                    if (state[0] == state[1]) {
                        state[2] = 1;
                    }
                } else {
                    steps.work(KernelCosts.FREE_PAGE);
                    int pfn = held[--state[0]];
                    steps.write(Addr.structPage(pfn));
                    pa.freePages(cpu, pfn, 0);
                    if (state[0] == 0) {
                        state[2] = 0;
                    }
                }
                done[0]++;
                return true;
            });
        }
        return km.finish(name(), config, threads, views);
    }
}
