package io.kmemlab.malloc.glibc;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.mm.user.Errno;

/**
 * The test side of {@code apidriver.c} (in the test resources): replays an .ops file through
 * every allocation call and prints what the driver prints, stdout and stderr apart.
 */
final class ApiOps {
    final StringBuilder out = new StringBuilder();
    final StringBuilder err = new StringBuilder();
    /** Where apidriver's break starts under {@code setarch -R} on this machine. */
    static final long DRIVER_BRK = 0x5555_5565_9000L;

    final FastUserSpace space = new FastUserSpace(DRIVER_BRK);
    final GlibcMalloc g;

    ApiOps(GlibcOptions options) {
        g = options.build(space);
    }

    private void line(char op, long id, long q) {
        long us = q == 0 ? 0 : g.usableSize(q);
        out.append(op).append(' ').append(id).append(' ');
        if (q == 0) {
            out.append("null");
        } else if (g.isMmappedChunk(q)) {
            out.append("mmap");
        } else {
            out.append(Long.toHexString(q - space.startBrk()));
        }
        out.append(' ').append(us).append('\n');
    }

    private void scribble(long q, long n) {
        if (q != 0) {
            space.fill(q, 0xa5, Math.min(n, 256));
        }
    }

    /** strtoul(…, 0): decimal or 0x hex, all 64 bits. */
    private static long poke(String v) {
        return v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseUnsignedLong(v);
    }

    ApiOps run(String ops) {
        long[] ptr = new long[1 << 20];
        for (String l : ops.split("\n")) {
            if (l.isBlank()) {
                continue;
            }
            String[] f = l.trim().split("\\s+");
            char op = f[0].charAt(0);
            long a = f.length > 1 ? Long.parseLong(f[1]) : 0;
            long b = f.length > 2 ? Long.parseLong(f[2]) : 0;
            long c = f.length > 3 && op != 'w' ? Long.parseLong(f[3]) : 0;
            int id = (int) a;
            switch (op) {
                case 'm' -> {
                    long q = ptr[id] = g.malloc(b);
                    line(op, a, q);
                    scribble(q, b);
                }
                case 'r' -> {
                    long q = g.realloc(ptr[id], b);
                    if (q != 0 || b == 0) {
                        ptr[id] = q;
                    }
                    line(op, a, q);
                    scribble(q, b);
                }
                case 'f' -> {
                    g.free(ptr[id]);
                    ptr[id] = 0;
                }
                case 'c' -> {
                    long q = ptr[id] = g.calloc(b, c);
                    line(op, a, q);
                    long nz = 0;
                    for (long i = 0; q != 0 && i < b * c; i++) {
                        nz += space.readU8(q + i) != 0 ? 1 : 0;
                    }
                    out.append("z ").append(nz).append('\n');
                    scribble(q, b * c);
                }
                case 'a' -> {
                    long q = ptr[id] = g.memalign(b, c);
                    line(op, a, q);
                    scribble(q, c);
                }
                case 'p' -> {
                    long r = g.posixMemalign(b, c);
                    int rc = r == -Errno.EINVAL ? Errno.EINVAL : r == -Errno.ENOMEM ? Errno.ENOMEM : 0;
                    long q = rc == 0 ? r : 0;
                    ptr[id] = q;
                    out.append("P ").append(rc).append('\n');
                    line(op, a, q);
                    scribble(q, c);
                }
                case 'o' ->
                    out.append("o ")
                            .append(a)
                            .append(' ')
                            .append(b)
                            .append(' ')
                            .append(g.mallopt((int) a, (int) b))
                            .append('\n');
                case 't' ->
                    out.append("t ")
                            .append(a)
                            .append(' ')
                            .append(g.mallocTrim(a))
                            .append('\n');
                case 's' -> err.append(g.mallocStats());
                case 'w' -> space.writeU64(ptr[id] + b, poke(f[3]));
                case 'F' -> g.free(ptr[id] + b);
                default -> throw new IllegalArgumentException(l);
            }
        }
        out.append(g.statsText());
        return this;
    }
}
