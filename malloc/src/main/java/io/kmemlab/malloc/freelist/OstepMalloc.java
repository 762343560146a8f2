package io.kmemlab.malloc.freelist;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * OSTEP's {@code vm-freespace/malloc.py}: its abstract heap (a free list of address and size
 * pairs over {@code [base, base + size)}, no bytes behind it, headers counted but not stored) and
 * its output, line for line. The fit policies and their element counts are {@link FitPolicy}'s,
 * the same code the real free-list allocator searches with, so the counts here are the ones
 * {@code best-fit} and the others report in a process.
 *
 * <p>Where this differs from malloc.py, on purpose: next fit ({@code -p NEXT}) exists; a
 * size-sorted list stays sorted (malloc.py leaves a split block's remainder, and after {@code -C}
 * a merged block, where the block was, so its "sorted" lists stop being sorted and its best and
 * worst fit must scan them whole; here the remainder and merged blocks are put back as free puts a
 * block back, appended and stably re-sorted); the search stops where the order allows (see {@link
 * FitPolicy}). For ADDRSORT, INSERT-FRONT and INSERT-BACK the output is malloc.py's, byte for byte.
 * Coalescing is malloc.py's: one pass over the list in its order, merging neighbours that touch.
 */
public final class OstepMalloc implements FitPolicy.Walk {

    /** malloc.py's options, with its defaults. */
    public record Args(
            long seed,
            long heapSize,
            long baseAddr,
            long headerSize,
            long alignment,
            String policy,
            String order,
            boolean coalesce,
            long numOps,
            long range,
            long percentAlloc,
            String allocList,
            boolean compute) {

        public static Args defaults() {
            return new Args(0, 100, 1000, 0, -1, "BEST", "ADDRSORT", false, 10, 10, 50, "", false);
        }
    }

    private final Args args;
    private final FitPolicy policy;
    private final ListOrder order;
    /** The free list: [addr, size] pairs in list order. */
    private List<long[]> list = new ArrayList<>();

    private final Map<Long, Long> sizemap = new HashMap<>();
    private final long[] counted = new long[1];
    /** Next fit's rover: an address inside the block to start from, or -1 (the head). */
    private long rover = -1;

    private OstepMalloc(Args args, FitPolicy policy, ListOrder order) {
        this.args = args;
        this.policy = policy;
        this.order = order;
        list.add(new long[] {args.baseAddr(), args.heapSize()});
    }

    /**
     * Runs malloc.py with {@code args} and returns what it prints.
     *
     * @throws IllegalArgumentException for an option malloc.py would refuse (its assertions), or an
     *     operand of {@code -A} that is neither {@code +Size} nor {@code -Index}
     */
    public static String run(Args args) {
        FitPolicy policy = switch (args.policy()) {
            case "FIRST" -> FitPolicy.FIRST;
            case "BEST" -> FitPolicy.BEST;
            case "WORST" -> FitPolicy.WORST;
            case "NEXT" -> FitPolicy.NEXT;
            default ->
                throw new IllegalArgumentException(
                        "policy " + args.policy() + " is not one of BEST, WORST, FIRST, NEXT");
        };
        ListOrder order = null;
        for (ListOrder o : ListOrder.values()) {
            if (o.ostepName().equals(args.order())) {
                order = o;
            }
        }
        if (order == null) {
            throw new IllegalArgumentException("listOrder " + args.order()
                    + " is not one of ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, INSERT-BACK");
        }
        if (args.alignment() != -1 && args.alignment() <= 0) {
            throw new IllegalArgumentException("alignment " + args.alignment() + " must be -1 or positive");
        }
        if (args.percentAlloc() <= 0) {
            throw new IllegalArgumentException("percentAlloc " + args.percentAlloc() + " must be positive");
        }
        return new OstepMalloc(args, policy, order).simulate();
    }

    // ---- FitPolicy.Walk over the list: element i is handle i + 1

    @Override
    public long first() {
        return list.isEmpty() ? 0 : 1;
    }

    @Override
    public long next(long element) {
        return element < list.size() ? element + 1 : 0;
    }

    @Override
    public long size(long element) {
        return list.get((int) element - 1)[1];
    }

    /** malloc.py's {@code malloc}: the address (-1 if none fits); the count in {@code counted[0]}. */
    private long malloc(long size) {
        if (args.alignment() != -1) {
            long left = size % args.alignment();
            size += left != 0 ? args.alignment() - left : 0;
        }
        size += args.headerSize();
        long e = policy.search(this, order, size, roverElement(), counted);
        if (e == 0) {
            return -1;
        }
        int i = (int) e - 1;
        long addr = list.get(i)[0];
        long bsize = list.get(i)[1];
        if (bsize > size) {
            long[] rem = {addr + size, bsize - size};
            list.set(i, rem);
            if (order.sortedBySize()) {
                list.remove(i);
                list.add(rem);
                resort();
            }
            rover = rem[0];
        } else {
            list.remove(i);
            rover = list.isEmpty() ? -1 : list.get(i % list.size())[0];
        }
        sizemap.put(addr, size);
        return addr;
    }

    private long roverElement() {
        if (rover < 0) {
            return 0;
        }
        for (int i = 0; i < list.size(); i++) {
            long[] e = list.get(i);
            if (e[0] <= rover && rover < e[0] + e[1]) {
                return i + 1;
            }
        }
        return 0;
    }

    private void resort() {
        if (order == ListOrder.SIZE_ASCENDING) {
            list.sort((x, y) -> Long.compare(x[1], y[1]));
        } else if (order == ListOrder.SIZE_DESCENDING) {
            list.sort((x, y) -> Long.compare(y[1], x[1]));
        }
    }

    /** malloc.py's {@code free}: 0, or -1 for an address not allocated. */
    private int free(long addr) {
        Long size = sizemap.get(addr);
        if (size == null) {
            return -1;
        }
        long[] e = {addr, size};
        switch (order) {
            case INSERT_BACK -> list.add(e);
            case INSERT_FRONT -> list.add(0, e);
            case ADDRESS -> {
                list.add(e);
                list.sort((x, y) -> Long.compare(x[0], y[0]));
            }
            default -> {
                list.add(e);
                resort();
            }
        }
        if (args.coalesce()) {
            List<long[]> merged = new ArrayList<>();
            long[] curr = list.get(0);
            for (int i = 1; i < list.size(); i++) {
                long[] n = list.get(i);
                if (n[0] == curr[0] + curr[1]) {
                    curr = new long[] {curr[0], curr[1] + n[1]};
                } else {
                    merged.add(curr);
                    curr = n;
                }
            }
            merged.add(curr);
            list = merged;
            resort();
        }
        sizemap.remove(addr);
        return 0;
    }

    private void dump(StringBuilder out) {
        out.append("Free List [ Size ").append(list.size()).append(" ]: ");
        for (long[] e : list) {
            out.append("[ addr:").append(e[0]).append(" sz:").append(e[1]).append(" ]");
        }
        out.append('\n');
    }

    private String simulate() {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(args.seed()).append('\n');
        out.append("size ").append(args.heapSize()).append('\n');
        out.append("baseAddr ").append(args.baseAddr()).append('\n');
        out.append("headerSize ").append(args.headerSize()).append('\n');
        out.append("alignment ").append(args.alignment()).append('\n');
        out.append("policy ").append(args.policy()).append('\n');
        out.append("listOrder ").append(args.order()).append('\n');
        out.append("coalesce ").append(args.coalesce() ? "True" : "False").append('\n');
        out.append("numOps ").append(args.numOps()).append('\n');
        out.append("range ").append(args.range()).append('\n');
        out.append("percentAlloc ").append(args.percentAlloc()).append('\n');
        out.append("allocList ").append(args.allocList()).append('\n');
        out.append("compute ").append(args.compute() ? "True" : "False").append('\n');
        out.append('\n');
        if (args.allocList().isEmpty()) {
            randomOps(out);
        } else {
            listOps(out);
        }
        return out.toString();
    }

    private void randomOps(StringBuilder out) {
        double percent = args.percentAlloc() / 100.0;
        PythonRandom random = new PythonRandom(args.seed());
        Map<Long, Long> p = new HashMap<>();
        List<Long> live = new ArrayList<>();
        long c = 0;
        long j = 0;
        while (j < args.numOps()) {
            boolean printed = false;
            if (random.random() < percent) {
                long size = (long) (random.random() * args.range()) + 1;
                long ptr = malloc(size);
                if (ptr != -1) {
                    p.put(c, ptr);
                    live.add(c);
                }
                out.append("ptr[").append(c).append("] = Alloc(").append(size).append(')');
                if (args.compute()) {
                    out.append(" returned ").append(ptr + args.headerSize());
                    out.append(" (searched ").append(counted[0]).append(" elements)\n");
                } else {
                    out.append(" returned ?\n");
                }
                c++;
                j++;
                printed = true;
            } else if (!p.isEmpty()) {
                int d = (int) (random.random() * live.size());
                long id = live.get(d);
                int rc = free(p.get(id));
                out.append("Free(ptr[").append(id).append("])\n");
                out.append(args.compute() ? "returned " + rc : "returned ?").append('\n');
                p.remove(id);
                live.remove(d);
                printed = true;
                j++;
            }
            if (printed) {
                if (args.compute()) {
                    dump(out);
                } else {
                    out.append("List? \n");
                }
                out.append('\n');
            }
        }
    }

    private void listOps(StringBuilder out) {
        Map<Long, Long> p = new HashMap<>();
        long c = 0;
        long allocs = 0;
        for (String op : args.allocList().split(",", -1)) {
            if (op.startsWith("+")) {
                long size = parseOperand(op);
                long ptr = malloc(size);
                if (ptr != -1) {
                    p.put(c, ptr);
                    allocs++;
                }
                out.append("ptr[").append(c).append("] = Alloc(").append(size).append(')');
                if (args.compute()) {
                    out.append(" returned ").append(ptr);
                    out.append(" (searched ").append(counted[0]).append(" elements)\n");
                } else {
                    out.append(" returned ?\n");
                }
                c++;
            } else if (op.startsWith("-")) {
                long index = parseOperand(op);
                // malloc.py compares with the number of successful allocations; an index it has
                // no pointer for (a failed allocation) would crash it, and is skipped here too.
                if (index >= allocs || !p.containsKey(index)) {
                    out.append("Invalid Free: Skipping\n");
                    continue;
                }
                out.append("Free(ptr[").append(index).append("])\n");
                int rc = free(p.get(index));
                out.append(args.compute() ? "returned " + rc : "returned ?").append('\n');
            } else {
                throw new IllegalArgumentException("badly specified operand: must be +Size or -Index: '" + op + "'");
            }
            if (args.compute()) {
                dump(out);
            } else {
                out.append("List?\n");
            }
            out.append('\n');
        }
    }

    private static long parseOperand(String op) {
        try {
            long v = Long.parseLong(op.substring(1).trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("badly specified operand: must be +Size or -Index: '" + op + "'", e);
        }
    }
}
