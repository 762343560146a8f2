package io.kmemlab.mm.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code # kmemlab cache:} comment lines and how the tracer places them among the events. */
class CacheCommentTest {
    private static final boolean UPDATE = Boolean.getBoolean("kmemlab.updateGolden");

    private final Cpus cpus = new Cpus(2);
    private final VirtualClock clock = new VirtualClock();
    private final Symbols symbols = new Symbols();
    private final Tracer tracer = new Tracer(cpus, clock, new TraceFormat(symbols, 42));
    private final List<String> plain = new ArrayList<>();
    private final List<String> annotated = new ArrayList<>();

    private static final CacheDefinition TASK_STRUCT =
            new CacheDefinition("task_struct", 9792, 64, 0x00042000, false, 3056, 160, -1, 0);

    private void attach() {
        tracer.enable("kmem:*");
        tracer.addSink(plain::add);
        tracer.addSink(annotated::add, true);
    }

    private void emitAlloc(long ptr, String cache) {
        tracer.emit(
                0,
                new KmemEvent.KmemCacheAlloc(
                        symbols.intern("kmem_cache_create_usercopy", 0x1b4, 0x2a0),
                        ptr,
                        cache,
                        208,
                        208,
                        Gfp.GFP_KERNEL | Gfp.__GFP_ZERO,
                        -1,
                        false));
    }

    @Test
    void commentLine_isExact() {
        assertThat(TASK_STRUCT.commentLine())
                .isEqualTo("# kmemlab cache: name=task_struct size=9792 align=64 "
                        + "flags=0x00042000 ctor=0 useroffset=3056 usersize=160 freeptr_offset=-1 events=0");
        assertThat(new CacheDefinition("anon_vma", 96, 0, 0, true, 0, 0, -1, 3).commentLine())
                .isEqualTo("# kmemlab cache: name=anon_vma size=96 align=0 flags=0x00000000 ctor=1 useroffset=0 "
                        + "usersize=0 freeptr_offset=-1 events=3");
        assertThat(new CacheDefinition("rcu_obj", 256, 8, 0x80000, false, 0, 0, 16, 0).commentLine())
                .contains(" flags=0x00080000 ", " freeptr_offset=16 ");
    }

    @Test
    void creationEvents_followTheirComment_whichCountsThem_plainSinksGetOnlyEvents() throws IOException {
        attach();
        emitAlloc(0xffff888001000000L, "kmalloc-64");
        tracer.beginCacheCreate();
        emitAlloc(0xffff888001001000L, "kmem_cache");
        emitAlloc(0xffff888001002000L, "kmem_cache_node");
        tracer.endCacheCreate(TASK_STRUCT);
        emitAlloc(0xffff888001003000L, "task_struct");
        assertThat(plain).hasSize(4).noneMatch(l -> l.startsWith("#"));
        assertThat(annotated).hasSize(5);
        assertThat(annotated.get(1)).isEqualTo(TASK_STRUCT.withEvents(2).commentLine());
        assertThat(annotated.subList(2, 4)).containsExactlyElementsOf(plain.subList(1, 3));
        assertGolden(String.join("\n", annotated) + "\n", "trace-cache-comment.txt");
    }

    @Test
    void nestedCreation_countsAsTheOuterOne() {
        attach();
        tracer.beginCacheCreate();
        emitAlloc(0x1000, "kmem_cache");
        tracer.beginCacheCreate();
        emitAlloc(0x2000, "kmem_cache");
        tracer.endCacheCreate(new CacheDefinition("inner", 32, 0, 0, false, 0, 0, -1, 0));
        tracer.endCacheCreate(TASK_STRUCT);
        assertThat(annotated).hasSize(3);
        assertThat(annotated.get(0)).isEqualTo(TASK_STRUCT.withEvents(2).commentLine());
        assertThat(annotated).filteredOn(l -> l.startsWith("#")).hasSize(1);
    }

    @Test
    void failedCreation_noComment_itsEventsStillWritten() {
        attach();
        tracer.beginCacheCreate();
        emitAlloc(0x1000, "kmem_cache");
        tracer.endCacheCreate(null);
        assertThat(annotated).hasSize(1).noneMatch(l -> l.startsWith("#"));
        assertThat(annotated).isEqualTo(plain);
    }

    @Test
    void withoutAnnotatedSink_creationHoldsNothing_andCommentsGoNowhere() {
        tracer.enable("kmem:*");
        tracer.addSink(plain::add);
        assertThat(tracer.cacheComments()).isFalse();
        tracer.beginCacheCreate();
        emitAlloc(0x1000, "kmem_cache");
        assertThat(plain).hasSize(1);
        tracer.endCacheCreate(TASK_STRUCT);
        tracer.cacheComment(TASK_STRUCT);
        assertThat(plain).hasSize(1);
        // The ring behind /sys/kernel/tracing/trace never holds comments: it is the kernel's file.
        assertThat(tracer.traceFile()).doesNotContain("kmemlab cache");
    }

    @Test
    void removeSink_removesAnnotatedSinkToo() {
        java.util.function.Consumer<String> sink = annotated::add;
        tracer.addSink(sink, true);
        tracer.cacheComment(TASK_STRUCT);
        tracer.removeSink(sink);
        tracer.cacheComment(TASK_STRUCT);
        assertThat(annotated).hasSize(1);
        assertThat(tracer.cacheComments()).isFalse();
    }

    private static void assertGolden(String actual, String name) throws IOException {
        Path golden = Path.of("src/test/resources/golden", name);
        if (UPDATE) {
            Files.writeString(golden, actual, StandardCharsets.UTF_8);
        }
        try (InputStream in = CacheCommentTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as("golden file " + name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
