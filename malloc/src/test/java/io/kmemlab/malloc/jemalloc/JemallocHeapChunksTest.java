package io.kmemlab.malloc.jemalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.testing.FlatUserSpace;
import io.kmemlab.mm.user.HeapChunks;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The heap map's walk of jemalloc: chunks never overlap, every live pointer lies in an allocated
 * chunk at least its usable size, every freed pointer in a free one (its slab's bitmap, the
 * tcache, or a dirty extent), and the base blocks are the metadata.
 */
class JemallocHeapChunksTest {
    private record Chunk(long addr, long size, HeapChunks.Kind kind, String list) {}

    @Test
    void chunks_coverLiveAndFreedBlocksByState() {
        Jemalloc je = new Jemalloc(new FlatUserSpace(), JemallocConfig.parse(""));
        SplittableRandom r = new SplittableRandom(3);
        List<Long> live = new ArrayList<>();
        List<Long> freed = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            long size = r.nextInt(10) == 0 ? 16_000 + r.nextInt(100_000) : 8 + r.nextInt(600);
            live.add(je.malloc(size));
        }
        for (int i = live.size() - 1; i >= 0; i -= 3) {
            long p = live.remove(i);
            je.free(p);
            freed.add(p);
        }
        assertThat(je.validate()).isEmpty();
        List<Chunk> cs = new ArrayList<>();
        je.heapChunks().orElseThrow().forEachChunk((a, s, k, l) -> cs.add(new Chunk(a, s, k, l)));
        long end = 0;
        for (Chunk c : cs) {
            assertThat(c.addr()).as("chunks in address order, no overlap").isGreaterThanOrEqualTo(end);
            end = c.addr() + c.size();
        }
        assertThat(cs)
                .anyMatch(c -> c.kind() == HeapChunks.Kind.METADATA && c.list().equals(JemallocHeapChunks.BASE));
        for (long p : live) {
            Chunk c = containing(cs, p);
            assertThat(c.kind()).as("live %x", p).isEqualTo(HeapChunks.Kind.ALLOCATED);
            assertThat(c.addr() + c.size() - p).isGreaterThanOrEqualTo(je.usableSize(p));
        }
        List<String> lists = new ArrayList<>();
        for (long p : freed) {
            Chunk c = containing(cs, p);
            assertThat(c.kind()).as("freed %x", p).isEqualTo(HeapChunks.Kind.FREE);
            lists.add(c.list());
        }
        assertThat(lists).contains(JemallocHeapChunks.TCACHE, JemallocHeapChunks.SLAB);
    }

    private static Chunk containing(List<Chunk> cs, long p) {
        int lo = 0;
        int hi = cs.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (Long.compareUnsigned(cs.get(mid).addr(), p) <= 0) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        Chunk c = cs.get(lo);
        assertThat(p).as("pointer %x in a chunk", p).isBetween(c.addr(), c.addr() + c.size() - 1);
        return c;
    }
}
