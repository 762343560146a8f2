package io.kmemlab.slub;

import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /sys/kernel/debug/slab/<cache>/alloc_traces} and {@code free_traces} (caches with U):
 * the stored tracks of allocated (or free) objects grouped by call site and waste, most frequent
 * first, as {@code slab_debugfs_show} prints them.
 */
final class SlubTraces {
    private SlubTraces() {}

    private static final class Location {
        long addr;
        long waste;
        long count;
        long minTime = Long.MAX_VALUE;
        long maxTime;
        long sumTime;
        long minPid = Long.MAX_VALUE;
        long maxPid = Long.MIN_VALUE;
        final BitSet cpus = new BitSet();
    }

    static String show(SlubCache c, boolean alloc) {
        if ((c.flags & SlabFlags.STORE_USER) == 0) {
            return "";
        }
        c.flushAll();
        Map<List<Long>, Location> locs = new LinkedHashMap<>();
        long now = c.machine.clock().jiffies();
        List<Integer> slabs = new ArrayList<>();
        for (int id = c.partialHead; id != SlubCache.NIL; id = c.t.next[id]) {
            slabs.add(id);
        }
        for (int id = c.fullHead; id != SlubCache.NIL; id = c.t.next[id]) {
            slabs.add(id);
        }
        for (int id : slabs) {
            int n = c.t.objects[id];
            boolean[] free = new boolean[n];
            int steps = 0;
            for (long p = c.t.slab[id].freelist;
                    p != 0 && steps <= n && c.validPointer(id, p);
                    p = c.getFreepointer(p)) {
                free[(int) ((p - c.redLeftPad - c.t.base[id]) / c.size)] = true;
                steps++;
            }
            for (int i = 0; i < n; i++) {
                if (free[i] == alloc) {
                    continue;
                }
                long obj = c.t.base[id] + c.redLeftPad + (long) i * c.size;
                long track = obj + c.geo.infoEnd() + (alloc ? 0 : SlubGeometry.TRACK_SIZE);
                long addr = c.mem.readU64(track);
                long waste = 0;
                if (alloc && c.geo.origSizeTracking()) {
                    waste = c.desc.objectSize() - c.dbg.getOrigSize(obj);
                }
                Location l = locs.computeIfAbsent(List.of(addr, waste), k -> new Location());
                l.addr = addr;
                l.waste = waste;
                l.count++;
                long age = now - c.mem.readU64(track + 24);
                l.sumTime += age;
                l.minTime = Math.min(l.minTime, age);
                l.maxTime = Math.max(l.maxTime, age);
                long pid = c.mem.readU32(track + 16);
                l.minPid = Math.min(l.minPid, pid);
                l.maxPid = Math.max(l.maxPid, pid);
                l.cpus.set(c.mem.readU32(track + 12));
            }
        }
        if (locs.isEmpty()) {
            return "No data\n";
        }
        List<Location> sorted = new ArrayList<>(locs.values());
        sorted.sort((a, b) -> Long.compare(b.count, a.count));
        StringBuilder sb = new StringBuilder();
        for (Location l : sorted) {
            sb.append(String.format("%7d ", l.count));
            sb.append(l.addr != 0 ? c.machine.symbols().format(l.addr) : "<not-available>");
            if (l.waste != 0) {
                sb.append(" waste=").append(l.count * l.waste).append('/').append(l.waste);
            }
            if (l.sumTime != l.minTime) {
                sb.append(" age=")
                        .append(l.minTime)
                        .append('/')
                        .append(l.sumTime / l.count)
                        .append('/')
                        .append(l.maxTime);
            } else {
                sb.append(" age=").append(l.minTime);
            }
            if (l.minPid != l.maxPid) {
                sb.append(" pid=").append(l.minPid).append('-').append(l.maxPid);
            } else {
                sb.append(" pid=").append(l.minPid);
            }
            if (c.nrCpus > 1 && !l.cpus.isEmpty()) {
                sb.append(" cpus=").append(rangeList(l.cpus));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** %*pbl: 0-2,5 */
    static String rangeList(BitSet bits) {
        StringBuilder sb = new StringBuilder();
        for (int i = bits.nextSetBit(0); i >= 0; ) {
            int end = bits.nextClearBit(i) - 1;
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(i);
            if (end > i) {
                sb.append('-').append(end);
            }
            i = bits.nextSetBit(end + 1);
        }
        return sb.toString();
    }
}
