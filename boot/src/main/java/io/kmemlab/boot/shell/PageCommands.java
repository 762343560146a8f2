package io.kmemlab.boot.shell;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.page.PageAllocator;

/** alloc_pages, __free_pages, release_pages, drain. */
final class PageCommands {
    /** Orders the shell accepts at all; the allocator reports anything above MAX_PAGE_ORDER. */
    private static final long MAX_ORDER_ARG = 63;

    private PageCommands() {}

    static void register(Shell sh) {
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
