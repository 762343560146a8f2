package io.kmemlab.mm.page;

import io.kmemlab.mm.PageFrames;
import java.util.ArrayList;
import java.util.List;

/**
 * The buddy allocator's split tree around one block, read off {@link PageFrames} alone: for every
 * order from {@link PageAllocator#MAX_PAGE_ORDER} down to the block's, the aligned block of that
 * order that holds it and its buddy, each classified as the PG_* bits and orders the page
 * allocator keeps say. What {@code --step} and the shell's {@code step} draw; it reads and changes
 * nothing.
 *
 * <pre>
 *  order 3   [0x100-0x107] split ─┬─ order 2 [0x100-0x103] split ─┬─ order 1 [0x100-0x101] allocated
 *                                 │                               └─ order 1 [0x102-0x103] free
 *                                 └─ order 2 [0x104-0x107] free        (the path's buddy)
 * </pre>
 *
 * <p>A block of order k at an aligned PFN is, in this order of precedence: covered by a free
 * buddy block ({@code PG_buddy} head of order ≥ k at the aligned PFN of that order, as
 * {@code is_free_buddy_page()} looks for it), by a per-CPU list block ({@code PG_pcp} with its
 * order), or by an allocated block (a compound head and its order, or a head with a reference and
 * the order {@code prep_new_page} set) — exactly that block ({@link State#FREE}, {@link State#PCP},
 * {@link State#ALLOCATED}) or part of a bigger one ({@link State#IN_FREE}, …); otherwise it is
 * {@link State#SPLIT} and its pages are counted by what holds them.
 */
public final class BuddyTree {

    /** What a block of the tree is. */
    public enum State {
        /** A free buddy block of exactly this order and PFN. */
        FREE("free"),
        /** A block of exactly this order on a per-CPU list. */
        PCP("pcp"),
        /** An allocated block of exactly this order and PFN. */
        ALLOCATED("allocated"),
        /** Part of a bigger free buddy block. */
        IN_FREE("in free"),
        /** Part of a bigger per-CPU list block. */
        IN_PCP("in pcp"),
        /** Part of a bigger allocated block. */
        IN_ALLOCATED("in allocated"),
        /** Split: its halves are held by different owners (counted in the node). */
        SPLIT("split"),
        /** Reserved frames or holes only: never given to the buddy allocator. */
        RESERVED("reserved");

        private final String label;

        State(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * One block of the tree.
     *
     * @param pfn the block's first PFN (aligned to {@code 1 << order})
     * @param order its order
     * @param state what it is
     * @param holderPfn for the IN_ states, the head PFN of the block that holds it; else {@code pfn}
     * @param holderOrder for the IN_ states, that block's order; else {@code order}
     * @param freePages for SPLIT, pages in free buddy blocks (else 0)
     * @param pcpPages for SPLIT, pages on per-CPU lists
     * @param usedPages for SPLIT, pages of allocated blocks
     * @param otherPages for SPLIT, reserved frames, holes and pages no block accounts for
     */
    public record Node(
            int pfn,
            int order,
            State state,
            int holderPfn,
            int holderOrder,
            int freePages,
            int pcpPages,
            int usedPages,
            int otherPages) {

        /** The last PFN of the block (clamped to the machine's frames). */
        public int lastPfn() {
            return pfn + (1 << order) - 1;
        }
    }

    /** One level of the tree: the block on the path to the focus, and its buddy (null at the top). */
    public record Level(Node block, Node buddy) {}

    private BuddyTree() {}

    /**
     * The levels from MAX_PAGE_ORDER down to {@code order}, each with the block of that order
     * holding {@code pfn} and its buddy ({@code pfn ^ (1 << order)}, as {@code __find_buddy_pfn});
     * the top level has no buddy drawn.
     */
    public static List<Level> path(PageFrames frames, int pfn, int order) {
        List<Level> levels = new ArrayList<>();
        for (int o = PageAllocator.MAX_PAGE_ORDER; o >= order; o--) {
            int base = pfn & -(1 << o);
            Node buddy = o == PageAllocator.MAX_PAGE_ORDER ? null : node(frames, base ^ (1 << o), o);
            levels.add(new Level(node(frames, base, o), buddy));
        }
        return levels;
    }

    /** The block of {@code order} at the aligned {@code base}. */
    public static Node node(PageFrames frames, int base, int order) {
        int n = frames.nrFrames();
        for (int k = order; k <= PageAllocator.MAX_PAGE_ORDER; k++) {
            int h = base & -(1 << k);
            if (h < 0 || h >= n || !frames.valid(h)) {
                continue;
            }
            State whole = blockAt(frames, h, k);
            if (whole != null) {
                if (h == base && k == order) {
                    return new Node(base, order, whole, h, k, 0, 0, 0, 0);
                }
                State in = switch (whole) {
                    case FREE -> State.IN_FREE;
                    case PCP -> State.IN_PCP;
                    default -> State.IN_ALLOCATED;
                };
                return new Node(base, order, in, h, k, 0, 0, 0, 0);
            }
        }
        int free = 0;
        int pcp = 0;
        int used = 0;
        int other = 0;
        int end = (int) Math.min(n, (long) base + (1 << order));
        for (int p = Math.max(0, base); p < end; ) {
            int span = 1;
            if (!frames.valid(p) || frames.test(p, PageFrames.PG_RESERVED)) {
                other++;
            } else if (frames.test(p, PageFrames.PG_BUDDY)) {
                span = 1 << frames.order(p);
                free += Math.min(span, end - p);
            } else if (frames.test(p, PageFrames.PG_PCP)) {
                span = 1 << frames.order(p);
                pcp += Math.min(span, end - p);
            } else if (frames.test(p, PageFrames.PG_HEAD) || isAllocatedHead(frames, p)) {
                span = 1 << frames.order(p);
                used += Math.min(span, end - p);
            } else if (frames.test(p, PageFrames.PG_TAIL)) {
                used++;
            } else {
                other++;
            }
            p += Math.max(1, Math.min(span, end - p));
        }
        if (free == 0 && pcp == 0 && used == 0) {
            return new Node(base, order, State.RESERVED, base, order, 0, 0, 0, other);
        }
        return new Node(base, order, State.SPLIT, base, order, free, pcp, used, other);
    }

    /** The kind of block that starts at {@code h} with order exactly {@code k}, or null. */
    private static State blockAt(PageFrames frames, int h, int k) {
        if (frames.test(h, PageFrames.PG_RESERVED)) {
            return null;
        }
        if (frames.test(h, PageFrames.PG_BUDDY)) {
            return frames.order(h) == k ? State.FREE : null;
        }
        if (frames.test(h, PageFrames.PG_PCP)) {
            return frames.order(h) == k ? State.PCP : null;
        }
        if (frames.test(h, PageFrames.PG_HEAD) || isAllocatedHead(frames, h)) {
            return frames.order(h) == k ? State.ALLOCATED : null;
        }
        return null;
    }

    /** A head page the page allocator handed out (a reference, not a compound tail). */
    private static boolean isAllocatedHead(PageFrames frames, int p) {
        return frames.refcount(p) > 0 && !frames.test(p, PageFrames.PG_TAIL);
    }
}
