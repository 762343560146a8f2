package io.kmemlab.mm.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualClock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TracerTest {
    private final Cpus cpus = new Cpus(2);
    private final VirtualClock clock = new VirtualClock();
    private final Symbols symbols = new Symbols();
    private final Tracer tracer = new Tracer(cpus, clock, new TraceFormat(symbols, 42));

    @Test
    void prefix_matchesTracePrintContext() {
        StringBuilder sb = new StringBuilder();
        Tracer.appendPrefix(sb, "bash", 1234, 1, 12345_678_901_000L);
        assertThat(sb.toString()).isEqualTo("            bash-1234    [001] ..... 12345.678901: ");
    }

    @Test
    void pageAllocLine_isExact() {
        cpus.setCurrent(1, "bash", 1234);
        clock.set(12345_678_901_000L);
        String line = tracer.formatLine(
                1, new KmemEvent.MmPageAlloc(0x10e56b, 0, 1, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO));
        assertThat(line)
                .isEqualTo(
                        "            bash-1234    [001] ..... 12345.678901: mm_page_alloc: "
                                + "page=ffffea0004395ac0 pfn=0x10e56b order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
    }

    @Test
    void failedPageAlloc_printsNullPageAndPfnZero() {
        String line = tracer.formatLine(0, new KmemEvent.MmPageAlloc(-1, 11, 0, Gfp.GFP_KERNEL));
        assertThat(line)
                .endsWith("mm_page_alloc: page=0000000000000000 pfn=0x0 order=11 migratetype=0 gfp_flags=GFP_KERNEL");
    }

    @Test
    void slabEvents_printCallSiteSymbolsAndAccounted() {
        long site = symbols.intern("alloc_skb", 0x1f, 0x40);
        String line = tracer.formatLine(
                0, new KmemEvent.Kmalloc(site, 0xffff888004a3c000L, 70, 96, Gfp.GFP_KERNEL_ACCOUNT, -1));
        assertThat(line)
                .endsWith("kmalloc: call_site=alloc_skb+0x1f/0x40 ptr=ffff888004a3c000 bytes_req=70 "
                        + "bytes_alloc=96 gfp_flags=GFP_KERNEL_ACCOUNT node=-1 accounted=true");
        String free = tracer.formatLine(0, new KmemEvent.KmemCacheFree(site, 0xffff888004a3c000L, "dentry"));
        assertThat(free).endsWith("kmem_cache_free: call_site=alloc_skb+0x1f/0x40 ptr=ffff888004a3c000 name=dentry");
    }

    @Test
    void extfrag_printsDerivedFields() {
        String line = tracer.formatLine(0, new KmemEvent.MmPageAllocExtfrag(0x4400, 0, 3, 0, 1, false));
        assertThat(line)
                .endsWith("mm_page_alloc_extfrag: page=ffffea0000110000 pfn=0x4400 alloc_order=0 "
                        + "fallback_order=3 pageblock_order=9 alloc_migratetype=0 fallback_migratetype=1 "
                        + "fragmenting=1 change_ownership=0");
    }

    @Test
    void enable_acceptsKernelTraceEventSyntaxWithGlobs() {
        assertThat(tracer.enable("kmem:mm_page_*,kmalloc")).isNull();
        assertThat(tracer.on(EventType.MM_PAGE_ALLOC)).isTrue();
        assertThat(tracer.on(EventType.MM_PAGE_PCPU_DRAIN)).isTrue();
        assertThat(tracer.on(EventType.KMALLOC)).isTrue();
        assertThat(tracer.on(EventType.KFREE)).isFalse();
        assertThat(tracer.enable("!kmem:mm_page_alloc")).isNull();
        assertThat(tracer.on(EventType.MM_PAGE_ALLOC)).isFalse();
        assertThat(tracer.enable("sched:sched_switch")).isEqualTo("sched:sched_switch");
    }

    /** on() is enabled and tracing_on, for each event type enabled alone. */
    @Test
    void on_isEnabledAndTracingOn_foreachEventTypeAlone() {
        for (EventType t : EventType.values()) {
            tracer.disableAll();
            tracer.setTracingOn(true);
            tracer.setEnabled(t, true);
            for (EventType u : EventType.values()) {
                assertThat(tracer.on(u)).as("%s with only %s enabled", u, t).isEqualTo(u == t);
            }
            tracer.setTracingOn(false);
            assertThat(tracer.on(t)).as("%s with tracing_on 0", t).isFalse();
            assertThat(tracer.enabled(t)).isTrue();
            tracer.setTracingOn(true);
            assertThat(tracer.on(t)).isTrue();
        }
    }

    @Test
    void emit_reachesSinksAndTheRing_onlyWhenCalled() {
        List<String> got = new ArrayList<>();
        tracer.addSink(got::add);
        tracer.enable("kmem:kfree");
        tracer.emit(0, new KmemEvent.Kfree(0, 0));
        assertThat(got).hasSize(1);
        assertThat(got.get(0)).endsWith("kfree: call_site=0x0 ptr=0000000000000000");
        // The same event; tracefs names the idle task <idle>, kmemlab's own lines swapper/0.
        assertThat(got.get(0)).startsWith("       swapper/0-0 ");
        assertThat(tracer.traceFile())
                .contains("# entries-in-buffer/entries-written: 1/1   #P:2")
                .endsWith(
                        "          <idle>-0       [000] .....     0.000000: kfree: call_site=0x0 ptr=0000000000000000\n");
    }

    @Test
    void hashedPointers_lookLikeTheKernelDefault() {
        TraceFormat fmt = new TraceFormat(symbols, 7);
        fmt.setHashPointers(true, 7);
        StringBuilder sb = new StringBuilder();
        fmt.appendPointer(sb, 0xffff888004a3c000L);
        assertThat(sb.toString()).hasSize(16).startsWith("00000000");
    }

    @Test
    void enable_withAWordThatMatchesNothing_changesNoEvent() {
        assertThat(Tracer.check("kmem:kmalloc,kmem:nope")).isEqualTo("kmem:nope");
        assertThat(tracer.on(EventType.KMALLOC)).isFalse();
        assertThat(tracer.enable("kmem:kmalloc, kmem:nope")).isEqualTo("kmem:nope");
        assertThat(tracer.on(EventType.KMALLOC)).isFalse();
        assertThat(Tracer.check("!kmem:kfree,,*:mm_page_*")).isNull();
    }

    @Test
    void mute_silencesEveryEventAndRestoresEachFlag_nested() {
        tracer.enable("kmem:kmalloc,kmem:mm_page_free");
        Tracer.Muted outer = tracer.mute();
        assertThat(tracer.on(EventType.KMALLOC)).isFalse();
        Tracer.Muted inner = tracer.mute();
        assertThat(tracer.on(EventType.MM_PAGE_FREE)).isFalse();
        inner.close();
        assertThat(tracer.on(EventType.KMALLOC)).isFalse();
        outer.close();
        assertThat(tracer.on(EventType.KMALLOC)).isTrue();
        tracer.setEnabled(EventType.KMALLOC, false);
        outer.close();
        // Closing twice restores once: the change made after the first close stays.
        assertThat(tracer.on(EventType.KMALLOC)).isFalse();
        assertThat(tracer.on(EventType.MM_PAGE_FREE)).isTrue();
        assertThat(tracer.on(EventType.KFREE)).isFalse();
    }

    @Test
    void tracefsFiles_showAndSetTheFlags() {
        io.kmemlab.mm.VirtualFs vfs = new io.kmemlab.mm.VirtualFs();
        tracer.registerFiles(vfs);
        // One directory per event of the group, and the group's own enable file.
        long kmem = java.util.Arrays.stream(EventType.values())
                .filter(t -> t.system().equals("kmem"))
                .count();
        assertThat(vfs.list("/sys/kernel/tracing/events/kmem")).hasSize((int) kmem + 1);
        assertThat(vfs.list("/sys/kernel/tracing/events/compaction")).contains("mm_compaction_begin/", "enable");
        assertThat(vfs.list("/sys/kernel/tracing/events/migrate")).containsExactly("enable", "mm_migrate_pages/");
        assertThat(vfs.read("/sys/kernel/tracing/events/migrate/mm_migrate_pages/id"))
                .isEqualTo("713\n");
        assertThat(vfs.write("/sys/kernel/tracing/events/compaction/enable", "1"))
                .isNull();
        assertThat(tracer.on(EventType.MM_COMPACTION_BEGIN)).isTrue();
        assertThat(tracer.on(EventType.KMALLOC))
                .as("another group's events stay")
                .isFalse();
        assertThat(vfs.write("/sys/kernel/tracing/events/compaction/enable", "0"))
                .isNull();
        assertThat(vfs.write("/sys/kernel/tracing/set_event", "kmem:kfree,kmem:kmalloc\n"))
                .isNull();
        assertThat(vfs.read("/sys/kernel/tracing/set_event")).isEqualTo("kmem:kmalloc\nkmem:kfree\n");
        assertThat(vfs.write("/sys/kernel/tracing/set_event", "kmem:mm_page_free,sched:x"))
                .isEqualTo("EINVAL");
        assertThat(vfs.read("/sys/kernel/tracing/events/kmem/mm_page_free/enable"))
                .isEqualTo("0\n");
        assertThat(vfs.write("/sys/kernel/tracing/events/kmem/mm_page_free/enable", "1"))
                .isNull();
        assertThat(tracer.on(EventType.MM_PAGE_FREE)).isTrue();
        // echo … >> set_event adds to the list (and ! takes one out) …
        assertThat(vfs.append("/sys/kernel/tracing/set_event", "kmem:mm_page_alloc !kmem:kfree\n"))
                .isNull();
        assertThat(vfs.read("/sys/kernel/tracing/set_event"))
                .isEqualTo("kmem:mm_page_alloc\nkmem:mm_page_free\nkmem:kmalloc\n");
        // … echo … > set_event replaces it.
        assertThat(vfs.write("/sys/kernel/tracing/set_event", "kmem:kfree kmem:kmalloc\n"))
                .isNull();
        assertThat(vfs.read("/sys/kernel/tracing/set_event")).isEqualTo("kmem:kmalloc\nkmem:kfree\n");
        assertThat(vfs.write("/sys/kernel/tracing/set_event", "\n")).isNull();
        assertThat(vfs.read("/sys/kernel/tracing/set_event")).isEmpty();
        tracer.setEnabled(EventType.KFREE, true);
        tracer.emit(0, new KmemEvent.Kfree(0, 0));
        assertThat(vfs.read("/sys/kernel/tracing/trace")).contains("kfree: ");
        assertThat(vfs.write("/sys/kernel/tracing/trace", "")).isNull();
        assertThat(vfs.read("/sys/kernel/tracing/trace")).doesNotContain("kfree: ");
    }

    @Test
    void hexAndUnsignedFields_printAsTheKernelDoes() {
        String line = tracer.formatLine(0, new KmemEvent.MmPageFree(0, 0));
        assertThat(line).endsWith("mm_page_free: page=ffffea0000000000 pfn=0x0 order=0");
        line = tracer.formatLine(0, new KmemEvent.MmPageFree(0x7fffffffL, 10));
        assertThat(line).endsWith(" pfn=0x7fffffff order=10");
        line = tracer.formatLine(0, new KmemEvent.Kmalloc(0, 0, -1L, Long.MIN_VALUE, Gfp.GFP_KERNEL, 0));
        assertThat(line).contains(" bytes_req=18446744073709551615 bytes_alloc=9223372036854775808 ");
    }
}
