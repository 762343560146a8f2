package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kmemlab.malloc.testkit.FastUserSpace;
import io.kmemlab.mm.testing.FlatUserSpace;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserAllocatorStats;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GlibcMallocTest {
    private final FastUserSpace space = new FastUserSpace();
    private GlibcMalloc g = GlibcMalloc.create(space);

    @AfterEach
    void valid() {
        if (space.alive()) {
            assertEquals(java.util.List.of(), g.validate());
        }
    }

    private GlibcMalloc with(Map<String, String> options) {
        space.reset();
        g = GlibcOptions.parse(options).build(space);
        return g;
    }

    @Test
    void request2size_everySmallRequest_isRequestPlus8RoundedTo16AtLeast32() {
        for (long req = 0; req < 1 << 16; req++) {
            long expect = Math.max(32, (req + 8 + 15) / 16 * 16);
            assertEquals(expect, GlibcMalloc.request2size(req), "req " + req);
        }
        assertEquals(0, GlibcMalloc.checkedRequest2size(-1), "above PTRDIFF_MAX");
        assertEquals(0x8000000000000010L, GlibcMalloc.checkedRequest2size(Long.MAX_VALUE), "size_t arithmetic");
        assertEquals(0, g.malloc(Long.MAX_VALUE), "PTRDIFF_MAX passes the check, then no memory is that big");
    }

    @Test
    void largebinIndex_matchesTheBinTable() {
        long[][] table = {
            {1024, 64},
            {1087, 64},
            {1088, 65},
            {3072, 96},
            {3135, 96},
            {3136, 97},
            {3583, 97},
            {3584, 98},
            {10240, 111},
            {10751, 111},
            {10752, 112},
            {36864, 119},
            {40960, 120},
            {65535, 120},
            {65536, 121},
            {98304, 122},
            {131072, 123},
            {163840, 124},
            {262144, 125},
            {524288, 126},
            {1L << 40, 126},
        };
        for (long[] row : table) {
            assertEquals(row[1], GlibcMalloc.largebinIndex(row[0]), "size " + row[0]);
        }
        int prev = 0;
        for (long sz = 32; sz < 1 << 21; sz += 16) {
            int i = GlibcMalloc.binIndex(sz);
            assertTrue(i >= prev && i <= 126, "bins grow with size: " + sz);
            prev = i;
        }
    }

    @Test
    void firstMalloc_followsTheTcacheStructAtTheHeapStart() {
        long p = g.malloc(5);
        assertEquals(space.startBrk() + 0x2a0, p);
        assertEquals(0x291, space.readU64(space.startBrk() + 8), "tcache_perthread_struct: 0x290 | PREV_INUSE");
        assertEquals(24, g.usableSize(p));
        assertEquals(space.startBrk() + 0x21000, space.brkAddress(), "0x290 + 32 + 128 KiB top_pad, a page multiple");
    }

    @Test
    void free_thenMalloc_sameSize_reusesTheTcacheLifo_andCallocDoesNot() {
        long a = g.malloc(40);
        long b = g.malloc(40);
        g.free(a);
        g.free(b);
        // safe-linking: b's next is a, stored as (&next >> 12) ^ a; the key marks it cached
        assertEquals((b >>> 12) ^ a, space.readU64(b));
        assertNotEquals(0, space.readU64(b + 8));
        assertEquals(b, g.malloc(40));
        long c = g.calloc(1, 40);
        assertNotEquals(a, c, "2.36's calloc does not take from the tcache");
        assertEquals(a, g.malloc(40));
    }

    @Test
    void eighthFree_ofOneSize_goesToTheFastbin() {
        long[] p = new long[9];
        for (int i = 0; i < 9; i++) {
            p[i] = g.malloc(24);
        }
        for (int i = 0; i < 8; i++) {
            g.free(p[i]);
        }
        Mallinfo2 m = g.mallinfo2();
        assertEquals(1, m.smblks(), "seven in the tcache, the eighth in fastbin 0");
        assertEquals(32, m.fsmblks());
    }

    @Test
    void mmapThreshold_risesToAFreedMappedChunk() {
        long p = g.malloc(200_000);
        assertTrue(g.isMmappedChunk(p));
        assertEquals(200_704 - 16, g.usableSize(p));
        g.free(p);
        assertEquals(200_704, g.mp.mmapThreshold);
        assertEquals(2 * 200_704, g.mp.trimThreshold);
        long q = g.malloc(200_000);
        assertFalse(g.isMmappedChunk(q), "below the raised threshold: from the heap");
    }

    @Test
    void mmapThreshold_setByTunable_isNotDynamic() {
        with(Map.of("tunables", "glibc.malloc.mmap_threshold=131072"));
        g.free(g.malloc(200_000));
        assertEquals(131_072, g.mp.mmapThreshold);
        assertTrue(g.isMmappedChunk(g.malloc(200_000)));
    }

    @Test
    void realloc_growsInPlaceIntoTop_andMremapsMappedChunks() {
        long p = g.malloc(100);
        assertEquals(p, g.realloc(p, 5000), "the next chunk is top");
        long m = g.malloc(300_000);
        long r = g.realloc(m, 600_000);
        assertTrue(g.isMmappedChunk(r));
        assertTrue(g.usableSize(r) >= 600_000);
        assertEquals(0, g.realloc(r, 0), "realloc(p, 0) frees");
    }

    @Test
    void memalign_returnsAlignedBlocks_andPosixMemalignChecksTheAlignment() {
        for (long al : new long[] {32, 64, 256, 4096, 65536}) {
            long p = g.memalign(al, 100);
            assertEquals(0, p % al, "alignment " + al);
            assertTrue(g.usableSize(p) >= 100);
        }
        assertEquals(-22, g.posixMemalign(12, 100));
        assertEquals(-22, g.posixMemalign(48, 100), "48/8 is not a power of two");
        assertTrue(g.posixMemalign(64, 100) > 0);
    }

    @Test
    void calloc_clearsReusedMemory() {
        long p = g.malloc(2000);
        space.fill(p, 0xff, 2000);
        g.malloc(24); // keep p from merging into top
        g.free(p);
        long q = g.calloc(20, 100);
        assertEquals(p, q);
        for (long i = 0; i < 2000; i++) {
            assertEquals(0, space.readU8(q + i), "byte " + i);
        }
        assertEquals(0, g.calloc(Long.MAX_VALUE, 3), "n * size overflows");
    }

    @Test
    void options_refuseUnknownTunablesAndBadNumbers_andKeepGlibcsLimits() {
        assertThrows(
                IllegalArgumentException.class, () -> GlibcOptions.parse(Map.of("tunables", "glibc.malloc.nope=1")));
        assertThrows(IllegalArgumentException.class, () -> GlibcOptions.parse(Map.of("tcache_count", "seven")));
        assertThrows(IllegalArgumentException.class, () -> GlibcOptions.parse(Map.of("mallopt", "M_NOPE=1")));
        assertThrows(IllegalArgumentException.class, () -> GlibcOptions.parse(Map.of("thp", "sometimes")));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GlibcOptions.parse(Map.of("arena", "1")));
        assertTrue(e.getMessage().contains("unknown option 'arena'"), e.getMessage());
        with(Map.of("tunables", "glibc.malloc.tcache_count=70000:glibc.malloc.mxfast=161:glibc.malloc.perturb=300"));
        assertEquals(7, g.mp.tcacheCount, "do_set_tcache_count refuses more than 65535");
        assertEquals(128, g.mp.globalMaxFast, "do_set_mxfast refuses more than 160");
        assertEquals(0, g.mp.perturbByte, "perturb is 0..255");
        with(Map.of("tunables", "glibc.malloc.tcache_max=0x40:glibc.malloc.mxfast=0"));
        assertEquals(4, g.mp.tcacheBins, "tcache_max=64 caches chunks up to 80 bytes");
        assertEquals(16, g.mp.globalMaxFast, "mxfast=0: no chunk is that small");
    }

    @Test
    void mallopt_returnsWhatGlibcReturns() {
        assertEquals(0, g.mallopt(Mallopt.M_MXFAST, 161));
        assertEquals(1, g.mallopt(Mallopt.M_MXFAST, 0));
        assertEquals(1, g.mallopt(Mallopt.M_ARENA_MAX, -1), "ignored, but 1");
        assertEquals(0, g.mp.arenaMax);
        assertEquals(1, g.mallopt(Mallopt.M_ARENA_MAX, 1));
        assertEquals(1, g.mp.arenaMax);
        assertEquals(1, g.mallopt(Mallopt.M_KEEP, 5), "SVID parameters are accepted and unused");
        assertEquals(Mallopt.M_ARENA_MAX, Mallopt.param("arena_max"));
        assertEquals("M_TOP_PAD", Mallopt.name(-2));
    }

    @Test
    void provider_isFoundByServiceLoader_andOffersTheStatsFace() {
        UserAllocatorProvider p = ServiceLoader.load(UserAllocatorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("glibc"))
                .findFirst()
                .orElseThrow();
        assertTrue(p.options().containsAll(java.util.Set.of("tunables", "mallopt", "cpus", "tcache_count")));
        UserAllocator a = p.create(new FlatUserSpace(), Map.of("mallopt", "M_MXFAST=0"));
        assertEquals("glibc", a.name());
        a.free(a.malloc(10));
        UserAllocatorStats s = (UserAllocatorStats) a;
        assertTrue(s.mallocStats().startsWith("Arena 0:\nsystem bytes     =     135168\n"), s.mallocStats());
        assertTrue(s.statsText().startsWith("# mallinfo2 arena=135168 ordblks=1 "), s.statsText());
        assertTrue(s.statsText().contains("# brk_end_offset 21000\n<malloc version=\"1\">\n"));
    }

    @Test
    void metric_countsBlocksBytesAndFailures() {
        long a = g.malloc(100);
        long b = g.malloc(1000);
        g.free(a);
        assertEquals(1, g.metric().liveBlocks());
        assertEquals(1000, g.metric().liveRequestedBytes());
        assertEquals(1000, g.metric().liveUsableBytes(), "chunk 1008, less the 8-byte header");
        assertEquals(1100, g.metric().peakLiveRequestedBytes());
        assertEquals(0x21000, g.metric().heapBytes());
        assertEquals(0, g.malloc(-1));
        assertEquals(1, g.metric().failures());
        assertTrue(g.metric().freeBytes() > 0);
        g.free(b);
    }

    @Test
    void validate_findsAPokedFooter() {
        long a = g.malloc(2000);
        g.malloc(24);
        g.free(a); // unsorted bin
        space.writeU64(a - 16 + 2016, 0x1234); // the free chunk's footer (next chunk's prev_size)
        assertFalse(g.validate().isEmpty());
        space.writeU64(a - 16 + 2016, 2016);
    }

    @Test
    void threads_getTheirOwnArenaInAnAlignedHeap_untilArenaMax() {
        long m = g.malloc(100);
        g.asThread(1);
        long t = g.malloc(100);
        long heap = t & ~(GlibcMalloc.HEAP_MAX_SIZE - 1);
        assertNotEquals(space.startBrk(), heap);
        assertEquals(heap + 0x8d0 + 0x290 + 16, t, "heap_info, malloc_state, the thread's tcache, then t");
        assertEquals(GlibcMalloc.NON_MAIN_ARENA, space.readU64(t - 8) & GlibcMalloc.NON_MAIN_ARENA);
        assertTrue(g.mallocStats().contains("Arena 1:\nsystem bytes     =     135168\n"), g.mallocStats());
        assertTrue(g.mallocInfo().contains("<heap nr=\"1\">"));
        assertTrue(g.mallocInfo().contains("<aspace type=\"subheaps\" size=\"1\"/>"));
        g.free(m); // a main-arena chunk freed by thread 1 lands in thread 1's tcache
        assertEquals(m, g.malloc(100));
        g.threadExit();
        g.asThread(2);
        long u = g.malloc(100);
        assertEquals(heap, u & ~(GlibcMalloc.HEAP_MAX_SIZE - 1), "thread 2 takes the exited thread's arena");
        g.asThread(1);
        long w = g.malloc(100);
        assertNotEquals(heap, w & ~(GlibcMalloc.HEAP_MAX_SIZE - 1), "a new thread 1: a new arena");
        assertNotEquals(space.startBrk(), w & ~(GlibcMalloc.HEAP_MAX_SIZE - 1));
        with(Map.of("tunables", "glibc.malloc.arena_max=1"));
        g.malloc(1);
        g.asThread(1);
        long v = g.malloc(100);
        assertTrue(v > space.startBrk() && v < space.brkAddress(), "arena_max=1: the main arena");
    }

    @Test
    void hugetlb2_disablesSbrk_andFallsBackFromMapHugetlb() {
        with(Map.of("tunables", "glibc.malloc.hugetlb=2"));
        long p = g.malloc(100);
        assertEquals(space.startBrk(), space.brkAddress(), "the main arena never calls sbrk");
        assertTrue(p > space.brkAddress(), "its memory is an mmap'd piece");
        long big = g.malloc(3 << 20);
        assertTrue(g.isMmappedChunk(big), "MAP_HUGETLB failed, a plain mapping served it");
        g.free(big);
        g.free(p);
    }

    @Test
    void brkFailure_fallsBackToMmap_nonContiguous() {
        FastUserSpace s = new FastUserSpace().brkLimit(0x21000);
        GlibcMalloc a = GlibcOptions.parse(Map.of("mallopt", "M_MMAP_MAX=0")).build(s);
        long p = a.malloc(100);
        long q = a.malloc(300_000);
        assertTrue(q < p || q > s.brkAddress(), "served from an mmap'd piece");
        assertFalse(a.isMmappedChunk(q), "a heap chunk, not a mapped one");
        assertEquals(2, a.mainArena.flags & 2, "NONCONTIGUOUS");
        a.free(q);
        a.free(p);
    }
}
