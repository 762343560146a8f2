package io.kmemlab.mm.user;

/** The texts of {@link HeapView}: pure functions of what the view visits. */
public final class HeapViewText {

    private HeapViewText() {}

    /**
     * {@code Free List [ Size k ]: [ addr:A sz:S ]…} as malloc.py prints its list (one space after
     * the colon, no space between elements), addresses in hex; an allocator with several lists gets
     * one such line per non-empty list after the first, prefixed {@code list N: }.
     */
    public static String freeList(HeapView view) {
        int[] lists = {0};
        view.forEachFree((list, addr, size) -> lists[0] = Math.max(lists[0], list));
        int n = lists[0] + 1;
        int[] counts = new int[n];
        StringBuilder[] items = new StringBuilder[n];
        for (int i = 0; i < n; i++) {
            items[i] = new StringBuilder();
        }
        view.forEachFree((list, addr, size) -> {
            counts[list]++;
            items[list]
                    .append("[ addr:0x")
                    .append(Long.toHexString(addr))
                    .append(" sz:")
                    .append(size)
                    .append(" ]");
        });
        StringBuilder sb = new StringBuilder();
        if (n == 1) {
            return sb.append("Free List [ Size ")
                    .append(counts[0])
                    .append(" ]: ")
                    .append(items[0])
                    .append('\n')
                    .toString();
        }
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        sb.append("Free Lists [ Size ").append(total).append(" ]:\n");
        for (int i = 0; i < n; i++) {
            if (counts[i] > 0) {
                sb.append("list ")
                        .append(i)
                        .append(" [ Size ")
                        .append(counts[i])
                        .append(" ]: ")
                        .append(items[i])
                        .append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * One line per block, {@code 0x55555555a000 +0x0000        32 used  → 0x55555555a010} or
     * {@code … free}, then the free list.
     */
    public static String render(HeapView view) {
        StringBuilder sb = new StringBuilder();
        long[] base = {-1};
        view.forEachBlock((addr, size, allocated, payload) -> {
            if (base[0] < 0) {
                base[0] = addr;
            }
            sb.append(String.format("0x%x +0x%-8x %10d %s", addr, addr - base[0], size, allocated ? "used" : "free"));
            if (allocated && payload != 0) {
                sb.append("  -> 0x").append(Long.toHexString(payload));
            }
            sb.append('\n');
        });
        if (base[0] < 0) {
            sb.append("(empty heap)\n");
        }
        return sb.append(freeList(view)).toString();
    }

    /** OSTEP's allocation line over a real heap: {@code ptr[0] = Alloc(10) returned 0x… (searched 1 elements)}. */
    public static String allocLine(long index, long size, long addr, long searched) {
        return "ptr[" + index + "] = Alloc(" + size + ") returned "
                + (addr == 0 ? "0x0" : "0x" + Long.toHexString(addr)) + " (searched " + searched + " elements)";
    }

    /** OSTEP's two free lines: {@code Free(ptr[0])}, newline, {@code returned 0} (-1 for a bad free). */
    public static String freeLines(long index, int rc) {
        return "Free(ptr[" + index + "])\nreturned " + rc;
    }

    /**
     * OSTEP's {@code -A} op list ({@code +10,-0,+20}) run on a real allocator, printed in malloc.py's
     * output mode: after each op its line(s), the free list, a blank line. A free of an index that
     * has no pointer prints {@code Invalid Free: Skipping}, as malloc.py does; a free the allocator
     * reports as bad returns -1.
     *
     * @throws IllegalArgumentException for an operand that is neither {@code +Size} nor {@code -Index}
     */
    public static String ostepTranscript(UserAllocator allocator, String opList) {
        HeapView view = allocator
                .heapView()
                .orElseThrow(() -> new IllegalArgumentException(allocator.name() + " has no heap view"));
        StringBuilder out = new StringBuilder();
        java.util.List<Long> ptrs = new java.util.ArrayList<>();
        for (String op : opList.split(",", -1)) {
            long n;
            try {
                n = Long.parseLong(op.substring(Math.min(1, op.length())).trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || !(op.startsWith("+") || op.startsWith("-"))) {
                throw new IllegalArgumentException("badly specified operand: must be +Size or -Index: '" + op + "'");
            }
            if (op.startsWith("+")) {
                long p = allocator.malloc(n);
                ptrs.add(p);
                out.append(allocLine(ptrs.size() - 1, n, p, view.lastSearched()))
                        .append('\n');
            } else {
                if (n >= ptrs.size() || ptrs.get((int) n) == 0) {
                    out.append("Invalid Free: Skipping\n");
                    continue;
                }
                long bad = allocator.metric().badFrees();
                allocator.free(ptrs.get((int) n));
                out.append(freeLines(n, allocator.metric().badFrees() == bad ? 0 : -1))
                        .append('\n');
            }
            out.append(view.freeListText()).append('\n');
        }
        return out.toString();
    }
}
