package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorStats;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.tukaani.xz.XZInputStream;

/**
 * The test side of {@code replay.c}: replays a CS:APP {@code .rep} trace through an allocator and
 * prints what the real driver prints under jemalloc, one {@code "op id - usable"} line per a/r op,
 * then the six {@code stats.*} figures as {@code "# name value"} lines and malloc_stats_print's
 * JSON.
 */
final class TraceReplayer {
    private TraceReplayer() {}

    static List<String> readXz(String resource) throws IOException {
        try (InputStream in = TraceReplayer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(new XZInputStream(in), StandardCharsets.UTF_8));
            List<String> lines = new ArrayList<>();
            for (String l = r.readLine(); l != null; l = r.readLine()) {
                lines.add(l);
            }
            return lines;
        }
    }

    /** The replay's output lines (op lines, # lines, then the JSON as one line). */
    static List<String> replay(List<String> rep, UserAllocator a) {
        return replay(rep, a, "J");
    }

    /** As {@link #replay(List, UserAllocator)}, with malloc_stats_print's {@code opts}. */
    static List<String> replay(List<String> rep, UserAllocator a, String opts) {
        int[] hdr = new int[4];
        int i = 0;
        int h = 0;
        while (h < 4 && i < rep.size()) {
            String l = rep.get(i++).trim();
            if (!l.isEmpty()) {
                hdr[h++] = (int) Double.parseDouble(l.split("\\s+")[0]);
            }
        }
        long[] ptr = new long[hdr[1] + 1];
        List<String> out = new ArrayList<>(hdr[2] + 16);
        for (; i < rep.size(); i++) {
            String l = rep.get(i).trim();
            if (l.isEmpty()) {
                continue;
            }
            String[] f = l.split("\\s+");
            char op = f[0].charAt(0);
            int id = Integer.parseInt(f[1]);
            long q;
            if (op == 'a') {
                q = ptr[id] = a.malloc(Long.parseLong(f[2]));
            } else if (op == 'r') {
                q = ptr[id] = a.realloc(ptr[id], Long.parseLong(f[2]));
            } else if (op == 'f') {
                a.free(ptr[id]);
                ptr[id] = 0;
                continue;
            } else {
                continue;
            }
            out.add(op + " " + id + " - " + (q == 0 ? 0 : a.usableSize(q)));
        }
        UserAllocatorStats s = (UserAllocatorStats) a;
        s.statsFigures().forEach((k, v) -> out.add("# " + k + " " + v));
        out.add(s.statsPrint(opts).stripTrailing());
        return out;
    }
}
