package io.kmemlab.slub;

import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /sys/kernel/slab/<cache>/} (SLUB sysfs, 6.18, with SLUB_DEBUG, SLUB_STATS, NUMA and
 * HARDENED_USERCOPY): the attributes of kmalloc-and-slab-common.md §14 and the statistics of
 * slub.md §9. Mergeable caches live under their unique id with an entry per alias name (the
 * kernel's symlinks), the first name included.
 */
final class SlubSysfs {
    static final String ROOT = "/sys/kernel/slab/";
    static final String DEBUG_ROOT = "/sys/kernel/debug/slab/";

    private SlubSysfs() {}

    private record Attr(String name, Supplier<String> reader, Function<String, String> writer) {}

    static void register(SlubCache c, VirtualFs vfs) {
        String dir = c.allocator.layer().sysfsName(c.desc);
        c.sysfsDir = dir;
        for (Attr a : attrs(c)) {
            put(vfs, ROOT + dir + "/" + a.name(), a);
        }
        if (!dir.equals(c.name())) {
            registerAlias(c, vfs, c.name());
        }
        for (String alias : c.aliasNames) {
            registerAlias(c, vfs, alias);
        }
        if ((c.flags & SlabFlags.STORE_USER) != 0) {
            // debugfs_slab_add: only caches that store tracks
            vfs.register(DEBUG_ROOT + c.name() + "/alloc_traces", 0400, () -> SlubTraces.show(c, true));
            vfs.register(DEBUG_ROOT + c.name() + "/free_traces", 0400, () -> SlubTraces.show(c, false));
        }
    }

    static void registerAlias(SlubCache c, VirtualFs vfs, String alias) {
        for (Attr a : attrs(c)) {
            put(vfs, ROOT + alias + "/" + a.name(), a);
        }
    }

    static void unregister(SlubCache c, VirtualFs vfs) {
        if (c.sysfsDir == null) {
            return;
        }
        vfs.unregister(ROOT + c.sysfsDir + "/");
        vfs.unregister(DEBUG_ROOT + c.name() + "/");
        vfs.unregister(ROOT + c.name() + "/");
        for (String alias : c.aliasNames) {
            vfs.unregister(ROOT + alias + "/");
        }
        c.sysfsDir = null;
    }

    private static void put(VirtualFs vfs, String path, Attr a) {
        if (a.writer() == null) {
            vfs.register(path, 0400, a.reader());
        } else {
            vfs.register(path, 0600, a.reader(), a.writer());
        }
    }

    private static Attr ro(String name, Supplier<String> r) {
        return new Attr(name, r, null);
    }

    private static String line(long v) {
        return v + "\n";
    }

    private static String bit(SlubCache c, int f) {
        return (c.flags & f) != 0 ? "1\n" : "0\n";
    }

    /** show_slab_objects: total, then {@code N0=n} when n is not 0 (one node). */
    private static String perNode(long v) {
        return v == 0 ? "0\n" : v + " N0=" + v + "\n";
    }

    static long cpuSlabs(SlubCache c) {
        long total = 0;
        for (int cpu = 0; cpu < c.nrCpus; cpu++) {
            if (c.cpus[cpu].slab != SlubCache.NIL) {
                total++;
            }
            int p = c.cpuPartialHead[cpu];
            if (p != SlubCache.NIL) {
                total += c.t.cpuSlabs[p];
            }
        }
        return total;
    }

    static String slabsCpuPartial(SlubCache c) {
        long slabs = 0;
        for (int cpu = 0; cpu < c.nrCpus; cpu++) {
            int p = c.cpuPartialHead[cpu];
            if (p != SlubCache.NIL) {
                slabs += c.t.cpuSlabs[p];
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(slabs * c.geo.objects() / 2).append('(').append(slabs).append(')');
        for (int cpu = 0; cpu < c.nrCpus; cpu++) {
            int p = c.cpuPartialHead[cpu];
            if (p != SlubCache.NIL) {
                int n = c.t.cpuSlabs[p];
                sb.append(" C")
                        .append(cpu)
                        .append('=')
                        .append((long) n * c.geo.objects() / 2)
                        .append('(')
                        .append(n)
                        .append(')');
            }
        }
        return sb.append('\n').toString();
    }

    static String stat(SlubCache c, SlubStat s) {
        StringBuilder sb = new StringBuilder();
        sb.append(c.statSum(s));
        for (int cpu = 0; cpu < c.nrCpus; cpu++) {
            long x = c.statOf(cpu, s);
            if (x != 0) {
                sb.append(" C").append(cpu).append('=').append(x);
            }
        }
        return sb.append('\n').toString();
    }

    private static List<Attr> attrs(SlubCache c) {
        List<Attr> a = new ArrayList<>();
        a.add(ro("slab_size", () -> line(c.size)));
        a.add(ro("object_size", () -> line(c.desc.objectSize())));
        a.add(ro("objs_per_slab", () -> line(c.geo.objects())));
        a.add(ro("order", () -> line(c.geo.order())));
        a.add(ro("sheaf_capacity", () -> line(c.sheafCapacity())));
        a.add(new Attr("min_partial", () -> line(c.minPartial), v -> {
            try {
                long n = Long.parseUnsignedLong(v.trim());
                c.minPartial = (int) Math.min(n, Integer.MAX_VALUE);
                return null;
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
        }));
        a.add(new Attr("cpu_partial", () -> line(c.cpuPartial), v -> {
            int n;
            try {
                n = Integer.parseUnsignedInt(v.trim());
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
            if (n != 0 && (c.debug || c.v7)) {
                // 7.0 has no per-CPU partial lists: only 0 is accepted
                return "EINVAL";
            }
            c.cpuPartial = n;
            c.cpuPartialSlabs = SlubGeometry.cpuPartialSlabs(n, c.geo.objects());
            c.flushAll();
            return null;
        }));
        a.add(ro("objects_partial", () -> perNode(c.partialInuse())));
        a.add(ro("partial", () -> perNode(c.nrPartial)));
        a.add(ro("cpu_slabs", () -> perNode(cpuSlabs(c))));
        a.add(ro("ctor", () -> c.ctor == null ? "" : c.ctor.symbol() + "\n"));
        a.add(ro("aliases", () -> line(c.desc.refcount() < 0 ? 0 : c.desc.refcount() - 1)));
        a.add(ro("align", () -> line(c.geo.align())));
        a.add(ro("hwcache_align", () -> bit(c, SlabFlags.HWCACHE_ALIGN)));
        a.add(ro("reclaim_account", () -> bit(c, SlabFlags.RECLAIM_ACCOUNT)));
        a.add(ro("destroy_by_rcu", () -> bit(c, SlabFlags.TYPESAFE_BY_RCU)));
        a.add(ro("cache_dma", () -> bit(c, SlabFlags.CACHE_DMA)));
        a.add(new Attr("shrink", () -> "", v -> {
            if (!v.trim().equals("1")) {
                return "EINVAL";
            }
            c.shrink();
            return null;
        }));
        a.add(ro("slabs_cpu_partial", () -> slabsCpuPartial(c)));
        a.add(ro("total_objects", () -> perNode(c.totalObjects)));
        a.add(ro("objects", () -> perNode(c.totalObjects - c.partialFreeApprox())));
        a.add(ro("slabs", () -> perNode(c.nrSlabs)));
        a.add(ro("sanity_checks", () -> bit(c, SlabFlags.CONSISTENCY_CHECKS)));
        a.add(ro("trace", () -> bit(c, SlabFlags.TRACE)));
        a.add(ro("red_zone", () -> bit(c, SlabFlags.RED_ZONE)));
        a.add(ro("poison", () -> bit(c, SlabFlags.POISON)));
        a.add(ro("store_user", () -> bit(c, SlabFlags.STORE_USER)));
        a.add(new Attr("validate", () -> "", v -> {
            if (!v.trim().startsWith("1") || c.validate() < 0) {
                return "EINVAL";
            }
            return null;
        }));
        a.add(new Attr("remote_node_defrag_ratio", () -> "100\n", v -> {
            try {
                int n = Integer.parseUnsignedInt(v.trim());
                return n <= 100 ? null : "ERANGE";
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
        }));
        a.add(ro("usersize", () -> line(c.desc.usersize())));
        for (SlubStat s : SlubStat.values()) {
            if (c.v7 && s.removedIn7()) {
                continue;
            }
            a.add(new Attr(s.fileName(), () -> stat(c, s), v -> {
                if (!v.trim().startsWith("0")) {
                    return "EINVAL";
                }
                for (int cpu = 0; cpu < c.nrCpus; cpu++) {
                    c.setStat(cpu, s, 0);
                }
                return null;
            }));
        }
        return a;
    }
}
