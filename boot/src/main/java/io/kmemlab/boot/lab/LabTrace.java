package io.kmemlab.boot.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A malloc-lab trace: the CS:APP {@code .rep} format (four header numbers — suggested heap size,
 * ids, operations, weight — then one {@code a ID BYTES}, {@code r ID BYTES} or {@code f ID} per
 * line). {@link #standard()} generates kmemlab's own traces in the shapes of the lab's standard set
 * (binary patterns that defeat first fit, coalescing runs, random mixes, realloc growth); none is a
 * copy of the lab's files.
 */
public record LabTrace(String name, List<Op> ops, int ids) {

    /** Operation kinds of a {@code .rep} line. */
    public enum Kind {
        ALLOC('a'),
        REALLOC('r'),
        FREE('f');

        final char letter;

        Kind(char letter) {
            this.letter = letter;
        }
    }

    /** One line of the trace. */
    public record Op(Kind kind, int id, long size) {
        /** The operation as its {@code .rep} line. */
        public String text() {
            return kind == Kind.FREE ? "f " + id : kind.letter + " " + id + " " + size;
        }
    }

    /** A trace of {@code ops}, its id count one more than the largest id. */
    public static LabTrace of(String name, List<Op> ops) {
        int ids = 0;
        for (Op op : ops) {
            ids = Math.max(ids, op.id() + 1);
        }
        return new LabTrace(name, List.copyOf(ops), ids);
    }

    /** The trace as a {@code .rep} file. */
    public String repText() {
        StringBuilder sb = new StringBuilder();
        sb.append(0)
                .append('\n')
                .append(ids)
                .append('\n')
                .append(ops.size())
                .append('\n')
                .append(1)
                .append('\n');
        for (Op op : ops) {
            sb.append(op.text()).append('\n');
        }
        return sb.toString();
    }

    /**
     * Reads a {@code .rep} file's text.
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    public static LabTrace parse(String name, String text) {
        String[] lines = text.split("\n", -1);
        List<Op> ops = new ArrayList<>();
        int header = 0;
        int ids = 0;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] w = line.split("\\s+");
            try {
                if (header < 4) {
                    long v = Long.parseLong(w[0]);
                    if (header == 1) {
                        ids = (int) v;
                    }
                    header++;
                    continue;
                }
                Kind kind = switch (w[0]) {
                    case "a" -> Kind.ALLOC;
                    case "r" -> Kind.REALLOC;
                    case "f" -> Kind.FREE;
                    default -> throw new IllegalArgumentException("unknown operation '" + w[0] + "'");
                };
                int id = Integer.parseInt(w[1]);
                long size = kind == Kind.FREE ? 0 : Long.parseLong(w[2]);
                if (id < 0 || size < 0) {
                    throw new IllegalArgumentException("negative id or size");
                }
                ops.add(new Op(kind, id, size));
                ids = Math.max(ids, id + 1);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(name + ":" + (i + 1) + ": bad line '" + line + "': "
                        + (e instanceof IllegalArgumentException && !(e instanceof NumberFormatException)
                                ? e.getMessage()
                                : "expected 'a ID BYTES', 'r ID BYTES' or 'f ID'"));
            }
        }
        return new LabTrace(name, List.copyOf(ops), ids);
    }

    /**
     * Reads a {@code .rep} file, plain or compressed ({@code .xz}, {@code .gz}, as
     * ../shared/malloc-traces keeps its real programs' traces); the trace is named after the file.
     *
     * @throws IllegalArgumentException naming the first bad line
     */
    public static LabTrace read(java.nio.file.Path file) throws java.io.IOException {
        String n = file.getFileName().toString();
        java.io.InputStream in = java.nio.file.Files.newInputStream(file);
        try (in) {
            java.io.InputStream body = n.endsWith(".xz")
                    ? new org.tukaani.xz.XZInputStream(in)
                    : n.endsWith(".gz") ? new java.util.zip.GZIPInputStream(in) : in;
            String text = new String(body.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            return parse(n.replaceFirst("(\\.(xz|gz))?$", "").replaceFirst("\\.rep$", ""), text);
        }
    }

    /** The generated standard set, the same on every machine. */
    public static List<LabTrace> standard() {
        return List.of(
                binary("binary", 64, 448, 2000),
                binary("binary2", 16, 112, 2400),
                coalescing(),
                random("random", 1, 4800, 1200, 7),
                random("random2", 1, 2400, 1200, 11),
                shortMix(),
                realloc("realloc", 512, 128, 600),
                realloc("realloc2", 4092, 16, 1200));
    }

    /**
     * The adversarial sequences {@code lab check} adds to the standard set: every size from 1 to
     * 130 (odd sizes, sizes just past a header), one large block, realloc shrinking, keeping its
     * size and growing past its neighbour, and a free in the middle of a run.
     */
    public static LabTrace edges() {
        Builder b = new Builder("edges");
        List<Integer> ids = new ArrayList<>();
        for (int size = 1; size <= 130; size++) {
            ids.add(b.alloc(size));
        }
        for (int i = 0; i < ids.size(); i += 2) {
            b.free(ids.get(i));
        }
        int big = b.alloc(1 << 20);
        b.realloc(big, 100);
        b.realloc(big, 100);
        b.realloc(big, 70_000);
        int x = b.alloc(24);
        int y = b.alloc(24);
        int z = b.alloc(24);
        b.free(y);
        b.realloc(x, 40);
        b.realloc(z, 4000);
        return b.freeAll();
    }

    /** Small and large blocks interleaved, then every large one freed and larger ones asked for. */
    static LabTrace binary(String name, long small, long large, int pairs) {
        Builder b = new Builder(name);
        int[] big = new int[pairs];
        for (int i = 0; i < pairs; i++) {
            b.alloc(small);
            big[i] = b.alloc(large);
        }
        for (int i = 0; i < pairs; i++) {
            b.free(big[i]);
        }
        for (int i = 0; i < pairs; i++) {
            b.alloc(large + small + 64);
        }
        return b.freeAll();
    }

    /** Pairs of neighbours freed together and one block of both sizes asked for. */
    static LabTrace coalescing() {
        Builder b = new Builder("coalescing");
        for (int i = 0; i < 2000; i++) {
            int x = b.alloc(4095);
            int y = b.alloc(4095);
            b.free(x);
            b.free(y);
            int z = b.alloc(8190);
            b.free(z);
        }
        return b.freeAll();
    }

    /** Random sizes up to {@code max}, live set up to {@code live}, seeded. */
    static LabTrace random(String name, long min, long max, int live, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Builder b = new Builder(name);
        List<Integer> alive = new ArrayList<>();
        for (int i = 0; i < live * 4; i++) {
            if (!alive.isEmpty() && (alive.size() >= live || r.nextInt(3) == 0)) {
                int k = r.nextInt(alive.size());
                b.free(alive.get(k));
                alive.set(k, alive.get(alive.size() - 1));
                alive.remove(alive.size() - 1);
            } else {
                alive.add(b.alloc(r.nextLong(min, max + 1)));
            }
        }
        return b.freeAll();
    }

    /** A short trace of the sizes a small program asks for, for step-by-step debugging. */
    static LabTrace shortMix() {
        Builder b = new Builder("short");
        int a = b.alloc(2040);
        int c = b.alloc(2040);
        b.free(c);
        int d = b.alloc(48);
        int e = b.alloc(4072);
        b.free(e);
        int f = b.alloc(4072);
        b.free(a);
        b.free(d);
        b.free(f);
        b.alloc(1);
        b.alloc(8);
        b.alloc(17);
        return b.freeAll();
    }

    /** Blocks grown step by step by realloc, a small block allocated between steps. */
    static LabTrace realloc(String name, long start, long step, int steps) {
        Builder b = new Builder(name);
        int grow = b.alloc(start);
        long size = start;
        int gap = b.alloc(128);
        for (int i = 0; i < steps; i++) {
            size += step;
            b.realloc(grow, size);
            b.free(gap);
            gap = b.alloc(128);
        }
        return b.freeAll();
    }

    /** Writes a trace op by op, tracking live ids so {@link #freeAll} can free the rest. */
    static final class Builder {
        private final String name;
        private final List<Op> ops = new ArrayList<>();
        private final List<Integer> live = new ArrayList<>();
        private int next;

        Builder(String name) {
            this.name = name;
        }

        int alloc(long size) {
            int id = next++;
            ops.add(new Op(Kind.ALLOC, id, size));
            live.add(id);
            return id;
        }

        void realloc(int id, long size) {
            ops.add(new Op(Kind.REALLOC, id, size));
        }

        void free(int id) {
            ops.add(new Op(Kind.FREE, id, 0));
            live.remove(Integer.valueOf(id));
        }

        LabTrace freeAll() {
            for (int id : List.copyOf(live)) {
                free(id);
            }
            return new LabTrace(name, List.copyOf(ops), next);
        }
    }
}
