package io.kmemlab.malloc.testkit;

import io.kmemlab.mm.user.UserAllocator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.LongPredicate;

/**
 * A CS:APP .rep trace read into arrays, replayed as the recorder's {@code replay.c} does: one
 * line per a/r op, {@code "op id offset usable"} with the hex offset from the initial break, or
 * {@code mmap} for a chunk in its own mapping.
 */
public final class RepTrace {
    public final int ids;
    public final int ops;
    /** 'a', 'r' or 'f'. */
    public final byte[] op;

    public final int[] id;
    public final long[] size;

    private RepTrace(int ids, int ops, byte[] op, int[] id, long[] size) {
        this.ids = ids;
        this.ops = ops;
        this.op = op;
        this.id = id;
        this.size = size;
    }

    public static RepTrace read(InputStream in) throws IOException {
        String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        String[] lines = text.split("\n");
        int ids = Integer.parseInt(lines[1].trim());
        int n = 0;
        byte[] op = new byte[lines.length];
        int[] id = new int[lines.length];
        long[] size = new long[lines.length];
        for (int i = 4; i < lines.length; i++) {
            String l = lines[i].trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\\s+");
            char c = f[0].charAt(0);
            if (c != 'a' && c != 'r' && c != 'f') {
                continue;
            }
            op[n] = (byte) c;
            id[n] = Integer.parseInt(f[1]);
            size[n] = c == 'f' ? 0 : Long.parseLong(f[2]);
            n++;
        }
        return new RepTrace(ids, n, op, id, size);
    }

    /**
     * Replays the trace; appends replay.c's op lines to {@code out} if it is not null.
     *
     * @return the pointer table (for a caller that wants to free what is left)
     */
    public long[] replay(UserAllocator a, long startBrk, LongPredicate mmapped, StringBuilder out) {
        long[] ptr = new long[ids + 1];
        for (int i = 0; i < ops; i++) {
            int k = id[i];
            long q;
            switch (op[i]) {
                case 'a' -> q = ptr[k] = a.malloc(size[i]);
                case 'r' -> q = ptr[k] = a.realloc(ptr[k], size[i]);
                default -> {
                    a.free(ptr[k]);
                    ptr[k] = 0;
                    continue;
                }
            }
            if (out != null) {
                long us = q == 0 ? 0 : a.usableSize(q);
                out.append((char) op[i]).append(' ').append(k).append(' ');
                if (q != 0 && mmapped.test(q)) {
                    out.append("mmap");
                } else {
                    out.append(Long.toHexString(q - startBrk));
                }
                out.append(' ').append(us).append('\n');
            }
        }
        return ptr;
    }
}
