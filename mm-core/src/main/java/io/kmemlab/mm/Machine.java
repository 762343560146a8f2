package io.kmemlab.mm;

import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.TraceFormat;
import io.kmemlab.mm.trace.Tracer;
import java.util.SplittableRandom;

/**
 * One emulated machine: everything the kernel keeps in globals is a field here, so every test
 * builds its own machine and nothing is shared between machines.
 *
 * <p>The machine owns the hardware-like model (frames, bytes, CPUs, clock, randomness) and the
 * kernel services every layer uses (dmesg, virtual files, tracer, symbols, node counters, the
 * jiffies of the clock and one RCU). An allocator never keeps a private copy of one. The
 * page allocator and the slab layer are attached during boot, bottom up.
 */
public final class Machine {
    private final MachineConfig config;
    private final PhysMem mem;
    private final PageFrames frames;
    private final VirtualClock clock = new VirtualClock();
    private final Rcu rcu;
    private final SplittableRandom random;
    private final Cpus cpus;
    private final Dmesg dmesg;
    private final VirtualFs vfs = new VirtualFs();
    private final Symbols symbols = new Symbols();
    private final KernelLocks locks = new KernelLocks();
    private final Tracer tracer;
    private final Overcommit overcommit;
    private final long[] vmEvents = new long[VmEvent.COUNT];
    private final long[] nodeStats = new long[NodeStat.COUNT];
    private final long[] globalStats = new long[GlobalStat.COUNT];
    private PageAllocator pageAllocator;

    public Machine(MachineConfig config) {
        this(config, config.nrFrames());
    }

    /**
     * A machine whose physical address space has {@code nrFrames} frames, which may exceed
     * {@code config.memBytes()} when the memory map has holes (boot's e820 map relocates the RAM
     * under the 3-4 GiB PCI hole above 4 GiB, so max_pfn is larger than mem / PAGE_SIZE).
     */
    public Machine(MachineConfig config, int nrFrames) {
        this.config = config;
        this.mem = new PhysMem(nrFrames);
        this.frames = new PageFrames(nrFrames);
        this.frames.initAll();
        this.random = new SplittableRandom(config.seed());
        this.cpus = new Cpus(config.nrCpus());
        this.rcu = new Rcu(clock, cpus);
        this.dmesg = new Dmesg(clock);
        this.tracer = new Tracer(cpus, clock, new TraceFormat(symbols, random.nextLong()));
        this.overcommit = new Overcommit(() -> pageAllocator().metric().managedPages(), dmesg);
    }

    public MachineConfig config() {
        return config;
    }

    public PhysMem mem() {
        return mem;
    }

    public PageFrames frames() {
        return frames;
    }

    public VirtualClock clock() {
        return clock;
    }

    /** The machine's RCU: every allocator's call_rcu, kfree_rcu and rcu_barrier go through it. */
    public Rcu rcu() {
        return rcu;
    }

    /** Overcommit accounting and the vm.overcommit_* sysctls (mm/util.c): meminfo's Committed_AS. */
    public Overcommit overcommit() {
        return overcommit;
    }

    /** A {@code vm_event_item} counter (/proc/vmstat). */
    public long vmEvent(VmEvent item) {
        return vmEvents[item.ordinal()];
    }

    public void countVmEvent(VmEvent item, long delta) {
        vmEvents[item.ordinal()] += delta;
    }

    /** The machine's seeded randomness; components take their own stream with {@code split()}. */
    public SplittableRandom random() {
        return random;
    }

    public Cpus cpus() {
        return cpus;
    }

    public Dmesg dmesg() {
        return dmesg;
    }

    public VirtualFs vfs() {
        return vfs;
    }

    public Symbols symbols() {
        return symbols;
    }

    /** The kernel's spinlocks, for lock statistics and the contention scheduler. */
    public KernelLocks locks() {
        return locks;
    }

    public Tracer tracer() {
        return tracer;
    }

    public int nrFrames() {
        return frames.nrFrames();
    }

    public PageAllocator pageAllocator() {
        if (pageAllocator == null) {
            throw new IllegalStateException("no page allocator yet: the machine has not booted");
        }
        return pageAllocator;
    }

    public void setPageAllocator(PageAllocator pageAllocator) {
        this.pageAllocator = pageAllocator;
    }

    public long nodeStat(NodeStat item) {
        return nodeStats[item.ordinal()];
    }

    public void addNodeStat(NodeStat item, long delta) {
        nodeStats[item.ordinal()] += delta;
    }

    public long globalStat(GlobalStat item) {
        return globalStats[item.ordinal()];
    }

    public void addGlobalStat(GlobalStat item, long delta) {
        globalStats[item.ordinal()] += delta;
    }
}
