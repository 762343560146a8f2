package io.kmemlab.buddy;

import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PfnList;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The invariants of {@code package-info.java}, checked by walking every free list, every pcp list
 * and every frame of every zone. For tests and debugging: it costs a pass over memory.
 */
final class BuddyValidator {
    private final PageFrames frames;
    private final Zone[] zones;
    private final byte[] pageblocks;
    private final int nrPcpLists;

    BuddyValidator(PageFrames frames, Zone[] zones, byte[] pageblocks, int nrPcpLists) {
        this.frames = frames;
        this.zones = zones;
        this.pageblocks = pageblocks;
        this.nrPcpLists = nrPcpLists;
    }

    /** Every violation found; empty if consistent. */
    List<String> validate() {
        List<String> out = new ArrayList<>();
        BitSet covered = new BitSet(frames.nrFrames());
        for (Zone z : zones) {
            validateZone(z, covered, out);
        }
        for (byte b : pageblocks) {
            if ((b & 0x7) >= BuddyAllocator.MIGRATE_ISOLATE) {
                out.add("pageblock with invalid migrate type bits " + (b & 0x7));
                break;
            }
        }
        return out;
    }

    private void validateZone(Zone z, BitSet covered, List<String> out) {
        String name = z.type.procName();
        long freePages = 0;
        long freeBlocks = 0;
        long highatomic = 0;
        for (int o = 0; o < BuddyAllocator.NR_PAGE_ORDERS; o++) {
            long blocks = 0;
            for (int mt = 0; mt < BuddyAllocator.MIGRATE_TYPES; mt++) {
                PfnList list = z.list(o, mt);
                long len = 0;
                for (int p = list.first(); p != PageFrames.NIL; p = list.next(p)) {
                    len++;
                    if (len > list.size()) {
                        out.add(name + ": free list order " + o + " type " + mt + " is longer than its size");
                        break;
                    }
                    checkBlock(z, p, o, out, "free block");
                    if (!frames.test(p, PageFrames.PG_BUDDY) || frames.order(p) != o) {
                        out.add(name + ": pfn " + p + " on order-" + o + " list lacks PG_BUDDY/order");
                    }
                    for (int pb = 0; pb < Math.max(1, (1 << o) >> BuddyAllocator.PAGEBLOCK_ORDER); pb++) {
                        int bt = BuddyAllocator.pageblockMigratetype(
                                pageblocks, p + pb * BuddyAllocator.PAGEBLOCK_NR_PAGES);
                        if (bt != mt) {
                            out.add(name + ": pfn " + p + " order " + o + " on type-" + mt
                                    + " list but its pageblock is type " + bt);
                        }
                    }
                    markCovered(covered, p, o, out, name);
                    if (mt != BuddyAllocator.MIGRATE_ISOLATE) {
                        freePages += 1L << o;
                        if (o >= BuddyAllocator.PAGEBLOCK_ORDER) {
                            freeBlocks += 1L << o;
                        }
                    }
                    if (mt == BuddyAllocator.MIGRATE_HIGHATOMIC) {
                        highatomic += 1L << o;
                    }
                }
                if (len != list.size()) {
                    out.add(name + ": list order " + o + " type " + mt + " size " + list.size() + " != walked " + len);
                }
                blocks += len;
            }
            if (blocks != z.nrFree[o]) {
                out.add(name + ": nr_free[" + o + "] = " + z.nrFree[o] + " but lists hold " + blocks);
            }
        }
        if (freePages != z.nrFreePages) {
            out.add(name + ": NR_FREE_PAGES " + z.nrFreePages + " != pages on free lists " + freePages);
        }
        if (freeBlocks != z.nrFreePagesBlocks) {
            out.add(name + ": NR_FREE_PAGES_BLOCKS " + z.nrFreePagesBlocks + " != " + freeBlocks);
        }
        if (highatomic != z.nrFreeHighatomic) {
            out.add(name + ": nr_free_highatomic " + z.nrFreeHighatomic + " != " + highatomic);
        }
        long reservedBlocks = z.pageblockCount(BuddyAllocator.MIGRATE_HIGHATOMIC);
        if (z.nrReservedHighatomic != reservedBlocks * BuddyAllocator.PAGEBLOCK_NR_PAGES) {
            out.add(name + ": nr_reserved_highatomic " + z.nrReservedHighatomic + " != " + reservedBlocks
                    + " highatomic pageblocks");
        }
        long pcpTotal = 0;
        for (int cpu = 0; cpu < z.pcp.length; cpu++) {
            PerCpuPages pcp = z.pcp[cpu];
            long pages = 0;
            for (int pi = 0; pi < nrPcpLists; pi++) {
                int order = BuddyAllocator.pindexToOrder(pi);
                int before = PageFrames.NIL;
                boolean linked = true;
                for (int p = pcp.first(pi); p != PageFrames.NIL; before = p, p = frames.next(p)) {
                    if (frames.prev(p) != before) {
                        out.add(name + ": cpu " + cpu + " pcp list " + pi + ": page " + p + " links back to "
                                + frames.prev(p) + ", not " + before);
                        linked = false;
                        break;
                    }
                    checkBlock(z, p, order, out, "pcp page");
                    if (!frames.test(p, PageFrames.PG_PCP) || frames.test(p, PageFrames.PG_BUDDY)) {
                        out.add(name + ": pcp page " + p + " without PG_PCP or with PG_BUDDY");
                    }
                    markCovered(covered, p, order, out, name);
                    pages += 1L << order;
                }
                if (linked && pcp.last(pi) != before) {
                    out.add(name + ": cpu " + cpu + " pcp list " + pi + " ends at " + pcp.last(pi) + ", not " + before);
                }
            }
            if (pages != pcp.count) {
                out.add(name + ": cpu " + cpu + " pcp count " + pcp.count + " != pages on lists " + pages);
            }
            pcpTotal += pages;
        }
        if (z.managed < z.nrFreePages + pcpTotal) {
            out.add(name + ": managed " + z.managed + " < free " + z.nrFreePages + " + pcp " + pcpTotal);
        }
        for (int p = z.startPfn; p < z.endPfn; p++) {
            if ((frames.test(p, PageFrames.PG_BUDDY) || frames.test(p, PageFrames.PG_PCP)) && !covered.get(p)) {
                out.add(name + ": pfn " + p + " marked free but on no list");
            }
        }
    }

    private void checkBlock(Zone z, int p, int order, List<String> out, String what) {
        if ((p & ((1 << order) - 1)) != 0) {
            out.add(z.type.procName() + ": " + what + " " + p + " not aligned to order " + order);
        }
        if (!z.contains(p) || !z.contains(p + (1 << order) - 1) || frames.zone(p) != z.idx) {
            out.add(z.type.procName() + ": " + what + " " + p + " order " + order + " outside its zone");
        }
    }

    private static void markCovered(BitSet covered, int p, int order, List<String> out, String name) {
        int end = p + (1 << order);
        int hit = covered.nextSetBit(p);
        if (hit >= 0 && hit < end) {
            out.add(name + ": block " + p + " order " + order + " overlaps another free block at " + hit);
        }
        covered.set(p, end);
    }
}
