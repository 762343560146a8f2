package io.kmemlab.boot.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A slab-level lab trace in kmemlab's script language, so the same file runs on kmemlab's SLUB
 * ({@code ./kmemlab run FILE}, or pasted into {@code ./kmemlab shell}) and on the student's
 * ({@code ./kmemlab lab check DIR --trace FILE}):
 *
 * <pre>
 * kmem_cache_create lab0 24 align=64
 * $o7 = kmem_cache_alloc lab0
 * kmem_cache_free lab0 $o7
 * kmem_cache_free lab0 $o7+0x8        an address inside the object, which must be refused
 * kmem_cache_destroy lab0
 * </pre>
 */
public record SlabTrace(String name, List<Op> ops) {

    /** Operation kinds. */
    public enum Kind {
        CREATE,
        ALLOC,
        FREE,
        DESTROY
    }

    /**
     * One line: CREATE(cache, size, align), ALLOC(cache, id), FREE(cache, id, offset), DESTROY(cache).
     * {@code size} and {@code align} are 0 except on CREATE, {@code id} and {@code offset} 0 except
     * on ALLOC and FREE.
     */
    public record Op(Kind kind, int cache, int id, int size, int align, int offset) {
        /** The operation as the student's interface names it. */
        public String call() {
            return switch (kind) {
                case CREATE -> "create(\"lab" + cache + "\", " + size + ", " + align + ")";
                case ALLOC -> "alloc(lab" + cache + ") for $o" + id;
                case FREE -> "free(lab" + cache + ", $o" + id + (offset == 0 ? "" : "+" + offset) + ")";
                case DESTROY -> "destroy(lab" + cache + ")";
            };
        }

        /** The operation as its script line. */
        public String text() {
            return switch (kind) {
                case CREATE -> "kmem_cache_create lab" + cache + " " + size + (align == 0 ? "" : " align=" + align);
                case ALLOC -> "$o" + id + " = kmem_cache_alloc lab" + cache;
                case FREE ->
                    "kmem_cache_free lab" + cache + " $o" + id
                            + (offset == 0 ? "" : "+0x" + Integer.toHexString(offset));
                case DESTROY -> "kmem_cache_destroy lab" + cache;
            };
        }
    }

    SlabTrace with(String newName, List<Op> newOps) {
        return new SlabTrace(newName, List.copyOf(newOps));
    }

    /** The trace as a script. */
    public String scriptText() {
        StringBuilder sb = new StringBuilder();
        sb.append("# kmemlab lab trace (slab level) ").append(name).append('\n');
        sb.append("# ./kmemlab run FILE runs it on kmemlab's SLUB; ./kmemlab lab check DIR --trace FILE on yours\n");
        for (Op op : ops) {
            sb.append(op.text()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads a script in this shape.
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    public static SlabTrace parse(String name, String text) {
        List<Op> ops = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            int hash = line.indexOf(" #");
            if (hash >= 0) {
                line = line.substring(0, hash).strip();
            }
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                ops.add(parseOp(line.split("\\s+")));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ":" + (i + 1) + ": bad line '" + line + "': "
                        + (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)
                                ? e.getMessage()
                                : "expected kmem_cache_create labN SIZE [align=A], $oID = kmem_cache_alloc labN,"
                                        + " kmem_cache_free labN $oID[+0xOFF] or kmem_cache_destroy labN"));
            }
        }
        return new SlabTrace(name, List.copyOf(ops));
    }

    private static Op parseOp(String[] w) {
        if (w[0].equals("kmem_cache_create") && (w.length == 3 || w.length == 4)) {
            int align = 0;
            if (w.length == 4) {
                if (!w[3].startsWith("align=")) {
                    throw new IllegalArgumentException("only align= is read here");
                }
                align = Integer.decode(w[3].substring(6));
            }
            return new Op(Kind.CREATE, cache(w[1]), 0, Integer.decode(w[2]), align, 0);
        }
        if (w.length == 4 && w[1].equals("=") && w[2].equals("kmem_cache_alloc")) {
            return new Op(Kind.ALLOC, cache(w[3]), var(w[0]), 0, 0, 0);
        }
        if (w.length == 3 && w[0].equals("kmem_cache_free")) {
            String v = w[2];
            int off = 0;
            int plus = v.indexOf('+');
            if (plus >= 0) {
                off = Integer.decode(v.substring(plus + 1));
                v = v.substring(0, plus);
            }
            return new Op(Kind.FREE, cache(w[1]), var(v), 0, 0, off);
        }
        if (w.length == 2 && w[0].equals("kmem_cache_destroy")) {
            return new Op(Kind.DESTROY, cache(w[1]), 0, 0, 0, 0);
        }
        throw new IllegalArgumentException("not a kmem_cache_create, _alloc, _free or _destroy line");
    }

    private static int cache(String w) {
        if (!w.startsWith("lab")) {
            throw new IllegalArgumentException("a cache is labN, not " + w);
        }
        return Integer.parseInt(w.substring(3));
    }

    private static int var(String w) {
        if (!w.startsWith("$o")) {
            throw new IllegalArgumentException("an object variable is $oID, not " + w);
        }
        return Integer.parseInt(w.substring(2));
    }

    public static SlabTrace read(java.nio.file.Path file) throws java.io.IOException {
        String n = file.getFileName().toString().replaceFirst("\\.kmem$", "");
        return parse(n, java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8));
    }

    // --- generated sets ------------------------------------------------------------------------

    private static final class Builder {
        final String name;
        final List<Op> ops = new ArrayList<>();
        int nextId;

        Builder(String name) {
            this.name = name;
        }

        void create(int c, int size, int align) {
            ops.add(new Op(Kind.CREATE, c, 0, size, align, 0));
        }

        int alloc(int c) {
            ops.add(new Op(Kind.ALLOC, c, nextId, 0, 0, 0));
            return nextId++;
        }

        void free(int c, int id) {
            ops.add(new Op(Kind.FREE, c, id, 0, 0, 0));
        }

        void destroy(int c) {
            ops.add(new Op(Kind.DESTROY, c, 0, 0, 0, 0));
        }

        /** {@code n} random allocs and frees in cache c, at most {@code cap} live; all freed at the end. */
        void churn(SplittableRandom rnd, int c, int n, int cap) {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (!live.isEmpty() && (live.size() >= cap || rnd.nextInt(100) < 45)) {
                    free(c, live.remove(rnd.nextInt(live.size())));
                } else {
                    live.add(alloc(c));
                }
            }
            while (!live.isEmpty()) {
                free(c, live.remove(rnd.nextInt(live.size())));
            }
        }

        SlabTrace build() {
            return new SlabTrace(name, List.copyOf(ops));
        }
    }

    /** The traces {@code lab check} runs at this level. */
    public static List<SlabTrace> checkSet() {
        return List.of(basic(), sizes(), align(), many(), caches(), twice());
    }

    static SlabTrace basic() {
        Builder b = new Builder("basic");
        b.create(0, 64, 0);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            ids.add(b.alloc(0));
        }
        for (int id : ids) {
            b.free(0, id);
        }
        b.destroy(0);
        return b.build();
    }

    /** Sizes from 8 bytes to more than two pages, and ones that divide a page badly. */
    static SlabTrace sizes() {
        Builder b = new Builder("sizes");
        int[] sizes = {8, 24, 100, 192, 1000, 3000, 4096, 9000};
        SplittableRandom rnd = new SplittableRandom(21);
        for (int c = 0; c < sizes.length; c++) {
            b.create(c, sizes[c], 0);
            b.churn(rnd, c, 120, 40);
            b.destroy(c);
        }
        return b.build();
    }

    /** Alignments from a cache line to a page. */
    static SlabTrace align() {
        Builder b = new Builder("align");
        int[][] shapes = {{24, 64}, {100, 128}, {8, 256}, {1000, 512}, {200, 4096}, {72, 16}};
        SplittableRandom rnd = new SplittableRandom(22);
        for (int c = 0; c < shapes.length; c++) {
            b.create(c, shapes[c][0], shapes[c][1]);
            b.churn(rnd, c, 80, 30);
            b.destroy(c);
        }
        return b.build();
    }

    /** Ten thousand small objects: many slabs, freed in random order. */
    static SlabTrace many() {
        Builder b = new Builder("many");
        b.create(0, 32, 0);
        List<Integer> ids = new ArrayList<>();
        for (int i = 0; i < 10000; i++) {
            ids.add(b.alloc(0));
        }
        SplittableRandom rnd = new SplittableRandom(23);
        while (!ids.isEmpty()) {
            b.free(0, ids.remove(rnd.nextInt(ids.size())));
        }
        b.destroy(0);
        return b.build();
    }

    /** Two caches at once; one destroyed while the other's objects are live; a name reused. */
    static SlabTrace caches() {
        Builder b = new Builder("caches");
        b.create(0, 40, 0);
        b.create(1, 520, 0);
        List<Integer> a = new ArrayList<>();
        List<Integer> c = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            a.add(b.alloc(0));
            c.add(b.alloc(1));
        }
        for (int id : a) {
            b.free(0, id);
        }
        b.destroy(0);
        for (int i = 0; i < 100; i++) {
            b.free(1, c.get(i));
        }
        b.create(2, 40, 8);
        SplittableRandom rnd = new SplittableRandom(24);
        b.churn(rnd, 2, 400, 100);
        for (int i = 100; i < c.size(); i++) {
            b.free(1, c.get(i));
        }
        b.destroy(1);
        b.destroy(2);
        return b.build();
    }

    /** Frees that must be refused: twice, and an address inside an object. */
    static SlabTrace twice() {
        Builder b = new Builder("twice");
        b.create(0, 64, 0);
        int x = b.alloc(0);
        int y = b.alloc(0);
        b.free(0, x);
        b.free(0, x);
        b.ops.add(new Op(Kind.FREE, 0, y, 0, 0, 8));
        int z = b.alloc(0);
        b.free(0, y);
        b.free(0, z);
        b.free(0, y);
        b.destroy(0);
        return b.build();
    }

    /** The traces {@code lab score} runs: object sizes that fit pages well and badly. */
    public static List<SlabTrace> scoreSet() {
        return List.of(
                single("dentry", 192, 8, 30, 20000, 3000),
                single("small", 16, 0, 31, 30000, 6000),
                single("odd", 700, 0, 32, 12000, 1500),
                single("big", 3000, 0, 33, 6000, 600),
                mixed());
    }

    static SlabTrace single(String name, int size, int align, long seed, int n, int cap) {
        Builder b = new Builder(name);
        b.create(0, size, align);
        b.churn(new SplittableRandom(seed), 0, n, cap);
        b.destroy(0);
        return b.build();
    }

    static SlabTrace mixed() {
        Builder b = new Builder("mixed");
        int[] sizes = {32, 96, 256, 1200, 2048};
        for (int c = 0; c < sizes.length; c++) {
            b.create(c, sizes[c], 0);
        }
        SplittableRandom rnd = new SplittableRandom(34);
        List<int[]> live = new ArrayList<>();
        for (int i = 0; i < 20000; i++) {
            if (!live.isEmpty() && (live.size() >= 2500 || rnd.nextInt(100) < 45)) {
                int[] v = live.remove(rnd.nextInt(live.size()));
                b.free(v[0], v[1]);
            } else {
                int c = rnd.nextInt(sizes.length);
                live.add(new int[] {c, b.alloc(c)});
            }
        }
        for (int[] v : live) {
            b.free(v[0], v[1]);
        }
        for (int c = 0; c < sizes.length; c++) {
            b.destroy(c);
        }
        return b.build();
    }
}
