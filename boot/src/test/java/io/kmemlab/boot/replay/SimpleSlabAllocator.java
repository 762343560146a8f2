package io.kmemlab.boot.replay;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.slab.KmallocLimits;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import io.kmemlab.mm.slab.SlabCacheMetric;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.testing.SimplePageAllocator;
import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deliberately plain object allocator for testing the replay engine without the real ones:
 * per cache, slabs of a fixed order with a bitmap of used slots and a list of slabs with room.
 * Slot size = ALIGN(object_size, align), plus 8 with a constructor (as SLUB places the pointer).
 */
final class SimpleSlabAllocator implements SlabAllocator {
    private final Machine machine;
    private final String name;
    private final Map<Integer, Cache> slabs = new HashMap<>();

    SimpleSlabAllocator(Machine machine, String name) {
        this.machine = machine;
        this.name = name;
    }

    /**
     * A factory booting a fresh machine with this allocator (named as asked) over
     * SimplePageAllocator. It understands {@code nr_cpus=N} and {@code mem=} (ignored), and rejects
     * any other word as Kernel.boot would.
     */
    static ReplayMachineFactory factory(long memBytes, int cpus) {
        return (name, words) -> {
            int n = cpus;
            for (String w : words) {
                if (w.startsWith("nr_cpus=")) {
                    n = Integer.parseInt(w.substring(8));
                } else if (!w.startsWith("mem=")) {
                    throw new IllegalArgumentException("Unknown kernel command line parameters \"" + w + "\"");
                }
            }
            Machine m = new Machine(MachineConfig.of(memBytes, n));
            m.setPageAllocator(new SimplePageAllocator(m));
            SlabLayer layer = new SlabLayer(m, new SimpleSlabAllocator(m, name));
            layer.init();
            return new ReplayTarget(m, layer);
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public KmallocLimits kmallocLimits() {
        return KmallocLimits.SLUB_6_18;
    }

    @Override
    public void kmemCacheInit(Machine m, SlabLayer layer) {
        layer.createKmallocCaches();
    }

    @Override
    public SlabCache createCache(KmemCache d) {
        return new Cache(d);
    }

    @Override
    public SlabCache ownerOf(long obj) {
        if (!Addr.isDirectMap(obj, machine.mem().nrFrames())) {
            return null;
        }
        int head = machine.frames().slabHead(Addr.virtToPfn(obj));
        return head == PageFrames.NIL ? null : slabs.get(head);
    }

    @Override
    public List<String> validate() {
        return List.of();
    }

    private final class Cache implements SlabCache {
        private final KmemCache d;
        private final int size;
        private final int order;
        private final int perSlab;
        private final Map<Integer, BitSet> used = new LinkedHashMap<>();
        private final ArrayDeque<Integer> partial = new ArrayDeque<>();
        private long active;

        Cache(KmemCache d) {
            this.d = d;
            int s = (d.objectSize() + d.align() - 1) / d.align() * d.align();
            if (d.ctor() != null) {
                s = (s + 8 + d.align() - 1) / d.align() * d.align();
            }
            this.size = s;
            int o = 0;
            while (o < 3 && ((Addr.PAGE_SIZE << o) / s) < 8) {
                o++;
            }
            while ((Addr.PAGE_SIZE << o) / s < 1) {
                o++;
            }
            this.order = o;
            this.perSlab = (Addr.PAGE_SIZE << o) / s;
        }

        @Override
        public KmemCache descriptor() {
            return d;
        }

        @Override
        public int objectSize() {
            return d.objectSize();
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int align() {
            return d.align();
        }

        @Override
        public int order() {
            return order;
        }

        @Override
        public int objsPerSlab() {
            return perSlab;
        }

        @Override
        public long alloc(int cpu, int gfp, int origSize, long callSite) {
            Integer head = partial.peekFirst();
            if (head == null) {
                int pfn = machine.pageAllocator().allocPages(cpu, (gfp & ~Gfp.__GFP_ZERO) | Gfp.__GFP_COMP, order);
                if (pfn == PageAllocator.NO_PAGE) {
                    return 0;
                }
                machine.frames().set(pfn, PageFrames.PG_SLAB);
                machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, (long) Addr.PAGE_SIZE << order);
                slabs.put(pfn, this);
                used.put(pfn, new BitSet(perSlab));
                partial.addFirst(pfn);
                head = pfn;
            }
            BitSet b = used.get(head);
            int i = b.nextClearBit(0);
            b.set(i);
            if (b.cardinality() == perSlab) {
                partial.removeFirst();
            }
            active++;
            return Addr.pfnToVirt(head) + (long) i * size;
        }

        @Override
        public SlabCache ownerOf(long obj) {
            return SimpleSlabAllocator.this.ownerOf(obj);
        }

        @Override
        public boolean free(int cpu, long obj, long callSite) {
            int head = machine.frames().compoundHead(Addr.virtToPfn(obj));
            BitSet b = used.get(head);
            long off = obj - Addr.pfnToVirt(head);
            if (b == null || off % size != 0 || !b.get((int) (off / size))) {
                machine.dmesg().report(ReportKind.SLAB_BAD_FREE, "simple: bad free " + Addr.hex(obj));
                return false;
            }
            boolean wasFull = b.cardinality() == perSlab;
            b.clear((int) (off / size));
            active--;
            if (b.isEmpty()) {
                partial.remove(head);
                used.remove(head);
                slabs.remove(head);
                machine.frames().clear(head, PageFrames.PG_SLAB);
                machine.addNodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B, -((long) Addr.PAGE_SIZE << order));
                machine.pageAllocator().freePages(cpu, head, order);
            } else if (wasFull) {
                partial.addLast(head);
            }
            return true;
        }

        @Override
        public void shrink() {}

        @Override
        public long shutdown() {
            return active;
        }

        @Override
        public SlabCacheMetric metric() {
            return new SlabCacheMetric() {
                @Override
                public String name() {
                    return d.name();
                }

                @Override
                public long activeObjs() {
                    return active;
                }

                @Override
                public long numObjs() {
                    return used.size() * (long) perSlab;
                }

                @Override
                public int objSize() {
                    return size;
                }

                @Override
                public int objPerSlab() {
                    return perSlab;
                }

                @Override
                public int pagesPerSlab() {
                    return 1 << order;
                }

                @Override
                public long activeSlabs() {
                    return used.size();
                }

                @Override
                public long numSlabs() {
                    return used.size();
                }
            };
        }

        @Override
        public int ksize(long obj) {
            return size;
        }

        @Override
        public int validate() {
            return 0;
        }

        @Override
        public Map<String, String> geometry() {
            return Map.of("object_size", Integer.toString(d.objectSize()));
        }
    }
}
