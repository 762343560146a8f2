package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.TraceFormat;
import io.kmemlab.mm.trace.Tracer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KmemTraceReaderTest {

    private static KmemTraceReader reader(String text, TraceInputFormat f, Symbols s) {
        return new KmemTraceReader(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), f, s);
    }

    @Test
    void realCaptureHead_countsMatchGrep() throws IOException {
        // First 312 lines of kmem-fork-net-6.18.txt (12 header lines); counts from grep/awk.
        Map<TraceOp, Integer> counts = new EnumMap<>(TraceOp.class);
        int nullFrees = 0;
        try (InputStream in = getClass().getResourceAsStream("/traces/kmem-618-head300.txt");
                KmemTraceReader r = new KmemTraceReader(in, TraceInputFormat.FTRACE, new Symbols())) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                assertThat(l.kind()).as(l.toString()).isEqualTo(TraceLine.Kind.EVENT);
                counts.merge(l.op(), 1, Integer::sum);
                if (l.op() == TraceOp.KFREE && l.ptr() == 0) {
                    nullFrees++;
                }
            }
            assertThat(r.headerCpus()).isEqualTo(2);
            assertThat(r.nonEventLines()).isEqualTo(12);
            assertThat(r.lineNo()).isEqualTo(312);
        }
        assertThat(counts)
                .containsExactlyInAnyOrderEntriesOf(Map.of(
                        TraceOp.KFREE,
                        12,
                        TraceOp.KMALLOC,
                        15,
                        TraceOp.KMEM_CACHE_ALLOC,
                        153,
                        TraceOp.KMEM_CACHE_FREE,
                        62,
                        TraceOp.MM_PAGE_ALLOC,
                        57,
                        TraceOp.MM_PAGE_FREE,
                        1));
        assertThat(nullFrees).isEqualTo(10);
    }

    @Test
    void otherEvents_countedByName_malformedKeepLineNumbers() throws IOException {
        String text = "# tracer: nop\n"
                + "  a-1 [000] ..... 1.000000: sched_switch: prev_comm=a\n"
                + "  a-1 [000] ..... 1.000001: kfree: call_site=x+0x0/0x1 ptr=0000000000000040\n"
                + "garbage here\n"
                + "  a-1 [000] ..... 1.000002: sched_switch: prev_comm=b\n"
                + "  a-1 [000] ..... 1.000003: sched_wakeup: comm=c\n"
                + "  a-1 [000] ..... 1.000004: kfree: call_site=x+0x0/0x1 ptr=00000000000000"; // no newline at EOF
        List<String> seen = new ArrayList<>();
        try (KmemTraceReader r = reader(text, TraceInputFormat.FTRACE, null)) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                seen.add(l.lineNo() + ":" + l.kind());
            }
            assertThat(r.otherEvents()).containsExactly(Map.entry("sched_switch", 2L), Map.entry("sched_wakeup", 1L));
        }
        assertThat(seen)
                .containsExactly(
                        "2:OTHER_EVENT", "3:EVENT", "4:MALFORMED", "5:OTHER_EVENT", "6:OTHER_EVENT", "7:EVENT");
    }

    @Test
    void overlongLine_isOneMalformedLine_thenReadingContinues() throws IOException {
        String text =
                "x".repeat(200_000) + "\n  a-1 [000] ..... 1.000000: kfree: call_site=x+0x0/0x1 ptr=0000000000000040\n";
        try (KmemTraceReader r = reader(text, TraceInputFormat.FTRACE, null)) {
            TraceLine l = new TraceLine();
            assertThat(r.next(l)).isTrue();
            assertThat(l.reason()).isEqualTo("line longer than 64 KiB");
            assertThat(r.next(l)).isTrue();
            assertThat(l.lineNo()).isEqualTo(2);
            assertThat(l.op()).isEqualTo(TraceOp.KFREE);
            assertThat(r.next(l)).isFalse();
        }
    }

    @Test
    void mallocLab_absurdSizes_malformedWithTheirOwnReason() throws IOException {
        String rep = "20000\n2\n2\n1\na 0 18446744073709551615\na 1 12x\n";
        List<String> reasons = new ArrayList<>();
        try (KmemTraceReader r = reader(rep, TraceInputFormat.MALLOC_LAB, null)) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                reasons.add(l.lineNo() + " " + l.reason());
            }
        }
        assertThat(reasons).containsExactly("5 size out of range (more than 18 digits)", "6 size is not a number");
    }

    @Test
    void mallocLab_headerThenOps_mapToKmallocKreallocKfree() throws IOException {
        // CS:APP short1-bal.rep shape: heap size, ids, ops, weight.
        String rep = "20000\n3\n6\n1\na 0 2040\na 1 4010\nr 0 4100\nf 1\nf 0\nx 9\n";
        List<String> ops = new ArrayList<>();
        try (KmemTraceReader r = reader(rep, TraceInputFormat.MALLOC_LAB, null)) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                ops.add(
                        l.kind() == TraceLine.Kind.EVENT
                                ? l.op() + " " + l.ptr() + " " + l.bytesReq() + " @" + l.nanos()
                                : l.kind() + " " + l.reason());
            }
        }
        assertThat(ops)
                .containsExactly(
                        "KMALLOC 16 2040 @1000",
                        "KMALLOC 32 4010 @2000",
                        "KREALLOC 16 4100 @3000",
                        "KFREE 32 0 @4000",
                        "KFREE 16 0 @5000",
                        "MALFORMED not a malloc-lab operation (a/r/f)");
    }

    @Test
    void detect_distinguishesFormats_andBinary() {
        byte[] ftrace = "# tracer: nop\n#\n  sh-1 [000] ..... 1.0: kfree: call_site=x ptr=0\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] rep = "20000\n3\n6\n1\na 0 2040\n".getBytes(StandardCharsets.US_ASCII);
        byte[] junk = "hello world\nthis is not a trace\n".getBytes(StandardCharsets.US_ASCII);
        byte[] bin = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0};
        assertThat(TraceInputFormat.detect(ftrace, ftrace.length)).isEqualTo(TraceInputFormat.FTRACE);
        assertThat(TraceInputFormat.detect(rep, rep.length)).isEqualTo(TraceInputFormat.MALLOC_LAB);
        assertThat(TraceInputFormat.detect(junk, junk.length)).isNull();
        assertThat(TraceInputFormat.looksBinary(bin, bin.length)).isTrue();
        assertThat(TraceInputFormat.looksBinary(ftrace, ftrace.length)).isFalse();
    }

    @Test
    void roundTrip_everyKmemEventType_parsesBackToTheSameRecordAndText() throws IOException {
        Symbols emitSymbols = new Symbols();
        Cpus cpus = new Cpus(4);
        VirtualClock clock = new VirtualClock();
        Tracer tracer = new Tracer(cpus, clock, new TraceFormat(emitSymbols, 1));
        cpus.setCurrent(2, "kworker/u8:0", 77);
        clock.set(5_123_456_000L);
        long cs = emitSymbols.intern("copy_process", 0x1a5, 0x1d80);
        long p = 0xffff888001234560L;
        List<KmemEvent> events = List.of(
                new KmemEvent.MmPageAlloc(0x1234, 2, 1, Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO),
                new KmemEvent.MmPageAlloc(-1, 3, 0, Gfp.GFP_KERNEL),
                new KmemEvent.MmPageFree(0x1234, 2),
                new KmemEvent.MmPageFreeBatched(0x99),
                new KmemEvent.MmPageAllocZoneLocked(0x100, 0, 0, true),
                new KmemEvent.MmPagePcpuDrain(0x101, 0, 1),
                new KmemEvent.MmPageAllocExtfrag(0x200, 0, 3, 0, 1, false),
                new KmemEvent.Kmalloc(cs, p, 70, 96, Gfp.GFP_KERNEL_ACCOUNT, -1),
                new KmemEvent.Kmalloc(cs, 0, 1L << 40, 0, Gfp.GFP_KERNEL | Gfp.__GFP_NOWARN, 0),
                new KmemEvent.KmemCacheAlloc(cs, p + 0x100, "task_struct", 5824, 5824, Gfp.GFP_KERNEL, -1, true),
                new KmemEvent.Kfree(cs, p),
                new KmemEvent.Kfree(cs, 0),
                new KmemEvent.KmemCacheFree(cs, p + 0x100, "task_struct"));
        StringBuilder text = new StringBuilder(tracer.header());
        List<String> lines = new ArrayList<>();
        for (KmemEvent e : events) {
            String line = tracer.formatLine(2, e);
            lines.add(line);
            text.append(line).append('\n');
        }
        Symbols readSymbols = new Symbols();
        TraceFormat readFormat = new TraceFormat(readSymbols, 1);
        List<KmemEvent> back = new ArrayList<>();
        List<String> reprinted = new ArrayList<>();
        try (KmemTraceReader r = reader(text.toString(), TraceInputFormat.FTRACE, readSymbols)) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                assertThat(l.kind()).as(l.toString()).isEqualTo(TraceLine.Kind.EVENT);
                assertThat(l.cpu()).isEqualTo(2);
                assertThat(l.comm()).isEqualTo("kworker/u8:0");
                assertThat(l.pid()).isEqualTo(77);
                assertThat(l.nanos()).isEqualTo(5_123_456_000L);
                KmemEvent e = l.toEvent();
                back.add(e);
                StringBuilder sb = new StringBuilder();
                Tracer.appendPrefix(sb, l.comm(), l.pid(), l.cpu(), l.nanos());
                sb.append(e.type().eventName()).append(": ");
                e.appendFields(sb, readFormat);
                reprinted.add(sb.toString());
            }
        }
        assertThat(reprinted).isEqualTo(lines);
        // Records equal except call sites, which are addresses in each reader's own kallsyms.
        for (int i = 0; i < events.size(); i++) {
            assertThat(back.get(i).type()).isEqualTo(events.get(i).type());
            assertThat(back.get(i).toString().replaceAll("callSite=-?\\d+", ""))
                    .isEqualTo(events.get(i).toString().replaceAll("callSite=-?\\d+", ""));
        }
    }
}
