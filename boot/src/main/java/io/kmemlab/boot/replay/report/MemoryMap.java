package io.kmemlab.boot.replay.report;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.FrameMap;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The physical memory map of one machine at one moment, run-length encoded for the HTML report:
 * one run per block (a free or per-CPU block of its order, a slab, a large kmalloc, …) or per
 * stretch of single frames in the same state, each with the {@link #legend} key that colours it
 * and the owner it names.
 *
 * <p>A slab's owner is the cache the slab allocator says owns its first object
 * ({@link SlabAllocator#ownerOf}); an allocator that shares pages among caches (SLOB) names none,
 * and its slab pages are one legend entry. Built from a {@link FrameMap}, so the classification is
 * mm-core's and this class only names and encodes.
 *
 * @param frames frames of the machine
 * @param runs per run, {@link #RUN_FIELDS} ints: first PFN, length, legend index, owner index (-1:
 *     none), block order
 * @param legend the legend keys in first-seen order: {@code free:3}, {@code pcp}, {@code slab:NAME},
 *     {@code slab}, {@code large kmalloc}, {@code page table}, {@code user anon}, …
 * @param owners owner names (cache names; a process and VMA for its pages) the runs index
 */
public record MemoryMap(int frames, int[] runs, List<String> legend, List<String> owners) {
    public static final int RUN_FIELDS = 5;

    /** Encodes {@code map}, naming slab owners through {@code allocator} now. */
    public static MemoryMap of(FrameMap map, SlabAllocator allocator) {
        return of(map, h -> ownerName(allocator, h));
    }

    /**
     * Encodes {@code map}, naming the owner of the slab whose head is at a PFN with
     * {@code ownerOfHead} (an empty name: none).
     */
    public static MemoryMap of(FrameMap map, IntFunction<String> ownerOfHead) {
        return of(map, ownerOfHead, null);
    }

    /**
     * As {@link #of(FrameMap, IntFunction)}, with the frames the processes hold ({@code users},
     * or null) as states of their own: an allocated page that is a page table or a user page is
     * keyed {@code page table}, {@code user anon}, {@code user file} or {@code user shmem} and
     * owned by its process (and VMA).
     */
    public static MemoryMap of(FrameMap map, IntFunction<String> ownerOfHead, UserFrames users) {
        String[] freeKeys = new String[32];
        for (int o = 0; o < freeKeys.length; o++) {
            freeKeys[o] = "free:" + o;
        }
        Map<Integer, String> named = new HashMap<>();
        Map<String, Integer> legend = new LinkedHashMap<>();
        Map<String, Integer> owners = new LinkedHashMap<>();
        List<int[]> runs = new ArrayList<>();
        int n = map.nrFrames();
        int[] cur = null;
        int curHead = -1;
        for (int pfn = 0; pfn < n; pfn++) {
            FrameMap.State s = map.state(pfn);
            int head = map.head(pfn);
            String owner = null;
            String key;
            switch (s) {
                case FREE -> key = freeKeys[map.order(pfn)];
                case SLAB -> {
                    owner = named.computeIfAbsent(head, ownerOfHead::apply);
                    key = owner.isEmpty() ? "slab" : "slab:" + owner;
                }
                case KERNEL, UNTRACKED -> {
                    int u = users == null ? 0 : users.kind(pfn);
                    if (u != 0) {
                        key = UserFrames.KEYS[u];
                        owner = users.owner(pfn);
                    } else {
                        key = s.label();
                    }
                }
                default -> key = s.label();
            }
            int li = legend.computeIfAbsent(key, k -> legend.size());
            int oi = owner == null || owner.isEmpty() ? -1 : owners.computeIfAbsent(owner, k -> owners.size());
            boolean block = s != FrameMap.State.HOLE
                    && s != FrameMap.State.RESERVED
                    && s != FrameMap.State.UNTRACKED
                    && (s != FrameMap.State.KERNEL || map.order(pfn) > 0);
            if (cur != null && cur[2] == li && cur[3] == oi && (!block || head == curHead)) {
                cur[1]++;
            } else {
                cur = new int[] {pfn, 1, li, oi, map.order(pfn)};
                curHead = head;
                runs.add(cur);
            }
        }
        int[] flat = new int[runs.size() * RUN_FIELDS];
        for (int i = 0; i < runs.size(); i++) {
            System.arraycopy(runs.get(i), 0, flat, i * RUN_FIELDS, RUN_FIELDS);
        }
        return new MemoryMap(n, flat, List.copyOf(legend.keySet()), List.copyOf(owners.keySet()));
    }

    static String ownerName(SlabAllocator allocator, int headPfn) {
        SlabCache c = allocator.ownerOf(Addr.pfnToVirt(headPfn));
        return c == null ? "" : c.descriptor().name();
    }

    /** Frames of runs whose legend key is {@code key}. */
    public long frames(String key) {
        int li = legend.indexOf(key);
        long f = 0;
        for (int i = 0; i < runs.length; i += RUN_FIELDS) {
            if (runs[i + 2] == li) {
                f += runs[i + 1];
            }
        }
        return f;
    }

    /** As JSON for the page: frames, legend, owners and the flat run array. */
    Map<String, Object> json() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("frames", (long) frames);
        m.put("legend", new ArrayList<Object>(legend));
        m.put("owners", new ArrayList<Object>(owners));
        List<Object> r = new ArrayList<>(runs.length);
        for (int v : runs) {
            r.add((long) v);
        }
        m.put("runs", r);
        return m;
    }
}
