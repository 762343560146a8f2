package io.kmemlab.boot.contention.kernel;

import io.kmemlab.boot.contention.ContentionOptions;
import io.kmemlab.boot.contention.ContentionWorkload;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.sched.ContentionRow;
import io.kmemlab.mm.sched.Steps;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.Symbols;
import java.util.List;

/**
 * N CPUs kmalloc and kfree at once, each in bursts of 1…64 objects of 32…512 bytes freed on the
 * CPU that allocated them, under SLUB, SLAB and SLOB — one machine per allocator, booted with
 * {@code slab=NAME} as {@code kmemlab compare} boots its columns. SLUB's fast paths are a
 * this_cpu_cmpxchg on the CPU's own kmem_cache_cpu (a local atomic, no lock) and it takes
 * n->list_lock only on its slow paths; SLAB's per-CPU array caches need no lock (irqs off) and it
 * takes n->list_lock once per batch refilled or flushed; SLOB takes slob_lock on every
 * operation.
 */
public final class SlabWorkload implements ContentionWorkload {
    static final List<String> ALLOCATORS = List.of("slub", "slab", "slob");
    static final long DEFAULT_OPS = 20_000;
    static final int MAX_BURST = 64;
    private static final int[] SIZES = {32, 64, 96, 128, 192, 256, 512};

    @Override
    public String name() {
        return "slab";
    }

    @Override
    public String description() {
        return "N CPUs kmalloc/kfree 32-512 bytes in bursts; SLUB vs SLAB vs SLOB";
    }

    @Override
    public List<String> configs() {
        return ALLOCATORS;
    }

    /** The allocator's own work per kmalloc or kfree outside its locks, and SLUB's local cmpxchg. */
    static void opCost(String allocator, int cpu, Steps steps) {
        switch (allocator) {
            case "slub" -> {
                steps.work(KernelCosts.SLUB_OP);
                steps.atomic(KernelMachine.perCpuLine(cpu, 0));
            }
            case "slab" -> steps.work(KernelCosts.SLAB_OP);
            default -> steps.work(KernelCosts.SLOB_OP);
        }
    }

    static void checkConfig(ContentionWorkload w, String config) {
        if (!w.configs().contains(config)) {
            throw new IllegalArgumentException(
                    w.name() + " has no configuration '" + config + "' (" + String.join(", ", w.configs()) + ")");
        }
    }

    @Override
    public ContentionRow run(String config, int threads, ContentionOptions options, StringBuilder views) {
        checkConfig(this, config);
        KernelMachine km = KernelMachine.boot(config, threads, options, true);
        SlabLayer slab = km.kernel.slab();
        Symbols symbols = km.machine.symbols();
        long allocSite = symbols.intern("kmalloc_test_alloc", 0x2a, 0x90);
        long freeSite = symbols.intern("kmalloc_test_free", 0x1c, 0x60);
        long ops = options.opsPerThread() > 0 ? options.opsPerThread() : DEFAULT_OPS;
        for (int t = 0; t < threads; t++) {
            long[] held = new long[MAX_BURST];
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
                opCost(config, cpu, steps);
                if (state[2] == 0 && done[0] < ops) {
                    if (state[0] == 0) {
                        state[1] = 1 + th.random().nextInt(MAX_BURST);
                    }
                    int size = SIZES[th.random().nextInt(SIZES.length)];
                    long obj = slab.kmalloc(cpu, size, Gfp.GFP_KERNEL, allocSite);
                    if (obj == 0) {
                        throw new IllegalStateException("slab: kmalloc(" + size + ") failed on CPU " + cpu);
                    }
                    // the caller initialises its object
                    steps.write(obj);
                    held[state[0]++] = obj;
                    if (state[0] == state[1]) {
                        state[2] = 1;
                    }
                } else {
                    long obj = held[--state[0]];
                    // the free pointer (SLUB), the array entry's object or SLOB's header
                    steps.write(obj);
                    slab.kfree(cpu, obj, freeSite);
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
