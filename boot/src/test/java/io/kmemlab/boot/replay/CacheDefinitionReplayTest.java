package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest;
import io.kmemlab.boot.replay.source.TraceFileSource;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.trace.CacheDefinition;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Caches in kmemlab's own traces: a machine driven directly (as a shell script drives it) creates
 * caches with tracing on, so the trace holds the creations' own events after each
 * {@code # kmemlab cache:} comment; the replay creates the caches from the comments, skips those
 * events, and ends where the machine ended.
 */
class CacheDefinitionReplayTest {
    private static final List<String> WORDS = List.of("mem=64M", "nr_cpus=2");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"slab", "slub", "slob"})
    void freshBoot_hasNoCreatedCaches_aCreatedOneIsListedWithItsArguments(String allocator) {
        ReplayTarget t = ReplayCommandTest.KERNEL.boot(allocator, WORDS);
        assertThat(ReplaySession.createdCaches(t.slab())).isEmpty();
        t.slab()
                .kmemCacheCreate(
                        "first",
                        200,
                        SlabFlags.HWCACHE_ALIGN,
                        KmemCacheArgs.builder().usercopy(8, 16).build());
        t.slab()
                .kmemCacheCreate(
                        "second",
                        40,
                        0,
                        KmemCacheArgs.builder().ctor(CacheShape.NOOP_CTOR).build());
        List<CacheDefinition> defs = ReplaySession.createdCaches(t.slab());
        assertThat(defs).extracting(CacheDefinition::name).containsExactly("first", "second");
        CacheDefinition first = defs.get(0);
        assertThat(first.size()).isEqualTo(200);
        assertThat(first.flags()).isEqualTo(SlabFlags.HWCACHE_ALIGN);
        assertThat(first.align()).isEqualTo(SlabLayer.calculateAlignment(SlabFlags.HWCACHE_ALIGN, 0, 200));
        assertThat(first.useroffset()).isEqualTo(8);
        assertThat(first.usersize()).isEqualTo(16);
        assertThat(defs.get(1).ctor()).isTrue();
    }

    /** What a script does: caches created while tracing, objects of them and of kmalloc. */
    private static void script(ReplayTarget t) {
        SlabLayer s = t.slab();
        long site = t.machine().symbols().intern("script_fn", 0x10, 0x80);
        KmemCache a = s.kmemCacheCreate("script_a", 300, 0, KmemCacheArgs.NONE);
        // Mergeable with script_a under SLAB and SLUB: an alias that raises its object_size.
        KmemCache b = s.kmemCacheCreate("script_b", 304, 0, KmemCacheArgs.NONE);
        KmemCache c = s.kmemCacheCreate(
                "script_c",
                72,
                SlabFlags.HWCACHE_ALIGN,
                KmemCacheArgs.builder().ctor(CacheShape.NOOP_CTOR).build());
        // Created and never used: still a row of /proc/slabinfo.
        s.kmemCacheCreate(
                "script_empty",
                1000,
                0,
                KmemCacheArgs.builder().usercopy(0, 1000).build());
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            int cpu = i % 2;
            t.machine().clock().set(1_000_000L * (i + 1));
            live.add(new long[] {
                1, s.kmemCacheAlloc(cpu, i % 3 == 0 ? a : i % 3 == 1 ? b : c, Gfp.GFP_KERNEL, site), i % 3
            });
            live.add(new long[] {0, s.kmalloc(cpu, 16 + i * 7 % 900, Gfp.GFP_KERNEL, site), 0});
            if (i % 4 == 3) {
                long[] o = live.remove(i % live.size());
                if (o[0] == 0) {
                    s.kfree(cpu, o[1], site);
                } else {
                    s.kmemCacheFree(cpu, o[2] == 0 ? a : o[2] == 1 ? b : c, o[1], site);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"slab", "slub", "slob"})
    void scriptTraceWithCreations_replaysToTheSameMachine(String allocator) throws Exception {
        ReplayTarget orig = ReplayCommandTest.KERNEL.boot(allocator, WORDS);
        Path trace = tmp.resolve("script-" + allocator + ".txt");
        try (BufferedWriter w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            ReplaySession.attachTrace(orig, w);
            script(orig);
        }
        List<String> lines = Files.readAllLines(trace);
        List<String> comments =
                lines.stream().filter(l -> l.startsWith("# kmemlab cache: ")).toList();
        assertThat(comments).hasSize(4);
        long creationEvents = 0;
        for (String c : comments) {
            creationEvents += Long.parseLong(c.substring(c.indexOf(" events=") + 8));
        }
        Replayer.Run r = ReplaySession.runAll(
                        ReplayCommandTest.KERNEL,
                        ReplayOptions.DEFAULT,
                        () -> 0,
                        ProgressListener.NONE,
                        new TraceFileSource(trace, null),
                        List.of(allocator),
                        WORDS,
                        null)
                .get(0);
        ReplayStats s = r.stats();
        assertThat(s.malformed()).isZero();
        assertThat(s.unmatchedFrees()).isZero();
        assertThat(s.cacheComments()).isEqualTo(4);
        assertThat(s.cachesDefined()).isEqualTo(4);
        assertThat(s.cachesCreated()).isZero();
        // Each creation's own events (its descriptor from kmem_cache, per-CPU arrays …) are done by
        // creating the cache again, not replayed as well.
        assertThat(s.skipped(SkipReason.CACHE_CREATION)).isEqualTo(creationEvents);
        if (!allocator.equals("slub")) {
            assertThat(creationEvents).isPositive();
        }
        assertThat(s.applied() + s.skipped() + s.malformed()).isEqualTo(s.eventsRead());
        ReplayTarget replayed = r.target();
        if (replayed.machine().vfs().exists("/proc/slabinfo")) {
            assertThat(replayed.machine().vfs().read("/proc/slabinfo"))
                    .contains("script_empty")
                    .isEqualTo(orig.machine().vfs().read("/proc/slabinfo"));
        }
        assertThat(replayed.machine().vfs().read("/proc/buddyinfo"))
                .isEqualTo(orig.machine().vfs().read("/proc/buddyinfo"));
        assertThat(replayed.machine().vfs().read("/proc/meminfo"))
                .isEqualTo(orig.machine().vfs().read("/proc/meminfo"));
        assertThat(replayed.slab().find("script_b").objectSize())
                .isEqualTo(orig.slab().find("script_b").objectSize());
    }

    @Test
    void cacheExistingWhenTracingStarts_isDefinedAtTheTop_andReplayedAsIs() throws Exception {
        ReplayTarget orig = ReplayCommandTest.KERNEL.boot("slub", WORDS);
        KmemCache pre = orig.slab()
                .kmemCacheCreate(
                        "before_trace",
                        520,
                        0,
                        KmemCacheArgs.builder().align(64).build());
        Path trace = tmp.resolve("pre.txt");
        long site = orig.machine().symbols().intern("f", 0, 0x10);
        try (BufferedWriter w = Files.newBufferedWriter(trace, StandardCharsets.UTF_8)) {
            ReplaySession.attachTrace(orig, w);
            for (int i = 0; i < 20; i++) {
                orig.slab().kmemCacheAlloc(0, pre, Gfp.GFP_KERNEL, site);
            }
        }
        List<String> lines = Files.readAllLines(trace);
        assertThat(lines.get(4))
                .isEqualTo("# kmemlab cache: name=before_trace size=520 align=64 flags=0x00000000 "
                        + "ctor=0 useroffset=0 usersize=0 freeptr_offset=-1 events=0");
        Replayer.Run r = ReplaySession.runAll(
                        ReplayCommandTest.KERNEL,
                        ReplayOptions.DEFAULT,
                        () -> 0,
                        ProgressListener.NONE,
                        new TraceFileSource(trace, null),
                        List.of("slub"),
                        WORDS,
                        null)
                .get(0);
        assertThat(r.stats().cachesDefined()).isEqualTo(1);
        assertThat(r.target().slab().find("before_trace").impl().size())
                .isEqualTo(pre.impl().size());
        assertThat(r.target().machine().vfs().read("/proc/slabinfo"))
                .isEqualTo(orig.machine().vfs().read("/proc/slabinfo"));
    }

    @Test
    void damagedComment_isMalformed_andTheCacheFallsBackToAShape() throws IOException {
        Path trace = tmp.resolve("damaged.txt");
        Files.writeString(
                trace,
                "# tracer: nop\n"
                        + "# kmemlab cache: name=mm_struct size=15x68 align=0 flags=0x00042000\n"
                        + "  sh-1 [000] ..... 1.000001: kmem_cache_alloc: call_site=a+0x0/0x1 ptr=ffff888004a3c000 "
                        + "name=mm_struct bytes_req=1568 bytes_alloc=1600 gfp_flags=GFP_KERNEL node=-1 accounted=true\n");
        ReplayCommandTest.Result res =
                ReplayCommandTest.run(ReplayCommandTest.replay(), trace.toString(), "mem=64M", "--json", "--no-timing");
        assertThat(res.exit()).as(res.err()).isZero();
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "events")).isEqualTo(2);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "malformed")).isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "applied")).isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "caches_created"))
                .isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "caches_defined"))
                .isZero();
        assertThat(res.out()).contains("line 2: kmemlab cache comment: size out of range");
    }

    @Test
    void definitionThisKernelRefuses_isReported_andTheCacheFallsBackToAShape() throws IOException {
        Path trace = tmp.resolve("refused.txt");
        // SLAB_KMALLOC (0x8) is not a flag kmem_cache_create accepts (SLAB_FLAGS_PERMITTED).
        Files.writeString(
                trace,
                "# kmemlab cache: name=weird size=64 flags=0x00010000\n"
                        + "  sh-1 [000] ..... 1.000001: kmem_cache_alloc: call_site=a+0x0/0x1 ptr=ffff888004a3c000 "
                        + "name=weird bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n");
        ReplayCommandTest.Result res =
                ReplayCommandTest.run(ReplayCommandTest.replay(), trace.toString(), "mem=64M", "--json", "--no-timing");
        assertThat(res.exit()).as(res.err()).isZero();
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "caches_defined_failed"))
                .isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "caches_created"))
                .isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "warn")).isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "applied")).isEqualTo(1);
    }

    @Test
    void definitionOfACacheThatExists_isNotApplied_andItsCreationEventsAreReplayed() throws IOException {
        Path trace = tmp.resolve("exists.txt");
        // kmalloc-64 is a boot cache: the definition is ignored and the "creation" line applied.
        Files.writeString(
                trace,
                "# kmemlab cache: name=kmalloc-64 size=64 events=1\n"
                        + "  sh-1 [000] ..... 1.000001: kmalloc: call_site=a+0x0/0x1 ptr=ffff888004a3c000 "
                        + "bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n");
        ReplayCommandTest.Result res =
                ReplayCommandTest.run(ReplayCommandTest.replay(), trace.toString(), "mem=64M", "--json", "--no-timing");
        assertThat(res.exit()).as(res.err()).isZero();
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "cache_comments"))
                .isEqualTo(1);
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "caches_defined"))
                .isZero();
        assertThat(ReplayCommandTest.jsonLong(res.out(), "slub", "applied")).isEqualTo(1);
        assertThat(res.out()).doesNotContain("cache_creation");
    }
}
