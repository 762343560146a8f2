package io.kmemlab.boot;

import static io.kmemlab.mm.page.PageAllocator.MAX_PAGE_ORDER;

import io.kmemlab.boot.memblock.Memblock;
import io.kmemlab.boot.memblock.MemblockType;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Dmesg;
import io.kmemlab.mm.GlobalStat;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.ZonedPageAllocator;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.Tracer;
import io.kmemlab.proc.ProcConfig;
import io.kmemlab.proc.ProcessTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A booted emulated kernel: the machine, its memblock, the page allocator and the slab layer,
 * brought up in the order of an x86-64 Linux 6.18 boot ({@code setup_arch}, {@code mm_core_init},
 * {@code page_alloc_init_late}, {@code free_initmem}; see memblock.md §4):
 *
 * <ol>
 *   <li>the e820 map is printed and trimmed (page 0 reserved, 640K-1M removed), its RAM entries
 *       are added to memblock.memory and given node 0;
 *   <li>early reservations: the kernel image (RSRV_KERN), the first 64K, the BIOS regions and then
 *       the whole first 1 MiB (reserve_real_mode);
 *   <li>early allocations, top-down: NODE_DATA, the sparse mem_map (64 bytes per page in 2 MiB
 *       blocks per present 128 MiB section), the first per-CPU chunk, and the 64 MiB swiotlb
 *       below 4 GiB when RAM extends beyond it;
 *   <li>free_area_init: zone ranges, node ranges, holes, zones handed to the page allocator;
 *   <li>build_all_zonelists, memblock_free_all (free ranges as naturally aligned chunks of up to
 *       order 10), kmem_cache_init of the chosen slab allocator;
 *   <li>trace_event= enabled, "Memory:" line, init_per_zone_wmark_min, free_initmem;
 *   <li>/proc, debugfs and tracefs files registered.
 * </ol>
 *
 * The early boot is O(memory regions + chunks); only the hole frames are touched one by one.
 */
public final class Kernel {
    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);

    /** PAGES_PER_SECTION (SECTION_SIZE_BITS 27: 128 MiB sections). */
    public static final int PAGES_PER_SECTION = 1 << (27 - Addr.PAGE_SHIFT);
    /** section_map_size(): the mem_map of one section, PMD aligned. */
    public static final long SECTION_MAP_SIZE = 2L << 20;
    /** __pa(MAX_DMA_ADDRESS). */
    public static final long MAX_DMA_ADDRESS = 16L << 20;
    /** sizeof(pg_data_t) of the emulated kernel (NODE_DATA allocation). */
    public static final long PGDAT_SIZE = 0x2b000;
    /** MAX_ARCH_PFN on x86-64 with 4-level paging (1 << (46 - PAGE_SHIFT)). */
    public static final long MAX_ARCH_PFN = 0x400000000L;
    /** IO_TLB_DEFAULT_SIZE. */
    public static final long SWIOTLB_SIZE = 64L << 20;
    /** The first-chunk per-CPU sizes printed by "percpu: Embedded": static, reserved, dynamic. */
    public static final long PCPU_STATIC = 225280;

    public static final long PCPU_RESERVED = 8192;
    public static final long PCPU_DYNAMIC = 28672;
    /** PMD_SIZE: the per-CPU allocation atom on x86-64. */
    public static final long PCPU_ATOM = 2L << 20;

    private final BootParams params;
    private final Machine machine;
    private final Memblock memblock;
    private final List<E820.Entry> e820;
    private final KernelImage image;
    private Function<Machine, ZonedPageAllocator> pageAllocatorFactory;
    private ZonedPageAllocator pageAllocator;
    private SlabLayer slab;
    private String slabUnavailable;
    private final long[] zoneStart = new long[ZoneType.COUNT];
    private final long[] zoneEnd = new long[ZoneType.COUNT];
    private final long[] zonePresent = new long[ZoneType.COUNT];
    private long totalPages;
    private ProcessTable processes;
    private BootProgress progress = BootProgress.NONE;

    private Kernel(BootParams params, Machine machine, Memblock memblock, List<E820.Entry> e820) {
        this.params = params;
        this.machine = machine;
        this.memblock = memblock;
        this.e820 = e820;
        this.image = KernelImage.forMemory(params.memBytes());
    }

    /** Outcome of a boot: a kernel, or a user-facing message and the exit code (2). */
    public record BootResult(Kernel kernel, String error, int exitCode) {
        public boolean ok() {
            return kernel != null;
        }

        static BootResult failed(String message) {
            return new BootResult(null, message, 2);
        }
    }

    /** Boots with the standard components (buddy allocator, ServiceLoader slab allocators). */
    public static BootResult boot(List<String> words) {
        return boot(words, StandardComponents.get());
    }

    /** Boots from kernel command-line words with the given components. */
    public static BootResult boot(List<String> words, Components components) {
        return boot(words, components, BootProgress.NONE);
    }

    /** Boots from kernel command-line words, naming each phase to {@code progress}. */
    public static BootResult boot(List<String> words, Components components, BootProgress progress) {
        BootParams.Parsed parsed = BootParams.parse(words, components.wordClaims());
        if (!parsed.ok()) {
            return BootResult.failed(parsed.error());
        }
        return boot(parsed.params(), components, progress);
    }

    /** Boots from parsed parameters. */
    public static BootResult boot(BootParams params, Components components) {
        return boot(params, components, BootProgress.NONE);
    }

    /** Boots from parsed parameters, naming each phase to {@code progress}. */
    public static BootResult boot(BootParams params, Components components, BootProgress progress) {
        try {
            return bootPhases(params, components, progress);
        } finally {
            progress.phase(null);
        }
    }

    private static BootResult bootPhases(BootParams params, Components components, BootProgress progress) {
        List<E820.Entry> map = E820.pcLayout(params.memBytes());
        long maxPfn = E820.endOfRam(map) >>> Addr.PAGE_SHIFT;
        MachineConfig config = params.machineConfig();
        progress.phase(String.format(Locale.ROOT, "allocating the memory map (%,d page frames)", maxPfn));
        Machine machine = new Machine(config, (int) maxPfn);
        Memblock mb = Memblock.x86();
        Kernel k = new Kernel(params, machine, mb, map);
        k.progress = progress;
        SlabAllocator slabAllocator = null;
        SlabAllocatorProvider provider = components.slabProvider(params.slab());
        if (provider == null) {
            k.slabUnavailable = "slab allocator '" + params.slab() + "' is not available";
        } else {
            try {
                slabAllocator = provider.create(machine, params.allocatorWords());
            } catch (IllegalArgumentException e) {
                return BootResult.failed("kmemlab: " + e.getMessage());
            }
        }
        if (params.traceEvent() != null) {
            // Validate now (a bad word is a usage error); enable after kmem_cache_init, as the
            // kernel's early_enable_events runs after mm_core_init.
            String bad = Tracer.check(params.traceEvent());
            if (bad != null) {
                return BootResult.failed("kmemlab: invalid boot parameter 'trace_event=" + params.traceEvent()
                        + "' (no event matches '" + bad + "')");
            }
        }
        try {
            k.run(components, slabAllocator);
        } catch (BootPanic e) {
            k.machine.dmesg().err("Kernel panic - not syncing: " + e.getMessage());
            return BootResult.failed("kmemlab: the machine cannot boot with '" + params.commandLine()
                    + "': Kernel panic - not syncing: " + e.getMessage());
        }
        return new BootResult(k, null, 0);
    }

    // --- the boot sequence ------------------------------------------------------------------

    /**
     * An early allocation that cannot be satisfied: the kernel panics, kmemlab refuses the boot
     * words (a machine too small for what was asked, e.g. mem=16M nr_cpus=512). Caught in boot().
     */
    private static final class BootPanic extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BootPanic(String message) {
            super(message, null, false, false);
        }
    }

    private void info(String line) {
        machine.dmesg().info(line);
    }

    private void run(Components components, SlabAllocator slabAllocator) {
        pageAllocatorFactory = components.pageAllocator();
        Dmesg dmesg = machine.dmesg();
        if (params.memblockDebug()) {
            memblock.setDebug(dmesg::info);
        }
        memblock.setBacking((phys, size) -> {
            long end = Math.min(phys + size, (long) machine.nrFrames() << Addr.PAGE_SHIFT);
            if (end > phys) {
                machine.mem().fill(Addr.physToVirt(phys), 0, end - phys);
            }
        });
        info("Linux version 6.18.0-kmemlab (kmemlab@kmemlab) #1 SMP PREEMPT_DYNAMIC");
        info("Command line: " + params.commandLine());
        progress.phase("setup_arch: memblock, sparse memory map, zones");
        setupArch();
        long maxPfn = machine.nrFrames();
        info(String.format(
                Locale.ROOT,
                "setup_percpu: NR_CPUS:%d nr_cpumask_bits:%d nr_cpu_ids:%d nr_node_ids:1",
                MachineConfig.MAX_CPUS,
                params.nrCpus(),
                params.nrCpus()));
        setupPerCpuAreas();
        info("Kernel command line: " + params.commandLine());
        // mm_core_init
        info("Fallback order for Node 0: 0 ");
        totalPages = pageAllocator.buildZonelists();
        info("Built 1 zonelists, mobility grouping on.  Total pages: " + totalPages);
        info("mem auto-init: stack:all(zero), heap alloc:off, heap free:off");
        if (maxPfn > (E820.FOUR_G >>> Addr.PAGE_SHIFT)) {
            swiotlbInit();
        }
        progress.phase("memblock_free_all: freeing memory to the buddy allocator");
        memblockFreeAll();
        progress.phase("kmem_cache_init");
        if (slabAllocator != null) {
            slab = new SlabLayer(machine, slabAllocator);
            slab.init();
        }
        if (params.traceEvent() != null) {
            machine.tracer().enable(params.traceEvent());
        }
        // smp_init, initcalls before page_alloc_init_late take the clock past the first 100 ms.
        machine.clock().advance(150_000_000L + 4_000_000L * params.nrCpus());
        memInitPrintInfo();
        pageAllocator.initWatermarks(params.minFreeKbytes());
        machine.clock().advance(250_000_000L);
        freeInitmem();
        // User processes: the zero page is empty_zero_page, the first page of the image's bss.
        processes = new ProcessTable(machine, ProcConfig.DEFAULT.withNorandmaps(params.norandmaps()), (int)
                (image.initEnd() >>> Addr.PAGE_SHIFT));
        // Compaction moves the pages of running processes through their reverse map.
        pageAllocator.addMovableOwner(processes.rmap());
        registerFiles(components);
    }

    private void setupArch() {
        info("BIOS-provided physical RAM map:");
        for (E820.Entry e : e820) {
            info(e.line());
        }
        info("NX (Execute Disable) protection: active");
        // trim_bios_range: page 0 is BIOS-owned; the ISA window is not RAM.
        info("e820: update [mem 0x00000000-0x00000fff] usable ==> reserved");
        info("e820: remove [mem 0x000a0000-0x000fffff] usable");
        long maxPfn = machine.nrFrames();
        info(String.format(Locale.ROOT, "last_pfn = %#x max_arch_pfn = %#x", maxPfn, MAX_ARCH_PFN));
        if (maxPfn > (E820.FOUR_G >>> Addr.PAGE_SHIFT)) {
            // e820__end_of_low_ram_pfn: max_low_pfn is the end of RAM below 4 GiB.
            long lowEnd = 0;
            for (E820.Entry e : e820) {
                if (e.type() == E820.Type.RAM && e.end() <= E820.FOUR_G) {
                    lowEnd = Math.max(lowEnd, e.end());
                }
            }
            info(String.format(
                    Locale.ROOT, "last_pfn = %#x max_arch_pfn = %#x", lowEnd >>> Addr.PAGE_SHIFT, MAX_ARCH_PFN));
        }
        // early_reserve_memory
        memblock.setCaller("early_reserve_memory");
        memblock.reserveKern(image.loadAddress(), image.size());
        memblock.reserve(0, 64 << 10);
        memblock.setCaller("reserve_bios_regions");
        memblock.reserve(E820.EBDA_START, E820.ISA_END - E820.EBDA_START);
        // e820__memblock_setup
        memblock.setCaller("e820__memblock_setup");
        memblock.allowResize();
        memblock.setCurrentLimit(E820.ISA_END);
        for (E820.Entry e : e820) {
            if (e.type() == E820.Type.RAM) {
                long start = Math.max(e.start(), Addr.PAGE_SIZE);
                memblock.add(start, e.end() - start);
            }
        }
        if (memblock.debug()) {
            for (String l : memblock.dumpAll()) {
                info(l);
            }
        }
        // reserve_real_mode: the whole first 1 MiB stays reserved.
        memblock.setCaller("reserve_real_mode");
        memblock.reserve(0, E820.ISA_END);
        // init_mem_mapping: the direct map now covers all RAM.
        initMemMapping(maxPfn << Addr.PAGE_SHIFT);
        memblock.setCurrentLimit(maxPfn << Addr.PAGE_SHIFT);
        // x86_numa_init → dummy_numa_init
        info("No NUMA configuration found");
        info(String.format(Locale.ROOT, "Faking a node at [mem %#018x-%#018x]", 0L, (maxPfn << Addr.PAGE_SHIFT) - 1));
        memblock.setNode(0, Memblock.PHYS_ADDR_MAX, memblock.memory(), 0);
        memblock.setCaller("alloc_node_data");
        long nd = memblock.physAllocTryNid(PGDAT_SIZE, 64, 0);
        if (nd == 0) {
            throw new BootPanic("Cannot allocate " + PGDAT_SIZE + " bytes for node 0 data");
        }
        info(String.format(Locale.ROOT, "NODE_DATA(0) allocated [mem %#010x-%#010x]", nd, nd + PGDAT_SIZE - 1));
        sparseInit();
        zoneSizesInit();
    }

    /**
     * init_mem_mapping's page-size count (direct_pages_count[], meminfo's DirectMap*): the ISA
     * range [0, 1 MiB) with 4 KiB pages, then every memory region above it. split_mem_range and
     * adjust_range_page_size_mask together map a page with a 1 GiB page when its whole PUD is one
     * memory region (the emulated CPU has gbpages), else with a 2 MiB page when its whole PMD is,
     * else with 4 KiB pages. The splits of later set_memory_*() calls are not modelled.
     */
    private void initMemMapping(long end) {
        long[] count = new long[3];
        long[] lastLarge = {-1, -1};
        mapRange(0, E820.ISA_END, count, lastLarge);
        MemblockType mem = memblock.memory();
        for (int i = 0; i < mem.cnt(); i++) {
            long start = Math.max(mem.base(i), E820.ISA_END);
            long stop = Math.min(mem.end(i), end);
            if (start < stop) {
                mapRange(start, stop, count, lastLarge);
            }
        }
        machine.addGlobalStat(GlobalStat.DIRECT_MAP_4K, count[0]);
        machine.addGlobalStat(GlobalStat.DIRECT_MAP_2M, count[1]);
        machine.addGlobalStat(GlobalStat.DIRECT_MAP_1G, count[2]);
    }

    private static final long PMD_SIZE = 2L << 20;
    private static final long PUD_SIZE = 1L << 30;

    /** One init_memory_mapping call: counts each PUD and PMD once (ranges are sorted). */
    private void mapRange(long start, long end, long[] count, long[] lastLarge) {
        long pos = start;
        while (pos < end) {
            long pud = pos & -PUD_SIZE;
            long pmd = pos & -PMD_SIZE;
            if (start != 0 && memblock.isRegionMemory(pud, PUD_SIZE)) {
                if (lastLarge[1] != pud) {
                    count[2]++;
                    lastLarge[1] = pud;
                }
                pos = pud + PUD_SIZE;
            } else if (start != 0 && memblock.isRegionMemory(pmd, PMD_SIZE)) {
                if (lastLarge[0] != pmd) {
                    count[1]++;
                    lastLarge[0] = pmd;
                }
                pos = pmd + PMD_SIZE;
            } else {
                long stop = Math.min(end, pmd + PMD_SIZE);
                count[0] += (stop - pos) >>> Addr.PAGE_SHIFT;
                pos = stop;
            }
        }
    }

    /** sparse_init: one mem_map buffer for the node's present sections (sparse_buffer_init). */
    private void sparseInit() {
        long sections = 0;
        long lastSection = -1;
        MemblockType mem = memblock.memory();
        for (int i = 0; i < mem.cnt(); i++) {
            long first = (mem.base(i) >>> Addr.PAGE_SHIFT) / PAGES_PER_SECTION;
            long last = ((mem.end(i) - 1) >>> Addr.PAGE_SHIFT) / PAGES_PER_SECTION;
            if (first == lastSection) {
                first++;
            }
            if (last >= first) {
                sections += last - first + 1;
            }
            lastSection = Math.max(lastSection, last);
        }
        memblock.setCaller("sparse_init_nid");
        long size = sections * SECTION_MAP_SIZE;
        long buf = memblock.allocExactNidRaw(size, SECTION_MAP_SIZE, MAX_DMA_ADDRESS, Memblock.ALLOC_ACCESSIBLE, 0);
        if (buf == 0) {
            throw new BootPanic(
                    String.format(Locale.ROOT, "sparse_init_nid: Failed to allocate %d bytes of mem_map", size));
        }
        LOG.debug("mem_map: {} present sections, {} bytes at {}", sections, size, Addr.hex(buf));
    }

    private boolean sectionPresent(long section) {
        long start = section * PAGES_PER_SECTION;
        long end = start + PAGES_PER_SECTION;
        MemblockType mem = memblock.memory();
        for (int i = 0; i < mem.cnt(); i++) {
            long s = mem.base(i) >>> Addr.PAGE_SHIFT;
            long e = (mem.end(i) + Addr.PAGE_SIZE - 1) >>> Addr.PAGE_SHIFT;
            if (s < end && start < e) {
                return true;
            }
        }
        return false;
    }

    /** Memory as pfn ranges (for_each_mem_pfn_range): PFN_UP(start), PFN_DOWN(end). */
    private List<long[]> memPfnRanges() {
        List<long[]> out = new ArrayList<>();
        MemblockType mem = memblock.memory();
        for (int i = 0; i < mem.cnt(); i++) {
            long s = (mem.base(i) + Addr.PAGE_SIZE - 1) >>> Addr.PAGE_SHIFT;
            long e = mem.end(i) >>> Addr.PAGE_SHIFT;
            if (s < e) {
                out.add(new long[] {s, e});
            }
        }
        return out;
    }

    /** zone_sizes_init → free_area_init: prints the zones, sizes them, hands them over. */
    private void zoneSizesInit() {
        long maxPfn = machine.nrFrames();
        List<long[]> ranges = memPfnRanges();
        long minPfn = ranges.get(0)[0];
        long[] maxZonePfn = {
            Math.min(ZoneType.MAX_DMA_PFN, maxPfn), Math.min(ZoneType.MAX_DMA32_PFN, maxPfn), maxPfn, maxPfn, maxPfn,
        };
        long prev = minPfn;
        for (int z = 0; z < ZoneType.COUNT; z++) {
            ZoneType zt = ZoneType.of(z);
            if (zt == ZoneType.MOVABLE || zt == ZoneType.DEVICE) {
                zoneStart[z] = zoneEnd[z] = maxPfn;
                continue;
            }
            zoneStart[z] = prev;
            zoneEnd[z] = Math.max(maxZonePfn[z], prev);
            prev = zoneEnd[z];
        }
        info("Zone ranges:");
        for (int z = 0; z < ZoneType.COUNT; z++) {
            ZoneType zt = ZoneType.of(z);
            if (zt == ZoneType.MOVABLE) {
                continue;
            }
            String range = zoneStart[z] == zoneEnd[z]
                    ? "empty"
                    : String.format(
                            Locale.ROOT,
                            "[mem %#018x-%#018x]",
                            zoneStart[z] << Addr.PAGE_SHIFT,
                            (zoneEnd[z] << Addr.PAGE_SHIFT) - 1);
            info(String.format(Locale.ROOT, "  %-8s %s", zt.procName(), range));
        }
        info("Movable zone start for each node");
        info("Early memory node ranges");
        for (long[] r : ranges) {
            info(String.format(
                    Locale.ROOT,
                    "  node %3d: [mem %#018x-%#018x]",
                    0,
                    r[0] << Addr.PAGE_SHIFT,
                    (r[1] << Addr.PAGE_SHIFT) - 1));
        }
        long nodeEnd = ranges.get(ranges.size() - 1)[1];
        info(String.format(
                Locale.ROOT,
                "Initmem setup node 0 [mem %#018x-%#018x]",
                minPfn << Addr.PAGE_SHIFT,
                (nodeEnd << Addr.PAGE_SHIFT) - 1));
        for (int z = 0; z < ZoneType.COUNT; z++) {
            long present = 0;
            for (long[] r : ranges) {
                long s = Math.max(r[0], zoneStart[z]);
                long e = Math.min(r[1], zoneEnd[z]);
                if (s < e) {
                    present += e - s;
                }
            }
            zonePresent[z] = present;
        }
        markHoles(ranges, maxPfn);
        memmapInitHoles(ranges);
        pageAllocator = createPageAllocator();
        for (int z = 0; z < ZoneType.COUNT; z++) {
            pageAllocator.initZone(ZoneType.of(z), (int) zoneStart[z], (int) zoneEnd[z], zonePresent[z]);
        }
    }

    private ZonedPageAllocator createPageAllocator() {
        ZonedPageAllocator pa = pageAllocatorFactory.apply(machine);
        machine.setPageAllocator(pa);
        return pa;
    }

    /** Marks every pfn below max_pfn that no memory range covers as a hole (!pfn_valid). */
    private void markHoles(List<long[]> ranges, long maxPfn) {
        PageFrames frames = machine.frames();
        long prev = 0;
        for (long[] r : ranges) {
            for (long p = prev; p < r[0]; p++) {
                frames.set((int) p, PageFrames.PG_HOLE);
            }
            prev = r[1];
        }
        for (long p = prev; p < maxPfn; p++) {
            frames.set((int) p, PageFrames.PG_HOLE);
        }
    }

    /** memmap_init's hole accounting: "On node 0, zone X: N pages in unavailable ranges". */
    private void memmapInitHoles(List<long[]> ranges) {
        long holePfn = 0;
        int zoneId = 0;
        long endPfn = 0;
        for (long[] r : ranges) {
            endPfn = r[1];
            for (int z = 0; z < ZoneType.COUNT; z++) {
                if (zonePresent[z] == 0) {
                    continue;
                }
                long s = Math.min(Math.max(r[0], zoneStart[z]), zoneEnd[z]);
                long e = Math.min(Math.max(r[1], zoneStart[z]), zoneEnd[z]);
                if (s >= e) {
                    continue;
                }
                if (holePfn < s) {
                    initUnavailableRange(holePfn, s, z);
                }
                holePfn = e;
                zoneId = z;
            }
        }
        endPfn = (endPfn + PAGES_PER_SECTION - 1) / PAGES_PER_SECTION * PAGES_PER_SECTION;
        if (holePfn < endPfn) {
            initUnavailableRange(holePfn, endPfn, zoneId);
        }
    }

    private void initUnavailableRange(long spfn, long epfn, int zone) {
        long count = 0;
        for (long sec = spfn / PAGES_PER_SECTION; sec * PAGES_PER_SECTION < epfn; sec++) {
            if (sectionPresent(sec)) {
                long s = Math.max(spfn, sec * PAGES_PER_SECTION);
                long e = Math.min(epfn, (sec + 1) * PAGES_PER_SECTION);
                count += e - s;
            }
        }
        if (count > 0) {
            info(String.format(
                    Locale.ROOT,
                    "On node 0, zone %s: %d pages in unavailable ranges",
                    ZoneType.of(zone).procName(),
                    count));
        }
    }

    /**
     * setup_per_cpu_areas → pcpu_embed_first_chunk: units of the first chunk are grouped into 2 MiB
     * atoms (pcpu_build_alloc_info picks units per atom), allocated top-down above 16 MiB, and the
     * unused tail of every unit is given back to memblock.
     */
    private void setupPerCpuAreas() {
        long sizeSum = PCPU_STATIC + PCPU_RESERVED + PCPU_DYNAMIC;
        int cpus = params.nrCpus();
        int maxUpa = (int) (PCPU_ATOM / sizeSum);
        int bestUpa = 1;
        long lastAllocs = Long.MAX_VALUE;
        for (int upa = maxUpa; upa >= 1; upa--) {
            if (PCPU_ATOM % upa != 0 || (PCPU_ATOM / upa) % Addr.PAGE_SIZE != 0) {
                continue;
            }
            int wasted = (cpus + upa - 1) / upa * upa - cpus;
            if (wasted > cpus / 3) {
                continue;
            }
            long allocs = (cpus + upa - 1) / upa;
            if (allocs > lastAllocs) {
                break;
            }
            lastAllocs = allocs;
            bestUpa = upa;
        }
        long unit = PCPU_ATOM / bestUpa;
        memblock.setCaller("pcpu_fc_alloc");
        long groups = (cpus + bestUpa - 1) / bestUpa;
        for (long g = 0; g < groups; g++) {
            long base = memblock.allocTryNid(PCPU_ATOM, PCPU_ATOM, MAX_DMA_ADDRESS, Memblock.ALLOC_ACCESSIBLE, 0);
            if (base == 0) {
                throw new BootPanic("Failed to initialize percpu areas.");
            }
            for (int u = 0; u < bestUpa; u++) {
                long cpu = g * bestUpa + u;
                long ptr = base + u * unit;
                memblock.setCaller("pcpu_fc_free");
                if (cpu >= cpus) {
                    memblock.physFree(ptr, unit);
                } else if (unit > sizeSum) {
                    memblock.physFree(ptr + sizeSum, unit - sizeSum);
                }
            }
        }
        // pcpu_setup_first_chunk: all of the first chunk's regions are populated, in every unit.
        machine.addGlobalStat(GlobalStat.PERCPU_PAGES, (sizeSum >>> Addr.PAGE_SHIFT) * groups * bestUpa);
        info(String.format(
                Locale.ROOT,
                "percpu: Embedded %d pages/cpu s%d r%d d%d u%d",
                sizeSum >>> Addr.PAGE_SHIFT,
                PCPU_STATIC,
                PCPU_RESERVED,
                PCPU_DYNAMIC,
                unit));
        pcpuDumpAllocInfo(unit, bestUpa, groups);
    }

    /**
     * pcpu_dump_alloc_info(KERN_DEBUG): the unit size and allocations, then the CPUs of each
     * allocation, {@code apl} allocations per line; units without a CPU print as dashes.
     */
    private void pcpuDumpAllocInfo(long unit, int upa, long allocs) {
        int cpus = params.nrCpus();
        int groupWidth = 1;
        int cpuWidth = Integer.toString(cpus).length();
        int width = upa * (cpuWidth + 1) + groupWidth + 3;
        int apl = Integer.highestOneBit(Math.max(60 / width, 1));
        String empty = "--------".substring(0, Math.min(cpuWidth, 8));
        Dmesg dmesg = machine.dmesg();
        dmesg.printk(
                Dmesg.Level.DEBUG,
                String.format(
                        Locale.ROOT,
                        "pcpu-alloc: s%d r%d d%d u%d alloc=%d*%d",
                        PCPU_STATIC,
                        PCPU_RESERVED,
                        PCPU_DYNAMIC,
                        unit,
                        1,
                        PCPU_ATOM));
        StringBuilder line = null;
        for (long alloc = 0; alloc < allocs; alloc++) {
            if (alloc % apl == 0) {
                if (line != null) {
                    dmesg.printk(Dmesg.Level.DEBUG, line.toString());
                }
                line = new StringBuilder("pcpu-alloc: ");
            }
            line.append("[0] ");
            for (long u = alloc * upa; u < (alloc + 1) * upa; u++) {
                line.append(u < cpus ? String.format(Locale.ROOT, "%0" + cpuWidth + "d", u) : empty)
                        .append(' ');
            }
        }
        if (line != null) {
            dmesg.printk(Dmesg.Level.DEBUG, line.toString());
        }
    }

    /** swiotlb_init: the bounce buffer below 4 GiB. */
    private void swiotlbInit() {
        memblock.setCaller("swiotlb_memblock_alloc");
        long tlb = memblock.allocLow(SWIOTLB_SIZE, Addr.PAGE_SIZE);
        if (tlb != 0) {
            info(String.format(
                    Locale.ROOT,
                    "software IO TLB: mapped [mem %#018x-%#018x] (%dMB)",
                    tlb,
                    tlb + SWIOTLB_SIZE,
                    SWIOTLB_SIZE >> 20));
        }
    }

    /**
     * memblock_free_all → free_low_memory_core_early: every free range (memory minus reserved),
     * PFN_UP(start) to PFN_DOWN(end), as the largest naturally aligned chunks
     * (__free_pages_memory), each handed over with __free_pages_core.
     */
    private void memblockFreeAll() {
        long freed = 0;
        for (Memblock.Range r : memblock.freeRanges(Memblock.NUMA_NO_NODE, Memblock.FLAG_NONE)) {
            long start = (r.start() + Addr.PAGE_SIZE - 1) >>> Addr.PAGE_SHIFT;
            long end = Math.min(r.end() >>> Addr.PAGE_SHIFT, machine.nrFrames());
            freed += freePagesMemory(start, end);
        }
        // Roughly the kernel's cost of initialising and freeing the memmap: ~1 ms per GiB.
        machine.clock().advance(freed * 4);
        LOG.debug("memblock_free_all: {} pages to the buddy allocator", freed);
    }

    /** __free_pages_memory. */
    private long freePagesMemory(long start, long end) {
        long count = 0;
        while (start < end) {
            int order = start == 0 ? MAX_PAGE_ORDER : Math.min(MAX_PAGE_ORDER, Long.numberOfTrailingZeros(start));
            while (start + (1L << order) > end) {
                order--;
            }
            pageAllocator.freeBootChunk((int) start, order);
            start += 1L << order;
            count += 1L << order;
        }
        return count;
    }

    /** mem_init_print_info. */
    private void memInitPrintInfo() {
        long physpages = 0;
        for (long p : zonePresent) {
            physpages += p;
        }
        long totalram = pageAllocator.metric().managedPages();
        long free = pageAllocator.metric().nrFreePages();
        int k = Addr.PAGE_SIZE / 1024;
        info(String.format(
                Locale.ROOT,
                "Memory: %dK/%dK available (%dK kernel code, %dK rwdata, %dK rodata, %dK init, %dK bss, "
                        + "%dK reserved, %dK cma-reserved)",
                free * k,
                physpages * k,
                image.textK(),
                image.rwdataK(),
                image.rodataK(),
                image.initK(),
                image.bssK(),
                (physpages - totalram) * k,
                0));
    }

    /** free_initmem → free_reserved_area over [__init_begin, __init_end). */
    private void freeInitmem() {
        int start = (int) (image.initStart() >>> Addr.PAGE_SHIFT);
        int end = (int) (image.initEnd() >>> Addr.PAGE_SHIFT);
        for (int pfn = start; pfn < end; pfn++) {
            pageAllocator.freeReservedPage(pfn);
        }
        info(String.format(
                Locale.ROOT,
                "Freeing unused kernel image (initmem) memory: %dK",
                (long) (end - start) * (Addr.PAGE_SIZE / 1024)));
    }

    private void registerFiles(Components components) {
        VirtualFs vfs = machine.vfs();
        components.pageViews().accept(machine, pageAllocator);
        vfs.register("/sys/kernel/debug/memblock/memory", () -> Memblock.debugfs(memblock.memory()));
        vfs.register("/sys/kernel/debug/memblock/reserved", () -> Memblock.debugfs(memblock.reserved()));
        machine.tracer().registerFiles(vfs);
        processes.registerFiles(vfs);
    }

    // --- accessors ---------------------------------------------------------------------------

    public BootParams params() {
        return params;
    }

    public Machine machine() {
        return machine;
    }

    public Memblock memblock() {
        return memblock;
    }

    public List<E820.Entry> e820() {
        return e820;
    }

    public KernelImage image() {
        return image;
    }

    public ZonedPageAllocator pageAllocator() {
        return pageAllocator;
    }

    /** The slab layer, or null if the chosen allocator is not available (see {@link #slabUnavailable()}). */
    public SlabLayer slab() {
        return slab;
    }

    /** Why there is no slab layer ("slab allocator 'slub' is not available"), or null. */
    public String slabUnavailable() {
        return slabUnavailable;
    }

    /** The machine's processes (none until something spawns one). */
    public ProcessTable processes() {
        return processes;
    }

    /** "Total pages" of the Built 1 zonelists line. */
    public long totalPages() {
        return totalPages;
    }

    /** Present pages of a zone. */
    public long zonePresent(ZoneType zone) {
        return zonePresent[zone.ordinal()];
    }

    /** Spanned pfn range [start, end) of a zone. */
    public long zoneStartPfn(ZoneType zone) {
        return zoneStart[zone.ordinal()];
    }

    public long zoneEndPfn(ZoneType zone) {
        return zoneEnd[zone.ordinal()];
    }

    /** The dmesg text of the boot (and anything printed since). */
    public String dmesg() {
        return machine.dmesg().text();
    }
}
