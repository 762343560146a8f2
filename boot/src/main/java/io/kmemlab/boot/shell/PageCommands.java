package io.kmemlab.boot.shell;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.page.MovableOwner;
import io.kmemlab.mm.page.PageAllocator;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/** alloc_pages, __free_pages, release_pages, drain. */
final class PageCommands {
    /** Orders the shell accepts at all; the allocator reports anything above MAX_PAGE_ORDER. */
    private static final long MAX_ORDER_ARG = 63;

    private PageCommands() {}

    /**
     * The owner of the movable blocks the shell allocated ({@code alloc_pages ORDER
     * GFP_HIGHUSER_MOVABLE}): when compaction migrates one, every {@code $var} holding an address
     * inside the old block is rebound to the same offset in the new one, and the move is printed.
     * Movable pages the shell did not allocate are not its to move.
     */
    static final class ShellPages implements MovableOwner {
        private final Shell sh;
        private final Set<Integer> movable = new HashSet<>();

        ShellPages(Shell sh) {
            this.sh = sh;
        }

        @Override
        public boolean owns(int pfn, int order) {
            return movable.contains(pfn);
        }

        @Override
        public void migrated(int oldPfn, int newPfn, int order) {
            movable.remove(oldPfn);
            movable.add(newPfn);
            long oldVirt = Addr.pfnToVirt(oldPfn);
            long size = (long) Addr.PAGE_SIZE << order;
            for (Map.Entry<String, Long> v : Map.copyOf(sh.variables()).entrySet()) {
                long off = v.getValue() - oldVirt;
                if (off >= 0 && off < size) {
                    long moved = Addr.pfnToVirt(newPfn) + off;
                    sh.setVariable(v.getKey(), moved);
                    sh.out()
                            .println("$" + v.getKey() + " = " + Addr.hex(moved) + " (migrated by compaction from "
                                    + Addr.hex(v.getValue()) + ")");
                }
            }
        }
    }

    static void register(Shell sh) {
        ShellPages pages = new ShellPages(sh);
        if (sh.kernel() != null && sh.kernel().pageAllocator() != null) {
            sh.kernel().pageAllocator().addMovableOwner(pages);
        }
        sh.register(ShellCommand.of(
                "alloc_pages",
                "alloc_pages ORDER [GFP]",
                "allocate 2^ORDER pages (default GFP_KERNEL); returns the block's address",
                inv -> {
                    inv.expectArgs(1, 2);
                    int order = (int) inv.count(0, "order", MAX_ORDER_ARG);
                    int gfp = inv.gfp(1);
                    int pfn = inv.kernel().pageAllocator().allocPages(inv.cpu(), gfp, order);
                    if (pfn == PageAllocator.NO_PAGE) {
                        return Result.error("page allocation failure: order:" + order);
                    }
                    if ((gfp & Gfp.__GFP_MOVABLE) != 0) {
                        pages.movable.add(pfn);
                    }
                    return Result.address(Addr.pfnToVirt(pfn));
                }));
        sh.register(ShellCommand.of("__free_pages", "__free_pages ADDR ORDER", "free a block of 2^ORDER pages", inv -> {
            inv.expectArgs(2, 2);
            long addr = inv.address(0);
            int order = (int) inv.count(1, "order", MAX_ORDER_ARG);
            if (!Addr.isDirectMap(addr, inv.machine().nrFrames()) || Addr.offsetInPage(addr) != 0) {
                return Result.error(Addr.hex(addr) + " is not the address of a page");
            }
            if (!inv.kernel().pageAllocator().freePages(inv.cpu(), Addr.virtToPfn(addr), order)) {
                return Result.error("bad page " + Addr.hex(addr) + " order " + order + " (see report)");
            }
            pages.movable.remove(Addr.virtToPfn(addr));
            return Result.NONE;
        }));
        sh.register(ShellCommand.of(
                "release_pages",
                "release_pages ADDR…",
                "free order-0 pages as one batch (free_unref_folios: mm_page_free_batched)",
                inv -> {
                    if (inv.argc() < 1) {
                        inv.expectArgs(1, Integer.MAX_VALUE);
                    }
                    int n = inv.argc();
                    int[] pfns = new int[n];
                    for (int i = 0; i < n; i++) {
                        long addr = inv.address(i);
                        if (!Addr.isDirectMap(addr, inv.machine().nrFrames()) || Addr.offsetInPage(addr) != 0) {
                            return Result.error(Addr.hex(addr) + " is not the address of a page");
                        }
                        pfns[i] = Addr.virtToPfn(addr);
                    }
                    int freed = inv.kernel().pageAllocator().freePagesBatch(inv.cpu(), pfns, new int[n], n);
                    for (int pfn : pfns) {
                        pages.movable.remove(pfn);
                    }
                    if (freed != n) {
                        return Result.error((n - freed) + " of " + n + " pages not freed (see report)");
                    }
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of("drain", "drain", "empty every CPU's per-CPU page lists (drain_all_pages)", inv -> {
            inv.expectArgs(0, 0);
            inv.kernel().pageAllocator().drainAll();
            return Result.NONE;
        }));
    }
}
