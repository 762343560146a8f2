package io.kmemlab.boot.replay.report;

import io.kmemlab.mm.user.HeapChunks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A user-space heap at one moment, for the heap map of {@code kmemlab report malloc}: every chunk
 * of {@link HeapChunks} as (offset from the lowest chunk, size, legend index), and the segments
 * of address space the chunks cover without a gap (a brk heap is one; an allocator with several
 * mappings has one per mapping), so that the page can draw each segment from the start of a row.
 *
 * @param base the lowest chunk's address (0 for an empty heap)
 * @param chunks per chunk, {@link #CHUNK_FIELDS} longs: offset from {@code base}, size, legend index
 * @param segments per segment, two longs: offset from {@code base}, length
 * @param legend keys in first-seen order: {@code allocated}, {@code free:tcache}, {@code top},
 *     {@code metadata:tcache_perthread_struct}, …
 */
public record HeapMap(long base, long[] chunks, long[] segments, List<String> legend) {
    public static final int CHUNK_FIELDS = 3;

    /** The chunks {@code heap} visits now. */
    public static HeapMap of(HeapChunks heap) {
        List<long[]> cs = new ArrayList<>();
        Map<String, Integer> legend = new LinkedHashMap<>();
        Map<HeapChunks.Kind, Map<String, String>> keys = new LinkedHashMap<>();
        heap.forEachChunk((addr, size, kind, list) -> {
            String key = keys.computeIfAbsent(kind, k -> new LinkedHashMap<>())
                    .computeIfAbsent(list, l -> l.isEmpty() ? kind.label() : kind.label() + ":" + l);
            cs.add(new long[] {addr, size, legend.computeIfAbsent(key, k -> legend.size())});
        });
        cs.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        long base = cs.isEmpty() ? 0 : cs.get(0)[0];
        long[] flat = new long[cs.size() * CHUNK_FIELDS];
        List<long[]> segs = new ArrayList<>();
        long[] seg = null;
        for (int i = 0; i < cs.size(); i++) {
            long[] c = cs.get(i);
            long off = c[0] - base;
            flat[i * CHUNK_FIELDS] = off;
            flat[i * CHUNK_FIELDS + 1] = c[1];
            flat[i * CHUNK_FIELDS + 2] = c[2];
            if (seg != null && seg[0] + seg[1] == off) {
                seg[1] += c[1];
            } else {
                seg = new long[] {off, c[1]};
                segs.add(seg);
            }
        }
        long[] s = new long[segs.size() * 2];
        for (int i = 0; i < segs.size(); i++) {
            s[2 * i] = segs.get(i)[0];
            s[2 * i + 1] = segs.get(i)[1];
        }
        return new HeapMap(base, flat, s, List.copyOf(legend.keySet()));
    }

    public int size() {
        return chunks.length / CHUNK_FIELDS;
    }

    /** Bytes of the chunks whose legend key is {@code key}. */
    public long bytes(String key) {
        int li = legend.indexOf(key);
        long b = 0;
        for (int i = 0; i < chunks.length; i += CHUNK_FIELDS) {
            if (chunks[i + 2] == li) {
                b += chunks[i + 1];
            }
        }
        return b;
    }

    /** As JSON for the page. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("base", "0x" + Long.toHexString(base));
        m.put("legend", new ArrayList<Object>(legend));
        List<Object> seg = new ArrayList<>(segments.length);
        for (long v : segments) {
            seg.add(v);
        }
        m.put("segments", seg);
        List<Object> c = new ArrayList<>(chunks.length);
        for (long v : chunks) {
            c.add(v);
        }
        m.put("chunks", c);
        return m;
    }
}
