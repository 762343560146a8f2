package io.kmemlab.malloc.glibc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.mm.user.HeapChunks;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heap map's walk of glibc's brk heap: chunks tile the heap from its start to the end of top,
 * each pointer malloc returned is an allocated chunk of its usable size plus the header, and each
 * freed chunk is named by the list glibc put it on (tcache first, fastbins once a tcache bin is
 * full, the unsorted bin for a large free, small/large bins after a sort).
 */
class GlibcHeapChunksTest {
    private final FastUserSpace space = new FastUserSpace();
    private final GlibcMalloc g = GlibcMalloc.create(space);

    private record Chunk(long addr, long size, HeapChunks.Kind kind, String list) {}

    private List<Chunk> chunks() {
        List<Chunk> out = new ArrayList<>();
        g.heapChunks().orElseThrow().forEachChunk((a, s, k, l) -> out.add(new Chunk(a, s, k, l)));
        return out;
    }

    @Test
    void chunks_tileTheHeapAndNameEachFreeChunksList() {
        SplittableRandom r = new SplittableRandom(7);
        Map<Long, Long> live = new LinkedHashMap<>();
        long big = g.malloc(300_000); // above the mmap threshold: a mapping of its own
        for (int i = 0; i < 400; i++) {
            long size = r.nextInt(4) == 0 ? 1200 + r.nextInt(3000) : 16 + r.nextInt(200);
            long p = g.malloc(size);
            live.put(p, size);
        }
        List<Long> ptrs = new ArrayList<>(live.keySet());
        for (int i = 0; i < ptrs.size(); i += 2) {
            g.free(ptrs.get(i));
            live.remove(ptrs.get(i));
        }
        g.malloc(5000); // sorts the unsorted bin into small and large bins (and consolidates fastbins)
        long[] small = new long[20];
        for (int i = 0; i < small.length; i++) {
            small[i] = g.malloc(24);
        }
        for (long p : small) {
            g.free(p); // 7 to the tcache bin, the rest to the fastbin
        }
        assertThat(g.validate()).isEmpty();

        List<Chunk> cs = chunks();
        assertThat(cs.get(0).kind()).isEqualTo(HeapChunks.Kind.METADATA);
        assertThat(cs.get(0).list()).isEqualTo(GlibcHeapChunks.TCACHE_STRUCT);
        assertThat(cs.get(cs.size() - 2).kind()).isEqualTo(HeapChunks.Kind.TOP);
        long end = cs.get(0).addr();
        Map<Long, Chunk> byAddr = new LinkedHashMap<>();
        for (Chunk c : cs) {
            byAddr.put(c.addr(), c);
            if (c.list().equals(GlibcHeapChunks.MMAPPED)) {
                continue;
            }
            assertThat(c.addr()).as("chunks tile the heap").isEqualTo(end);
            end = c.addr() + c.size();
        }
        Chunk mapped = byAddr.get(big - 16);
        assertThat(mapped.kind()).isEqualTo(HeapChunks.Kind.ALLOCATED);
        assertThat(mapped.list()).isEqualTo(GlibcHeapChunks.MMAPPED);
        assertThat(mapped.size()).isEqualTo(g.usableSize(big) + 16).isGreaterThanOrEqualTo(300_016);
        assertThat(cs.get(cs.size() - 1)).as("after the brk heap").isSameAs(mapped);
        assertThat(end - cs.get(0).addr()).isLessThanOrEqualTo(g.mainArena.systemMem);
        for (long p : live.keySet()) {
            Chunk c = byAddr.get(p - 16);
            assertThat(c).as("live pointer %x", p).isNotNull();
            assertThat(c.kind()).isEqualTo(HeapChunks.Kind.ALLOCATED);
            assertThat(c.size()).isEqualTo(g.usableSize(p) + 8);
        }
        Map<String, Integer> lists = new LinkedHashMap<>();
        for (Chunk c : cs) {
            if (c.kind() == HeapChunks.Kind.FREE) {
                lists.merge(c.list(), 1, Integer::sum);
            }
        }
        assertThat(lists).containsKeys(GlibcHeapChunks.TCACHE, GlibcHeapChunks.FASTBIN);
        assertThat(lists.keySet())
                .containsAnyOf(GlibcHeapChunks.SMALL, GlibcHeapChunks.LARGE, GlibcHeapChunks.UNSORTED);
        // tcache holds at most 7 chunks per bin
        assertThat(lists.get(GlibcHeapChunks.TCACHE)).isLessThanOrEqualTo(7 * 64);
    }

    @Test
    void chunks_beforeTheFirstMalloc_none() {
        assertThat(chunks()).isEmpty();
    }
}
