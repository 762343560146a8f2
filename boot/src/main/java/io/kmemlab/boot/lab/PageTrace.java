package io.kmemlab.boot.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A page-allocator lab trace, written in kmemlab's script language so that the same file replays
 * two ways: {@code ./kmemlab run FILE} (or pasting it into {@code ./kmemlab shell}) runs it on
 * kmemlab's buddy allocator, the reference solution, and {@code ./kmemlab lab check DIR --trace
 * FILE} runs it on the student's. The lines:
 *
 * <pre>
 * # lab: init_memmap 0x1000 4096          the managed ranges (a comment to the shell)
 * $b3 = alloc_pages 2 # pages=3            alloc_pages(3); the shell takes an order, so 3 rounds up
 * __free_pages $b3 2 # pages=3             free_pages(base of block 3, 3)
 * __free_pages $b3+0x1000 0                free_pages(base + 1 frame, 1): a frame inside the block
 * </pre>
 *
 * <p>{@code # pages=N} is left out when N is 2^order. The check and score sets are generated here,
 * the same on every machine.
 */
public record PageTrace(String name, List<int[]> ranges, int nrFrames, List<Op> ops) {
    /** Requests above this many frames (MAX_PAGE_ORDER) need not be satisfiable. */
    static final int MAX_BLOCK = 1 << io.kmemlab.mm.page.PageAllocator.MAX_PAGE_ORDER;

    private static final int BASE = 0x1000;
    private static final int CHECK_PAGES = 4096;
    private static final int SCORE_PAGES = 16384;

    /** Operation kinds. */
    public enum Kind {
        ALLOC,
        FREE
    }

    /** alloc_pages(pages) bound to id, or free_pages(block id's base + offset frames, pages). */
    public record Op(Kind kind, int id, int pages, int offset) {
        static Op alloc(int id, int pages) {
            return new Op(Kind.ALLOC, id, pages, 0);
        }

        static Op free(int id, int pages) {
            return new Op(Kind.FREE, id, pages, 0);
        }

        /** The shell's order for a request of {@code pages}: the smallest power of two that holds it. */
        static int order(int pages) {
            return pages <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(pages - 1);
        }

        /** The operation as the student's interface names it. */
        public String call() {
            return kind == Kind.ALLOC
                    ? "alloc_pages(" + pages + ")"
                    : "free_pages($b" + id + (offset == 0 ? "" : "+" + offset) + ", " + pages + ")";
        }

        /** The operation as its script line. */
        public String text() {
            String suffix = pages == 1 << order(pages) ? "" : " # pages=" + pages;
            if (kind == Kind.ALLOC) {
                return "$b" + id + " = alloc_pages " + order(pages) + suffix;
            }
            String at = offset == 0 ? "" : "+0x" + Long.toHexString((long) offset * PageMemory.PAGE_SIZE);
            return "__free_pages $b" + id + at + " " + order(pages) + suffix;
        }
    }

    /** The same ranges and frames, other operations. */
    PageTrace with(String newName, List<Op> newOps) {
        return new PageTrace(newName, ranges, nrFrames, List.copyOf(newOps));
    }

    /** Frames in the managed ranges. */
    long managedPages() {
        long n = 0;
        for (int[] r : ranges) {
            n += r[1];
        }
        return n;
    }

    /** The trace as a script. */
    public String scriptText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# kmemlab lab trace (page-allocator level) ").append(name).append('\n');
        sb.append("# ./kmemlab run FILE runs it on kmemlab's buddy; ./kmemlab lab check DIR --trace FILE on yours\n");
        sb.append("# lab: frames ").append(nrFrames).append('\n');
        for (int[] r : ranges) {
            sb.append("# lab: init_memmap 0x")
                    .append(Integer.toHexString(r[0]))
                    .append(' ')
                    .append(r[1])
                    .append('\n');
        }
        for (Op op : ops) {
            sb.append(op.text()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads a script this class wrote (or one in its shape).
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    public static PageTrace parse(String name, String text) {
        List<int[]> ranges = new ArrayList<>();
        List<Op> ops = new ArrayList<>();
        int frames = 0;
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            try {
                if (line.startsWith("# lab: init_memmap ")) {
                    String[] w = line.substring("# lab: init_memmap ".length())
                            .trim()
                            .split("\\s+");
                    int base = (int) Long.decode(w[0]).longValue();
                    int n = Integer.parseInt(w[1]);
                    if (base < 0 || n <= 0) {
                        throw new IllegalArgumentException("a range needs a base >= 0 and n > 0");
                    }
                    ranges.add(new int[] {base, n});
                    continue;
                }
                if (line.startsWith("# lab: frames ")) {
                    frames = Integer.parseInt(
                            line.substring("# lab: frames ".length()).trim());
                    continue;
                }
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                ops.add(parseOp(line));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ":" + (i + 1) + ": bad line '" + line + "': "
                        + (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)
                                ? e.getMessage()
                                : "expected '$bID = alloc_pages ORDER [# pages=N]' or"
                                        + " '__free_pages $bID[+0xOFFSET] ORDER [# pages=N]'"));
            }
        }
        if (ranges.isEmpty()) {
            throw new IllegalArgumentException(name + ": no '# lab: init_memmap BASE N' line");
        }
        int need = 0;
        for (int[] r : ranges) {
            need = Math.max(need, r[0] + r[1]);
        }
        return new PageTrace(name, List.copyOf(ranges), Math.max(frames, Math.max(need, 4096)), List.copyOf(ops));
    }

    private static Op parseOp(String line) {
        String body = line;
        Integer pages = null;
        int hash = line.indexOf(" #");
        if (hash >= 0) {
            body = line.substring(0, hash).trim();
            String c = line.substring(hash + 2).trim();
            if (c.startsWith("pages=")) {
                pages = Integer.parseInt(c.substring("pages=".length()).trim());
            }
        }
        String[] w = body.split("\\s+");
        if (w.length == 4 && w[1].equals("=") && w[2].equals("alloc_pages")) {
            int id = varId(w[0]);
            int order = Integer.parseInt(w[3]);
            return Op.alloc(id, pages == null ? 1 << checkedOrder(order) : pages);
        }
        if (w.length == 3 && w[0].equals("__free_pages")) {
            String v = w[1];
            int offset = 0;
            int plus = v.indexOf('+');
            if (plus >= 0) {
                long bytes = Long.decode(v.substring(plus + 1));
                if (bytes % PageMemory.PAGE_SIZE != 0 || bytes < 0) {
                    throw new IllegalArgumentException("an offset must be a whole number of frames");
                }
                offset = (int) (bytes / PageMemory.PAGE_SIZE);
                v = v.substring(0, plus);
            }
            int order = Integer.parseInt(w[2]);
            return new Op(Kind.FREE, varId(v), pages == null ? 1 << checkedOrder(order) : pages, offset);
        }
        throw new IllegalArgumentException("not an alloc_pages or __free_pages line");
    }

    private static int checkedOrder(int order) {
        if (order < 0 || order > 30) {
            throw new IllegalArgumentException("order " + order + " out of range");
        }
        return order;
    }

    private static int varId(String v) {
        if (!v.startsWith("$b")) {
            throw new IllegalArgumentException("a block variable is $bID, not " + v);
        }
        int id = Integer.parseInt(v.substring(2));
        if (id < 0) {
            throw new IllegalArgumentException("negative id");
        }
        return id;
    }

    /** Reads a script file; the trace is named after the file. */
    public static PageTrace read(java.nio.file.Path file) throws java.io.IOException {
        String n = file.getFileName().toString().replaceFirst("\\.kmem$", "");
        return parse(n, java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
    }

    // --- generated sets ------------------------------------------------------------------------

    private static final class Builder {
        final String name;
        final List<Op> ops = new ArrayList<>();
        int next;

        Builder(String name) {
            this.name = name;
        }

        int alloc(int pages) {
            ops.add(Op.alloc(next, pages));
            return next++;
        }

        void free(int id, int pages) {
            ops.add(Op.free(id, pages));
        }

        PageTrace build(List<int[]> ranges, int nrFrames) {
            return new PageTrace(name, List.copyOf(ranges), nrFrames, List.copyOf(ops));
        }

        PageTrace build(int pages) {
            return build(List.of(new int[] {BASE, pages}), BASE + pages);
        }
    }

    /** The traces {@code lab check} runs at this level: the contract, then adversarial sequences. */
    public static List<PageTrace> checkSet() {
        return List.of(basic(), orders(), odd(), all(), fragment(), random(), zero(), twice(), holes());
    }

    /** ucore's basic_check in spirit: a few single frames, freed, reused. */
    static PageTrace basic() {
        Builder b = new Builder("basic");
        int p0 = b.alloc(1);
        int p1 = b.alloc(1);
        int p2 = b.alloc(1);
        b.free(p0, 1);
        b.free(p1, 1);
        b.free(p2, 1);
        int q = b.alloc(5);
        int r = b.alloc(2);
        b.free(q, 5);
        int s = b.alloc(1);
        b.free(r, 2);
        b.free(s, 1);
        return b.build(CHECK_PAGES);
    }

    /** Every order from 0 to MAX_PAGE_ORDER, freed last-in first-out, then first-in first-out. */
    static PageTrace orders() {
        Builder b = new Builder("orders");
        for (int round = 0; round < 2; round++) {
            int[] ids = new int[11];
            for (int k = 0; k <= 10; k++) {
                ids[k] = b.alloc(1 << k);
            }
            for (int k = 0; k <= 10; k++) {
                int j = round == 0 ? 10 - k : k;
                b.free(ids[j], 1 << j);
            }
        }
        return b.build(CHECK_PAGES);
    }

    /** Sizes that are not powers of two, freed out of order. */
    static PageTrace odd() {
        Builder b = new Builder("odd");
        int[] sizes = {3, 5, 6, 7, 9, 13, 31, 100, 257, 1000, 1023};
        int[] ids = new int[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            ids[i] = b.alloc(sizes[i]);
        }
        for (int i = 0; i < sizes.length; i += 2) {
            b.free(ids[i], sizes[i]);
        }
        for (int i = 1; i < sizes.length; i += 2) {
            b.free(ids[i], sizes[i]);
        }
        return b.build(CHECK_PAGES);
    }

    /** All memory one frame at a time, one more (which must fail), all back, then the largest blocks. */
    static PageTrace all() {
        Builder b = new Builder("all");
        int[] ids = new int[CHECK_PAGES];
        for (int i = 0; i < CHECK_PAGES; i++) {
            ids[i] = b.alloc(1);
        }
        b.alloc(1);
        for (int i = 0; i < CHECK_PAGES; i += 2) {
            b.free(ids[i], 1);
        }
        for (int i = 1; i < CHECK_PAGES; i += 2) {
            b.free(ids[i], 1);
        }
        int[] big = new int[CHECK_PAGES / MAX_BLOCK];
        for (int i = 0; i < big.length; i++) {
            big[i] = b.alloc(MAX_BLOCK);
        }
        for (int id : big) {
            b.free(id, MAX_BLOCK);
        }
        return b.build(CHECK_PAGES);
    }

    /** Every other frame free: no two free frames touch, so pairs must fail until the rest come back. */
    static PageTrace fragment() {
        Builder b = new Builder("fragment");
        int[] ids = new int[CHECK_PAGES];
        for (int i = 0; i < CHECK_PAGES; i++) {
            ids[i] = b.alloc(1);
        }
        for (int i = 0; i < CHECK_PAGES; i += 2) {
            b.free(ids[i], 1);
        }
        for (int i = 0; i < 8; i++) {
            b.alloc(2);
        }
        int single = b.alloc(1);
        for (int i = 1; i < CHECK_PAGES; i += 2) {
            b.free(ids[i], 1);
        }
        b.free(single, 1);
        int whole = b.alloc(MAX_BLOCK);
        b.free(whole, MAX_BLOCK);
        return b.build(CHECK_PAGES);
    }

    /** A random mix of sizes and lifetimes, then everything back. */
    static PageTrace random() {
        Builder b = new Builder("random");
        SplittableRandom rnd = new SplittableRandom(16);
        List<int[]> live = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            if (!live.isEmpty() && (live.size() > 300 || rnd.nextInt(100) < 45)) {
                int[] v = live.remove(rnd.nextInt(live.size()));
                b.free(v[0], v[1]);
            } else {
                int pages = rnd.nextInt(10) < 7 ? 1 << rnd.nextInt(4) : 1 + rnd.nextInt(40);
                live.add(new int[] {b.alloc(pages), pages});
            }
        }
        for (int[] v : live) {
            b.free(v[0], v[1]);
        }
        return b.build(CHECK_PAGES);
    }

    /** Zero frames, more frames than there are, and a block after both. */
    static PageTrace zero() {
        Builder b = new Builder("zero");
        b.alloc(0);
        b.alloc(CHECK_PAGES + 1);
        b.alloc(Integer.MAX_VALUE / 2);
        int one = b.alloc(1);
        b.alloc(0);
        b.free(one, 1);
        return b.build(CHECK_PAGES);
    }

    /** Frees that must be refused: twice, a frame inside a block, a frame never handed out. */
    static PageTrace twice() {
        Builder b = new Builder("twice");
        int a = b.alloc(1);
        b.free(a, 1);
        b.free(a, 1);
        int c = b.alloc(4);
        b.ops.add(new Op(Kind.FREE, c, 1, 1));
        b.ops.add(new Op(Kind.FREE, c, 2, 2));
        b.ops.add(new Op(Kind.FREE, c, 1, 64));
        b.free(c, 4);
        b.free(c, 4);
        int d = b.alloc(2);
        b.free(d, 2);
        return b.build(CHECK_PAGES);
    }

    /** Two ranges with a hole between them, neither starting on a large boundary. */
    static PageTrace holes() {
        Builder b = new Builder("holes");
        int first = 1000;
        int second = 2000;
        List<int[]> ids = new ArrayList<>();
        for (int i = 0; i < first + second; i++) {
            ids.add(new int[] {b.alloc(1), 1});
        }
        b.alloc(1);
        for (int[] v : ids) {
            b.free(v[0], v[1]);
        }
        for (int k = 0; k <= 9; k++) {
            int id = b.alloc(1 << k);
            b.free(id, 1 << k);
        }
        return b.build(List.of(new int[] {BASE, first}, new int[] {0x1803, second}), 0x2000);
    }

    /** The traces {@code lab score} runs at this level: workloads under memory pressure. */
    public static List<PageTrace> scoreSet() {
        return List.of(
                churn("pressure", 17, 20000, 0.9, new int[] {1, 1, 1, 2, 2, 4, 8, 3, 5}),
                churn("mixed", 18, 20000, 0.7, new int[] {1, 1, 1, 1, 1, 1, 2, 4, 8, 16, 512}),
                sieve(),
                churn("large", 19, 6000, 0.8, new int[] {16, 32, 64, 128, 256, 100, 1}));
    }

    /**
     * Allocations drawn from {@code sizes} while the live frames stay below {@code fill} of memory
     * (more than that asks for more than a perfect allocator could give, and some fail), random
     * frees; what is live at the end stays live, so the score sees the fragmentation left behind.
     */
    static PageTrace churn(String name, long seed, int n, double fill, int[] sizes) {
        Builder b = new Builder(name);
        SplittableRandom rnd = new SplittableRandom(seed);
        List<int[]> live = new ArrayList<>();
        long liveFrames = 0;
        for (int i = 0; i < n; i++) {
            boolean full = liveFrames > fill * SCORE_PAGES;
            if (!live.isEmpty() && (full ? rnd.nextInt(100) < 60 : rnd.nextInt(100) < 35)) {
                int[] v = live.remove(rnd.nextInt(live.size()));
                b.free(v[0], v[1]);
                liveFrames -= v[1];
            } else {
                int pages = sizes[rnd.nextInt(sizes.length)];
                live.add(new int[] {b.alloc(pages), pages});
                liveFrames += pages;
            }
        }
        return b.build(SCORE_PAGES);
    }

    /** Every frame, three in four returned at random, then order-2 requests into what is left. */
    static PageTrace sieve() {
        Builder b = new Builder("sieve");
        SplittableRandom rnd = new SplittableRandom(20);
        int[] ids = new int[SCORE_PAGES];
        for (int i = 0; i < SCORE_PAGES; i++) {
            ids[i] = b.alloc(1);
        }
        for (int i = 0; i < SCORE_PAGES; i++) {
            if (rnd.nextInt(4) != 0) {
                b.free(ids[i], 1);
            }
        }
        for (int i = 0; i < 1500; i++) {
            b.alloc(4);
        }
        return b.build(SCORE_PAGES);
    }
}
