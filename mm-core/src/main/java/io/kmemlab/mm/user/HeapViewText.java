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
}
