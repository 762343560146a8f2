package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.Symbols;
import java.util.List;

/**
 * The network-receive pattern: a buffer is allocated on the CPU that takes the interrupt and
 * freed on the CPU the socket's reader runs on. CPUs go in pairs: the first allocates packets (a
 * 256-byte skb head by kmalloc, or a page for the page configurations) into a ring of 256, the
 * second frees them: every free is a cross-CPU free. Each CPU does the options' operations. SLUB's goes to __slab_free (a cmpxchg on the slab, whose line
 * comes from the allocating CPU) and the allocator refills from the remotely freed objects; SLAB's
 * fills the freeing CPU's array cache, flushed to the node lists under n->list_lock while the
 * allocating CPU refills from them; the buddy allocator's frees go to the freeing CPU's pcp list,
 * flushed in batches under zone->lock while the allocating CPU's list refills under it. A single
 * CPU (or the odd last one) allocates and frees its own packets.
 */
public final class NetrxWorkload implements ContentionWorkload {
    static final List<String> CONFIGS = List.of("slub", "slab", "slob", PagesWorkload.PCP, PagesWorkload.NO_PCP);
    static final long DEFAULT_OPS = 20_000;
    static final int SKB_HEAD = 256;
    /** Packets a receive ring holds before the producer waits for its reader. */
    static final int RING = 256;

    @Override
    public String name() {
        return "netrx";
    }

    @Override
    public String description() {
        return "allocate on one CPU, free on the next (network receive): SLUB/SLAB/SLOB and buddy pcp/no-pcp";
    }

    @Override
    public List<String> configs() {
        return CONFIGS;
    }

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        SlabWorkload.checkConfig(this, config);
        boolean pages = config.startsWith("buddy");
        KernelMachine km =
                KernelMachine.boot(pages ? "slub" : config, threads, options, !config.equals(PagesWorkload.NO_PCP));
        SlabLayer slab = km.kernel.slab();
        PageAllocator pa = km.kernel.pageAllocator();
        Symbols symbols = km.machine.symbols();
        long allocSite = symbols.intern("__alloc_skb", 0x8a, 0x230);
        long freeSite = symbols.intern("skb_free_head", 0x5b, 0x90);
        long ops = options.opsPerThread() > 0 ? options.opsPerThread() : DEFAULT_OPS;
        // CPU 2p takes the interrupts and allocates, CPU 2p+1 runs the reader and frees; an odd
        // last CPU (or a single one) does both. ring[p]: what the producer of pair p allocated and
        // its consumer has not freed yet, at most RING entries (the receive ring).
        int pairs = (threads + 1) / 2;
        long[][] ring = new long[pairs][RING];
        long[] in = new long[pairs];
        long[] out = new long[pairs];
        long[] idle = {0};
        for (int t = 0; t < threads; t++) {
            int pair = t / 2;
            boolean both = t == threads - 1 && threads % 2 == 1;
            boolean producer = both || t % 2 == 0;
            boolean consumer = both || t % 2 == 1;
            long[] done = {0};
            String comm = producer && !both ? "irq/" + t + "-eth0" : "reader/" + t;
            int pid = 100 + t;
            km.spawn(comm, (th, steps) -> {
                int cpu = th.cpu();
                boolean canAlloc = producer && in[pair] < ops && in[pair] - out[pair] < RING;
                boolean canFree = consumer && out[pair] < in[pair];
                if (!canFree && !canAlloc) {
                    if ((producer && in[pair] < ops) || (consumer && out[pair] < ops)) {
                        // the ring is full or empty: poll again (not counted as an operation)
                        steps.work(KernelCosts.EMPTY_POLL);
                        idle[0]++;
                        return true;
                    }
                    return false;
                }
                km.current(cpu, comm, pid);
                boolean alloc = canAlloc && (!canFree || done[0] % 2 == 0);
                if (alloc) {
                    long buf;
                    if (pages) {
                        steps.work(KernelCosts.ALLOC_PAGE);
                        int pfn = pa.allocPages(cpu, Gfp.GFP_ATOMIC, 0);
                        if (pfn == PageFrames.NIL) {
                            throw new IllegalStateException("netrx: alloc_pages failed on CPU " + cpu);
                        }
                        buf = Addr.pfnToVirt(pfn);
                        steps.write(Addr.structPage(pfn));
                    } else {
                        SlabWorkload.opCost(config, cpu, steps);
                        buf = slab.kmalloc(cpu, SKB_HEAD, Gfp.GFP_ATOMIC, allocSite);
                        if (buf == 0) {
                            throw new IllegalStateException("netrx: kmalloc failed on CPU " + cpu);
                        }
                    }
                    // the driver fills the packet in
                    steps.write(buf);
                    ring[pair][(int) (in[pair]++ % RING)] = buf;
                } else {
                    long buf = ring[pair][(int) (out[pair]++ % RING)];
                    // the reader consumes the packet: its lines come from the allocating CPU
                    steps.read(buf);
                    if (pages) {
                        steps.work(KernelCosts.FREE_PAGE);
                        int pfn = Addr.virtToPfn(buf);
                        steps.write(Addr.structPage(pfn));
                        pa.freePages(cpu, pfn, 0);
                    } else {
                        SlabWorkload.opCost(config, cpu, steps);
                        steps.write(buf);
                        slab.kfree(cpu, buf, freeSite);
                    }
                }
                done[0]++;
                return true;
            });
        }
        ContentionRow r = km.finish(name(), config, threads, views);
        return new ContentionRow(
                r.config(),
                r.threads(),
                r.cpus(),
                r.ops() - idle[0],
                r.elapsed(),
                r.acquisitions(),
                r.contentions(),
                r.sleeps(),
                r.waitNs(),
                r.ownerSwitches());
    }
}
