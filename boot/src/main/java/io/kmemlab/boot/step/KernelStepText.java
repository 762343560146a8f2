package io.kmemlab.boot.step;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MigrateType;
import io.kmemlab.mm.page.BuddyTree;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.page.PageAllocatorMetric;
import io.kmemlab.mm.page.PcpMetric;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.page.ZonedPageAllocatorMetric;
import io.kmemlab.mm.slab.SlabSlots;
import java.util.Locale;

/**
 * The kernel's state after one step, as text a student can check by hand and {@code diff}: a
 * zone's free lists and per-CPU lists and the buddy split tree around a block
 * ({@link #pages}), and one slab's object slots ({@link #slab}). Pure functions of read-only
 * metrics ({@link ZoneMetric#freeListPfns}, {@link PcpMetric}, {@link BuddyTree} over the page
 * frames, {@link SlabSlots}); every list is cut at a limit and says how many it left out.
 *
 * <pre>
 *  buddy: zone DMA32, 3990 free pages; pcp: cpu0 [o0 Movable]=1
 *    free_area[0]  Unmovable   1: 0x2001
 *    free_area[1]  Unmovable   1: 0x2002-0x2003
 *  split tree of pfn 0x2000 order 0:
 *    order 10  0x2000-0x23ff  split (free 1022, pcp 1, used 1)
 *    …
 *    order  0  0x2000-0x2000  allocated    buddy 0x2001-0x2001  free
 *  slab kmalloc-128 pfn 0x2345 order 0 (cpu slab of CPU 0): inuse 32/32, object 2 at 0xffff888002345100
 *    slots    0 [A A A c c . . …]
 *    freelist: 3 4 5 … (29)
 * </pre>
 */
public final class KernelStepText {
    /** Slots per row of a slab's drawing. */
    static final int SLOTS_PER_ROW = 32;

    private KernelStepText() {}

    /**
     * The zone holding {@code pfn}: its free pages, its non-empty per-CPU lists, every non-empty
     * free list (head first, each cut after {@code listLimit} blocks), then the split tree from
     * MAX_PAGE_ORDER down to the block of {@code order} at {@code pfn}.
     */
    public static String pages(Machine machine, int pfn, int order, int listLimit) {
        StringBuilder sb = new StringBuilder();
        PageAllocatorMetric m = machine.pageAllocator().metric();
        if (pfn < 0 || pfn >= machine.nrFrames()) {
            return sb.append("  buddy: pfn 0x")
                    .append(Integer.toHexString(pfn))
                    .append(" is outside memory\n")
                    .toString();
        }
        if (m instanceof ZonedPageAllocatorMetric zm) {
            ZoneMetric z = zm.zone(machine.frames().zone(pfn));
            sb.append("  buddy: zone ")
                    .append(z.type().procName())
                    .append(", ")
                    .append(z.nrFreePages())
                    .append(" free pages; pcp:");
            int lists = 0;
            for (int cpu = 0; cpu < zm.nrCpus(); cpu++) {
                PcpMetric p = z.pcp(cpu);
                for (int pindex = 0; pindex < PCP_LISTS; pindex++) {
                    long n = p.listLength(pindex);
                    if (n > 0 && lists++ < listLimit) {
                        sb.append(" cpu")
                                .append(cpu)
                                .append(" [")
                                .append(pcpListName(pindex))
                                .append("]=")
                                .append(n);
                    }
                }
            }
            if (lists > listLimit) {
                sb.append(" ... ").append(lists - listLimit).append(" more");
            }
            sb.append(lists == 0 ? " empty\n" : "\n");
            int[] pfns = new int[listLimit];
            for (int o = 0; o < PageAllocator.NR_PAGE_ORDERS; o++) {
                for (int mt = 0; mt < MigrateType.COUNT; mt++) {
                    long n = z.nrFree(o, mt);
                    if (n == 0) {
                        continue;
                    }
                    int got = z.freeListPfns(o, mt, pfns);
                    sb.append(String.format(
                            Locale.ROOT,
                            "    %-13s %-11s %d:",
                            "free_area[" + o + "]",
                            MigrateType.of(mt).procName(),
                            n));
                    for (int i = 0; i < got; i++) {
                        sb.append(' ').append(range(pfns[i], o));
                    }
                    if (n > got) {
                        sb.append(" ... ").append(n - got).append(" more");
                    }
                    sb.append('\n');
                }
            }
        } else {
            sb.append("  buddy: ").append(m.nrFreePages()).append(" free pages\n");
        }
        sb.append("  split tree of pfn 0x")
                .append(Integer.toHexString(pfn))
                .append(" order ")
                .append(order)
                .append(":\n");
        for (BuddyTree.Level l : BuddyTree.path(machine.frames(), pfn, order)) {
            String block = node(l.block());
            sb.append(String.format(Locale.ROOT, "    order %2d  %s", l.block().order(), block));
            if (l.buddy() != null) {
                sb.append(" ".repeat(Math.max(2, 52 - block.length())))
                        .append("buddy ")
                        .append(node(l.buddy()));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** pcp lists per CPU: orders 0 … PAGE_ALLOC_COSTLY_ORDER × the three pcp types, then two THP lists. */
    private static final int PCP_LISTS = 14;

    /** order_to_pindex backwards: {@code o0 Movable}, {@code o9 Unmovable}. */
    static String pcpListName(int pindex) {
        if (pindex < 12) {
            return "o" + pindex / MigrateType.PCPTYPES + " "
                    + MigrateType.of(pindex % MigrateType.PCPTYPES).procName();
        }
        return "o9 " + (pindex == 12 ? "Unmovable" : "Movable");
    }

    /** {@code 0x2000-0x23ff split (free 1022, pcp 1, used 1)}. */
    static String node(BuddyTree.Node n) {
        StringBuilder sb = new StringBuilder(range(n.pfn(), n.order())).append("  ");
        sb.append(n.state().label());
        switch (n.state()) {
            case IN_FREE, IN_PCP, IN_ALLOCATED -> sb.append(" order ").append(n.holderOrder());
            case SPLIT -> {
                sb.append(" (");
                String sep = "";
                if (n.freePages() > 0) {
                    sb.append("free ").append(n.freePages());
                    sep = ", ";
                }
                if (n.pcpPages() > 0) {
                    sb.append(sep).append("pcp ").append(n.pcpPages());
                    sep = ", ";
                }
                if (n.usedPages() > 0) {
                    sb.append(sep).append("used ").append(n.usedPages());
                    sep = ", ";
                }
                if (n.otherPages() > 0) {
                    sb.append(sep).append("other ").append(n.otherPages());
                }
                sb.append(')');
            }
            default -> {}
        }
        return sb.toString();
    }

    /** A block's PFNs: {@code 0x2000} for one page, {@code 0x2000-0x23ff} for more. */
    static String range(int pfn, int order) {
        String first = "0x" + Integer.toHexString(pfn);
        return order == 0 ? first : first + "-0x" + Integer.toHexString(pfn + (1 << order) - 1);
    }

    /**
     * One slab: its cache, pages, list and counts, the object {@code focus} (0 for none) by index,
     * the slots in rows of {@link #SLOTS_PER_ROW} (at most {@code rowLimit} rows), and its
     * freelists in the order they hand objects out (each cut after {@code listLimit} entries).
     */
    public static String slab(SlabSlots s, long focus, int rowLimit, int listLimit) {
        StringBuilder sb = new StringBuilder();
        int objects = s.objects();
        int free = count(s.slots(), SlabSlots.FREE);
        sb.append("  slab ")
                .append(s.cache())
                .append(" pfn 0x")
                .append(Integer.toHexString(s.pfn()))
                .append(" order ")
                .append(s.order())
                .append(" (")
                .append(s.where())
                .append("): inuse ")
                .append(s.inuse())
                .append('/')
                .append(objects)
                .append(", allocated ")
                .append(count(s.slots(), SlabSlots.ALLOCATED))
                .append(", free ")
                .append(free + count(s.slots(), SlabSlots.CPU_FREE));
        int held = count(s.slots(), SlabSlots.SHEAF) + count(s.slots(), SlabSlots.ARRAY);
        if (held > 0) {
            sb.append(", cached ").append(held);
        }
        if (focus != 0) {
            long off = focus - s.base();
            if (off >= 0 && off < (long) objects * s.size()) {
                int i = s.indexOf(focus);
                sb.append("; object ")
                        .append(i)
                        .append(" at ")
                        .append(Addr.hex(focus))
                        .append(" is ")
                        .append(slotName(s.slots().charAt(i)));
            }
        }
        sb.append('\n');
        int rows = (objects + SLOTS_PER_ROW - 1) / SLOTS_PER_ROW;
        for (int r = 0; r < Math.min(rows, rowLimit); r++) {
            int from = r * SLOTS_PER_ROW;
            int to = Math.min(objects, from + SLOTS_PER_ROW);
            sb.append(String.format(Locale.ROOT, "    slots %4d [", from));
            for (int i = from; i < to; i++) {
                sb.append(i == from ? "" : " ").append(s.slots().charAt(i));
            }
            sb.append("]\n");
        }
        if (rows > rowLimit) {
            sb.append("    ... ").append(objects - rowLimit * SLOTS_PER_ROW).append(" more slots\n");
        }
        indexList(sb, "freelist", s.freelist(), listLimit);
        if (s.cpuFreelist().length > 0) {
            indexList(sb, "cpu freelist", s.cpuFreelist(), listLimit);
        }
        return sb.toString();
    }

    private static void indexList(StringBuilder sb, String label, int[] idx, int listLimit) {
        sb.append("    ").append(label).append(':');
        if (idx.length == 0) {
            sb.append(" empty");
        }
        for (int i = 0; i < Math.min(idx.length, listLimit); i++) {
            sb.append(' ').append(idx[i]);
        }
        if (idx.length > listLimit) {
            sb.append(" ... ").append(idx.length - listLimit).append(" more");
        }
        sb.append('\n');
    }

    private static String slotName(char c) {
        return switch (c) {
            case SlabSlots.ALLOCATED -> "allocated";
            case SlabSlots.FREE -> "free";
            case SlabSlots.CPU_FREE -> "free on the cpu freelist";
            case SlabSlots.SHEAF -> "free in a sheaf";
            case SlabSlots.ARRAY -> "free in an array cache";
            default -> "?";
        };
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }
}
