package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.trace.Symbols;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every text form of one kmem capture of Linux 6.18.44 (traces/forms: 268 events cut from the same
 * buffer, printed by tracefs under each trace_option, by trace-cmd report and by perf script) reads
 * to the same events as the plain tracefs form; the quirks of each form line by line; which forms
 * are detected and which are refused.
 */
class TraceFormsTest {
    /** The events perf kmem --page --slab record records. */
    private static final Set<TraceOp> PERF_KMEM = Set.of(
            TraceOp.KMALLOC,
            TraceOp.KFREE,
            TraceOp.KMEM_CACHE_ALLOC,
            TraceOp.KMEM_CACHE_FREE,
            TraceOp.MM_PAGE_ALLOC,
            TraceOp.MM_PAGE_FREE);

    /** What a form reads to: events by operation, NULL frees, bytes of the allocations, bad lines. */
    record Figures(
            Map<TraceOp, Long> ops, long nullFrees, long bytesReq, long bytesAlloc, long failedPages, long malformed) {}

    static InputStream resource(String name) throws IOException {
        InputStream in = TraceFormsTest.class.getResourceAsStream("/traces/forms/" + name);
        assertThat(in).as(name).isNotNull();
        return name.endsWith(".gz") ? new GZIPInputStream(in) : in;
    }

    static Figures read(String name, Set<TraceOp> only) throws IOException {
        Map<TraceOp, Long> ops = new EnumMap<>(TraceOp.class);
        long nullFrees = 0;
        long req = 0;
        long alloc = 0;
        long failed = 0;
        long malformed = 0;
        try (KmemTraceReader r = new KmemTraceReader(resource(name), TraceInputFormat.FTRACE, new Symbols())) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                if (l.kind() == TraceLine.Kind.MALFORMED) {
                    malformed++;
                }
                if (l.kind() != TraceLine.Kind.EVENT || (only != null && !only.contains(l.op()))) {
                    continue;
                }
                ops.merge(l.op(), 1L, Long::sum);
                switch (l.op()) {
                    case KMALLOC, KMEM_CACHE_ALLOC -> {
                        req += l.bytesReq();
                        alloc += l.bytesAlloc();
                    }
                    case KFREE, KMEM_CACHE_FREE -> nullFrees += l.ptr() == 0 ? 1 : 0;
                    case MM_PAGE_ALLOC -> failed += l.pfn() < 0 ? 1 : 0;
                    default -> {}
                }
            }
        }
        return new Figures(ops, nullFrees, req, alloc, failed, malformed);
    }

    @Test
    void traceForm_readsToWhatItsLinesSay() throws IOException {
        Figures f = read("kmem-trace.txt", null);
        // grep -c ': kmalloc:' etc. on the file; the sums of grep -o 'bytes_req=[0-9]*'.
        assertThat(f.ops())
                .containsEntry(TraceOp.KMEM_CACHE_ALLOC, 82L)
                .containsEntry(TraceOp.KMEM_CACHE_FREE, 19L)
                .containsEntry(TraceOp.KFREE, 36L)
                .containsEntry(TraceOp.KMALLOC, 28L)
                .containsEntry(TraceOp.MM_PAGE_ALLOC, 41L);
        assertThat(f.nullFrees()).isEqualTo(15); // grep -c 'ptr=0000000000000000'
        assertThat(f.bytesReq()).isEqualTo(101_762);
        assertThat(f.bytesAlloc()).isEqualTo(103_408);
        assertThat(f.malformed()).isZero();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kmem-nohash.txt",
                "kmem-lat.txt",
                "kmem-noctx.txt",
                "kmem-noirq.txt",
                "kmem-sym.txt",
                "kmem-tgid.txt",
                "kmem-fields.txt",
                "kmem-tc.txt",
                "kmem-tcN.txt",
                "kmem-tcR.txt",
                "kmem-tct.txt",
                "kmem-tcl.txt",
                "kmem-perf.txt"
            })
    void everyForm_readsToTheTraceFormsEvents(String form) throws IOException {
        assertThat(read(form, null)).isEqualTo(read("kmem-trace.txt", null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmem-perfkmem.txt.gz", "kmem-perfkmemG.txt"})
    void perfKmemRecord_readsToTheTraceFormsEventsOfItsEvents(String form) throws IOException {
        Figures f = read(form, null);
        assertThat(f.ops().keySet()).isSubsetOf(PERF_KMEM);
        assertThat(f).isEqualTo(read("kmem-trace.txt", PERF_KMEM));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kmem-trace.txt",
                "kmem-lat.txt",
                "kmem-noctx.txt",
                "kmem-noirq.txt",
                "kmem-tgid.txt",
                "kmem-fields.txt",
                "kmem-tc.txt",
                "kmem-tcR.txt",
                "kmem-tct.txt",
                "kmem-tcl.txt",
                "kmem-perf.txt",
                "kmem-perfkmem.txt.gz",
                "kmem-perfkmemG.txt"
            })
    void everyForm_isDetectedAsFtrace_andNotAsFieldless(String form) throws IOException {
        byte[] head;
        try (InputStream in = resource(form)) {
            head = in.readNBytes(1 << 16);
        }
        assertThat(TraceInputFormat.detect(head, head.length)).isEqualTo(TraceInputFormat.FTRACE);
        assertThat(TraceInputFormat.fieldlessForm(head, head.length)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmem-raw.txt", "kmem-hex.txt"})
    void rawAndHexForms_areFieldless_namedByTheirEventIds(String form) throws IOException {
        byte[] head;
        try (InputStream in = resource(form)) {
            head = in.readNBytes(1 << 16);
        }
        String why = TraceInputFormat.fieldlessForm(head, head.length);
        // In order of first sight: 653 mm_page_alloc, 646 rss_stat, 658 kmalloc, ...
        assertThat(why)
                .contains(form.contains("raw") ? "'raw'" : "'hex'")
                .contains(
                        "here mm_page_alloc, rss_stat, kmem_cache_alloc, kmem_cache_free, kfree, mm_page_free, kmalloc"
                                + " on Linux 6.18.44")
                .contains("none of its fields");
        assertThat(TraceInputFormat.detect(head, head.length)).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kmem-lat.txt",
                "kmem-noctx.txt",
                "kmem-tgid.txt",
                "kmem-fields.txt",
                "kmem-tc.txt",
                "kmem-tcR.txt",
                "kmem-tcl.txt",
                "kmem-perf.txt",
                "kmem-perfkmem.txt.gz"
            })
    void everyForm_parsingKnownLines_allocatesNothing(String form) throws IOException {
        byte[] text;
        try (InputStream in = resource(form)) {
            text = in.readAllBytes();
        }
        FtraceLineParser p = new FtraceLineParser(new Symbols());
        TraceLine l = new TraceLine();
        // Warm up: interns every word and lets the JIT compile the parser.
        for (int i = 0; i < 200; i++) {
            assertThat(parseAll(p, text, l)).isPositive();
        }
        com.sun.management.ThreadMXBean mx =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 20; i++) {
            parseAll(p, text, l);
        }
        // Thousands of lines parsed: a few hundred bytes of measurement noise, not a byte per line.
        assertThat(mx.getThreadAllocatedBytes(tid) - before).isLessThan(1024);
    }

    private static long parseAll(FtraceLineParser parser, byte[] text, TraceLine out) {
        long events = 0;
        int start = 0;
        long lineNo = 0;
        for (int i = 0; i < text.length; i++) {
            if (text[i] == '\n') {
                if (parser.parse(text, start, i, ++lineNo, out) == TraceLine.Kind.EVENT) {
                    events++;
                }
                start = i + 1;
            }
        }
        return events;
    }

    private final Symbols symbols = new Symbols();
    private final FtraceLineParser parser = new FtraceLineParser(symbols);
    private final TraceLine out = new TraceLine();

    private TraceLine parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        parser.parse(b, 0, b.length, 3, out);
        return out;
    }

    @Test
    void latencyFormat_cpuAndFlagsInOneWord_microsecondsWithADelayMark() {
        TraceLine l = parse("    java-12737     1..... 2731487us+: mm_page_alloc: page=000000007dd24502 pfn=0x290ee9 "
                + "order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.comm()).isEqualTo("java");
        assertThat(l.pid()).isEqualTo(12737);
        assertThat(l.cpu()).isEqualTo(1);
        assertThat(l.nanos()).isEqualTo(2_731_487_000L);
        assertThat(l.pfn()).isEqualTo(0x290ee9);
        // No delay mark prints as a space: "us :"; irqs off and a preempt depth: "0d..1.".
        l = parse("capture2-9400     0d..1. 2784123us : kfree: call_site=release_task+0x1/0x2 ptr=0000000000000000");
        assertThat(l.kind()).as(l.toString()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.cpu()).isZero();
        assertThat(l.nanos()).isEqualTo(2_784_123_000L);
        // A comm of 8 characters with a space, as %8.8s cuts "C1 CompilerThread0".
        l = parse("C1 Compi-12858     0...1. 2731999us : kfree: call_site=a+0x1/0x2 ptr=0000000012345678");
        assertThat(l.comm()).isEqualTo("C1 Compi");
        assertThat(l.pid()).isEqualTo(12858);
    }

    @Test
    void idleTask_andRealContextFlags() {
        // From a 6.18 capture: softirq context in the idle task, and irqs off at depth 3.
        TraceLine l = parse("          <idle>-0       [001] ..s1. 17323.793162: kmem_cache_free: "
                + "call_site=__sg_free_table+0x5b/0xd0 ptr=00000000c8f80fcd name=key_jar");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.comm()).isEqualTo("<idle>");
        assertThat(l.pid()).isZero();
        assertThat(l.cpu()).isEqualTo(1);
        for (String flags : new String[] {"d..4.", "..s..", ".Ns..", "dNh2.", "d..3."}) {
            l = parse("          <idle>-0       [001] " + flags
                    + " 17323.793162: kfree: call_site=a+0x1/0x2 ptr=0000000000000000");
            assertThat(l.kind()).as(flags).isEqualTo(TraceLine.Kind.EVENT);
        }
        l = parse("  <idle>-0         1..s1. 347270us : kmem_cache_free: call_site=__sg_free_table+0x5b/0xd0 "
                + "ptr=00000000c8f80fcd name=key_jar");
        assertThat(l.comm()).isEqualTo("<idle>");
        assertThat(l.cpu()).isEqualTo(1);
    }

    @Test
    void nocontextInfo_lineStartsWithTheEvent() {
        TraceLine l = parse("kmem_cache_alloc: call_site=getname_flags.part.0+0x24/0x1f0 ptr=000000001e34cc31 "
                + "name=names_cache bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.op()).isEqualTo(TraceOp.KMEM_CACHE_ALLOC);
        assertThat(l.comm()).isEqualTo("<...>");
        assertThat(l.cpu()).isZero();
        assertThat(l.bytesReq()).isEqualTo(4096);
        // Another event without context is another event, not malformed.
        assertThat(parse("rss_stat: mm_id=1 curr=1 type=MM_ANONPAGES size=4096B")
                        .kind())
                .isEqualTo(TraceLine.Kind.OTHER_EVENT);
    }

    @Test
    void traceCmdReport_instancePrefix_pluginCallSite_nilPointer() {
        TraceLine l = parse("forms:       capture.sh-22941 [000] 17323.786740: kmalloc:              "
                + "(lsm_blob_alloc+0x3b) call_site=lsm_blob_alloc+0x3b ptr=0xffff88810024c8b0 bytes_req=11 "
                + "bytes_alloc=16 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true");
        assertThat(l.kind()).as(l.toString()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.comm()).isEqualTo("capture.sh");
        assertThat(l.pid()).isEqualTo(22941);
        assertThat(l.ptr()).isEqualTo(0xffff88810024c8b0L);
        assertThat(symbols.format(l.callSite())).startsWith("lsm_blob_alloc+0x3b");
        l = parse("forms:       capture.sh-22941 [000] 17323.786768: kfree:                "
                + "(ida_alloc_range+0x39b) call_site=ida_alloc_range+0x39b ptr=(nil)");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.ptr()).isZero();
        // A comm with a space after the instance name.
        l = parse("forms:  C1 CompilerThre-12858 [000] 18043.904991: kfree: call_site=a+0x1 ptr=(nil)");
        assertThat(l.comm()).isEqualTo("C1 CompilerThre");
    }

    @Test
    void traceCmdReportRaw_numericBoolAndGfp_failedPageAllocIsMinusOne() {
        TraceLine l = parse("forms:  C1 CompilerThre-12858 [000] 18043.905032: kmem_cache_alloc:      "
                + "call_site=seq_open+0x27 ptr=0xffff888271aead20 name=seq_file bytes_req=120 bytes_alloc=120 "
                + "gfp_flags=0xdc0 node=-1 accounted=1");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.accounted()).isTrue();
        assertThat(l.gfpFlags()).isEqualTo(Gfp.GFP_KERNEL | Gfp.__GFP_ZERO);
        l = parse(
                "  sh-1 [000] 1.000001: mm_page_alloc:         pfn=0xffffffffffffffff order=0 gfp_flags=0x0 migratetype=0");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.pfn()).isEqualTo(-1);
        assertThat(parse("  sh-1 [000] 1.000001: kmalloc: call_site=a+0x1 ptr=0xffff888271aead20 bytes_req=8 "
                                + "bytes_alloc=8 gfp_flags=0xcc0 node=-1 accounted=2")
                        .reason())
                .isEqualTo("accounted is not true/false");
    }

    @Test
    void perfScript_callChainLines_areNotEvents() {
        assertThat(parse("\tffffffff81655055 __kmalloc_cache_node_noprof+0x215 ([kernel.kallsyms])")
                        .kind())
                .isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("\t           ee137 sched_setaffinity@@GLIBC_2.3.4+0x7 (/usr/lib/x86_64-linux-gnu/libc.so.6)")
                        .kind())
                .isEqualTo(TraceLine.Kind.NONE);
        // Not under a tab, or not an address: not a call chain.
        assertThat(parse("ffffffff81655055 __kmalloc_cache_node_noprof+0x215 ([kernel.kallsyms])")
                        .kind())
                .isEqualTo(TraceLine.Kind.MALFORMED);
        assertThat(parse("\tzz81655055 __kmalloc+0x215 ([kernel.kallsyms])").kind())
                .isEqualTo(TraceLine.Kind.MALFORMED);
    }

    @Test
    void badInput_ofTheNewForms_malformedWithAReason() {
        // The plugin's "(sym)" only before the fields; after a value only the fields option's decimal.
        assertThat(parse("  sh-1 [000] 1.000001: kfree: call_site=a+0x1 (a+0x1) ptr=(nil)")
                        .reason())
                .isEqualTo("payload word is not key=value");
        assertThat(parse("  sh-1 [000] 1.000001: kfree: call_site=a+0x1 ptr=(nul)")
                        .reason())
                .isEqualTo("ptr is not a pointer");
        // latency-format without comm-pid, or with a CPU word that is not one.
        assertThat(parse("     0..... 2731487us+: kfree: call_site=a+0x1 ptr=(nil)")
                        .kind())
                .isEqualTo(TraceLine.Kind.MALFORMED);
        assertThat(parse("    java-12737     x..... 2731487us+: kfree: call_site=a+0x1 ptr=(nil)")
                        .kind())
                .isEqualTo(TraceLine.Kind.MALFORMED);
        assertThat(parse("    java-12737     1..... 2731487ms+: kfree: call_site=a+0x1 ptr=(nil)")
                        .kind())
                .isEqualTo(TraceLine.Kind.MALFORMED);
        // An event name first, but no key=value after it: not the nocontext-info form.
        assertThat(parse("kfree: hello world").kind()).isEqualTo(TraceLine.Kind.MALFORMED);
    }

    @Test
    void traceCmdCpusLine_isTheCpuCount() throws IOException {
        byte[] b = "cpus=2\nforms:  sh-1 [001] 1.000001: kfree: call_site=a+0x1 ptr=(nil)\n"
                .getBytes(StandardCharsets.US_ASCII);
        try (KmemTraceReader r =
                new KmemTraceReader(new java.io.ByteArrayInputStream(b), TraceInputFormat.FTRACE, symbols)) {
            TraceLine l = new TraceLine();
            assertThat(r.next(l)).isTrue();
            assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
            assertThat(r.headerCpus()).isEqualTo(2);
        }
        assertThat(KmemTraceReader.traceCmdCpus(b, 0, 6)).isEqualTo(2);
        assertThat(KmemTraceReader.traceCmdCpus("cpus=x".getBytes(StandardCharsets.US_ASCII), 0, 6))
                .isEqualTo(-1);
    }
}
