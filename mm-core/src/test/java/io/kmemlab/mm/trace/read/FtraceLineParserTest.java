package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.trace.Symbols;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Golden tests: real lines cut from the Linux 6.18 capture and hand-made lines of older kernels. */
class FtraceLineParserTest {
    private final Symbols symbols = new Symbols();
    private final FtraceLineParser parser = new FtraceLineParser(symbols);
    private final TraceLine out = new TraceLine();

    private TraceLine parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        parser.parse(b, 0, b.length, 7, out);
        return out;
    }

    @Test
    void kmemCacheAlloc_618Line_allFieldsParsed() {
        // Linux 6.18 trace file, irq-info on, hashed pointers, %pS call site.
        TraceLine l = parse("              sh-16387   [000] .....   470.908237: kmem_cache_alloc: "
                + "call_site=alloc_inode+0xa3/0xd0 ptr=000000002a057dc5 name=inode_cache bytes_req=616 "
                + "bytes_alloc=624 gfp_flags=GFP_KERNEL node=-1 accounted=true");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.op()).isEqualTo(TraceOp.KMEM_CACHE_ALLOC);
        assertThat(l.lineNo()).isEqualTo(7);
        assertThat(l.comm()).isEqualTo("sh");
        assertThat(l.pid()).isEqualTo(16387);
        assertThat(l.cpu()).isEqualTo(0);
        assertThat(l.nanos()).isEqualTo(470_908_237_000L);
        assertThat(l.ptr()).isEqualTo(0x2a057dc5L);
        assertThat(l.cacheName()).isEqualTo("inode_cache");
        assertThat(l.bytesReq()).isEqualTo(616);
        assertThat(l.bytesAlloc()).isEqualTo(624);
        assertThat(l.gfpFlags()).isEqualTo(Gfp.GFP_KERNEL);
        assertThat(l.node()).isEqualTo(-1);
        assertThat(l.accounted()).isTrue();
        assertThat(symbols.format(l.callSite())).isEqualTo("alloc_inode+0xa3/0xd0");
    }

    @Test
    void kmalloc_618Line_gfpWithZero() {
        TraceLine l = parse("              sh-16387   [000] .....   470.908240: kmalloc: "
                + "call_site=alloc_pipe_info+0x5d/0x230 ptr=00000000dfae8be8 bytes_req=176 bytes_alloc=192 "
                + "gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true");
        assertThat(l.op()).isEqualTo(TraceOp.KMALLOC);
        assertThat(l.bytesReq()).isEqualTo(176);
        assertThat(l.bytesAlloc()).isEqualTo(192);
        assertThat(l.gfpFlags()).isEqualTo(Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_ZERO);
    }

    @Test
    void kfreeNull_618Line_ptrZero() {
        // kfree fires for NULL too: 88 % of the capture's kfree lines are NULL frees.
        TraceLine l = parse("              sh-16387   [000] .....   470.908344: kfree: "
                + "call_site=ida_alloc_range+0x39b/0x400 ptr=0000000000000000");
        assertThat(l.op()).isEqualTo(TraceOp.KFREE);
        assertThat(l.ptr()).isZero();
    }

    @Test
    void kmemCacheFree_618Line_hasName() {
        TraceLine l = parse("              sh-16387   [000] .....   470.908141: kmem_cache_free: "
                + "call_site=__fput+0x141/0x2a0 ptr=000000000d6ee48a name=lsm_file_cache");
        assertThat(l.op()).isEqualTo(TraceOp.KMEM_CACHE_FREE);
        assertThat(l.cacheName()).isEqualTo("lsm_file_cache");
        assertThat(l.ptr()).isEqualTo(0xd6ee48aL);
    }

    @Test
    void pageEvents_618Lines_pfnOrderAndFlagsColumn() {
        // irq-info ".N..." (need-resched) and an order-1 block.
        TraceLine l = parse("            true-16391   [000] .N...   470.935370: mm_page_alloc: page=000000005d8ab518 "
                + "pfn=0x110140 order=1 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO|__GFP_COMP");
        assertThat(l.op()).isEqualTo(TraceOp.MM_PAGE_ALLOC);
        assertThat(l.pfn()).isEqualTo(0x110140);
        assertThat(l.order()).isEqualTo(1);
        assertThat(l.migratetype()).isZero();
        assertThat(l.gfpFlags()).isEqualTo(Gfp.GFP_KERNEL_ACCOUNT | Gfp.__GFP_ZERO | Gfp.__GFP_COMP);
        // softirq context "..s..".
        l = parse(
                "            true-16391   [000] ..s..   470.939390: mm_page_free: page=0000000034303215 pfn=0x117144 order=0");
        assertThat(l.op()).isEqualTo(TraceOp.MM_PAGE_FREE);
        assertThat(l.pfn()).isEqualTo(0x117144);
        // preempt depth 2 "...2.", the batched free's literal order=0.
        l = parse(
                "             seq-16388   [000] ...2.   470.913948: mm_page_free_batched: page=00000000feaa8ea1 pfn=0x10d66f order=0");
        assertThat(l.op()).isEqualTo(TraceOp.MM_PAGE_FREE_BATCHED);
        assertThat(l.pfn()).isEqualTo(0x10d66f);
    }

    @Test
    void zoneLocked_618Line_parsedButBuddyInternal() {
        TraceLine l = parse("              sh-16387   [000] d..3.   470.946330: mm_page_alloc_zone_locked: "
                + "page=000000008e46d238 pfn=0x1247e1 order=0 migratetype=0 percpu_refill=1");
        assertThat(l.op()).isEqualTo(TraceOp.MM_PAGE_ALLOC_ZONE_LOCKED);
        assertThat(l.op().isBuddyInternal()).isTrue();
        assertThat(l.percpuRefill()).isTrue();
    }

    @Test
    void failedPageAlloc_nullPage_pfnMinusOne() {
        TraceLine l = parse("            bash-1      [001] ..... 1.000000: mm_page_alloc: page=0000000000000000 "
                + "pfn=0x0 order=11 migratetype=0 gfp_flags=GFP_KERNEL");
        // order 11 is beyond MAX_PAGE_ORDER: no kernel prints it.
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.MALFORMED);
        l = parse("            bash-1      [001] ..... 1.000000: mm_page_alloc: page=0000000000000000 "
                + "pfn=0x0 order=3 migratetype=0 gfp_flags=GFP_KERNEL");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.pfn()).isEqualTo(-1);
    }

    @Test
    void oldKernel_hexCallSite_noNodeNoAccounted_fourFlagChars() {
        // 4.x: kmem_alloc event class, call_site=%lx, no node=/accounted=, 4 irq-info characters.
        TraceLine l = parse("          <idle>-0     [001] d.s2   123.456789: kmalloc: call_site=ffffffff8166ff06 "
                + "ptr=ffff88003c1ae000 bytes_req=512 bytes_alloc=512 gfp_flags=GFP_ATOMIC|__GFP_NOWARN");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.comm()).isEqualTo("<idle>");
        assertThat(l.pid()).isZero();
        assertThat(l.callSite()).isEqualTo(0xffffffff8166ff06L);
        assertThat(l.ptr()).isEqualTo(0xffff88003c1ae000L);
        assertThat(l.node()).isEqualTo(-1);
        assertThat(l.gfpFlags()).isEqualTo(Gfp.GFP_ATOMIC | Gfp.__GFP_NOWARN);
    }

    @Test
    void oldKernel_kmemCacheFreeWithoutName_decimalPfn_nullPointer() {
        // 4.x kmem_cache_free had no name=; mm_page_alloc printed pfn=%lu; printk showed "(null)".
        TraceLine l = parse(
                "  kworker/u8:2-1234  [002] .... 55.000001: kmem_cache_free: call_site=ffffffff8120d1a1 ptr=(null)");
        assertThat(l.op()).isEqualTo(TraceOp.KMEM_CACHE_FREE);
        assertThat(l.comm()).isEqualTo("kworker/u8:2");
        assertThat(l.cacheName()).isNull();
        assertThat(l.ptr()).isZero();
        l = parse("  kworker/u8:2-1234  [002] .... 55.000002: mm_page_alloc: page=ffffea00021f0000 pfn=556032 "
                + "order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_COLD");
        assertThat(l.pfn()).isEqualTo(556032);
        // __GFP_COLD no longer exists: ignored, the rest kept.
        assertThat(l.gfpFlags()).isEqualTo(Gfp.GFP_KERNEL);
    }

    @Test
    void commWithDashesAndSpaces_pidIsAfterLastDash() {
        TraceLine l = parse(" Web Content-x-42  [003] ..... 9.5: kfree: call_site=foo+0x1/0x2 ptr=0000000000001000");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.comm()).isEqualTo("Web Content-x");
        assertThat(l.pid()).isEqualTo(42);
        assertThat(l.cpu()).isEqualTo(3);
        assertThat(l.nanos()).isEqualTo(9_500_000_000L);
    }

    @Test
    void recordTgid_isSkipped() {
        // options/record-tgid adds "(%7d)" between comm-pid and the CPU.
        TraceLine l = parse(
                "            bash-1234    (   1200) [001] ..... 12.000001: kfree: call_site=x+0x0/0x1 ptr=0000000000000040");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.pid()).isEqualTo(1234);
        assertThat(l.cpu()).isEqualTo(1);
    }

    @Test
    void traceCmdReport_noFlags_paddedEventName_nanosecondStamp() {
        // trace-cmd report: no irq-info column, event names padded, -t gives 9 digits.
        TraceLine l = parse(
                "            bash-1234  [001] 12345.678901234: kmalloc:              call_site=foo+0x1f/0x40 "
                        + "ptr=0xffff888012345678 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=0 accounted=false");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.nanos()).isEqualTo(12345_678_901_234L);
        assertThat(l.ptr()).isEqualTo(0xffff888012345678L);
        assertThat(l.node()).isZero();
    }

    @Test
    void perfScript_spaceBeforePid_systemPrefixedEvent() {
        TraceLine l = parse(
                "            curl 16672 [000]   470.908141: kmem:kfree: call_site=ffffffff81000000 ptr=0xffff888000001000");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.op()).isEqualTo(TraceOp.KFREE);
        assertThat(l.comm()).isEqualTo("curl");
        assertThat(l.pid()).isEqualTo(16672);
    }

    @Test
    void moduleSymbol_bracketedModuleNameAfterCallSite() {
        TraceLine l = parse(
                "  cp-99 [000] ..... 1.000000: kmem_cache_alloc: call_site=ext4_alloc_inode+0x1a/0x180 [ext4] "
                        + "ptr=0000000012345678 name=ext4_inode_cache bytes_req=1120 bytes_alloc=1128 gfp_flags=GFP_NOFS node=-1 accounted=true");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.cacheName()).isEqualTo("ext4_inode_cache");
        assertThat(symbols.format(l.callSite())).isEqualTo("ext4_alloc_inode+0x1a/0x180");
    }

    @Test
    void headerAndComments_areNotEvents() {
        assertThat(parse("# tracer: nop").kind()).isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("#              | |         |   |||||     |         |").kind())
                .isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("").kind()).isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("   \r").kind()).isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("version = 6").kind()).isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("cpus=2").kind()).isEqualTo(TraceLine.Kind.NONE);
        assertThat(parse("CPU:1 [LOST 1234 EVENTS]").kind()).isEqualTo(TraceLine.Kind.NONE);
    }

    @Test
    void otherEvent_wellFormed_isOtherEventWithName() {
        TraceLine l =
                parse("          <idle>-0       [001] d..2. 100.000000: sched_switch: prev_comm=swapper/1 prev_pid=0");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.OTHER_EVENT);
        assertThat(l.eventName()).isEqualTo("sched_switch");
    }

    @Test
    void crlfLineEnding_isTolerated() {
        TraceLine l = parse("  a-1 [000] ..... 1.000000: kfree: call_site=x+0x0/0x1 ptr=0000000000000040\r");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.ptr()).isEqualTo(0x40);
    }

    @Test
    void absurdValues_largestSizeParses_negativeAndOverflowAreMalformed() {
        String p = "  a-1 [000] ..... 1.000000: kmalloc: call_site=x+0x0/0x1 ptr=0000000000000040 ";
        TraceLine l = parse(p + "bytes_req=18446744073709551615 bytes_alloc=0 gfp_flags=GFP_KERNEL");
        assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
        assertThat(l.bytesReq()).isEqualTo(-1L);
        assertThat(parse(p + "bytes_req=18446744073709551616 bytes_alloc=0 gfp_flags=GFP_KERNEL")
                        .reason())
                .isEqualTo("bytes_req exceeds 64 bits");
        assertThat(parse(p + "bytes_req=-5 bytes_alloc=8 gfp_flags=GFP_KERNEL").reason())
                .isEqualTo("negative bytes_req");
        assertThat(parse(p + "bytes_req=5 bytes_alloc=8 gfp_flags=GFP_BOGUS").reason())
                .isEqualTo("gfp_flags is not a GFP mask");
        assertThat(parse("  a-1 [000] ..... 1.000000: mm_page_free: page=0000000000000001 pfn=0x10 order=99")
                        .reason())
                .isEqualTo("order out of range 0..10");
        assertThat(parse("  a-1 [000] ..... 1.000000: mm_page_free: page=0000000000000001 pfn=-3 order=0")
                        .reason())
                .isEqualTo("pfn out of range");
    }

    @Test
    void truncatedLines_areMalformedWithReason() {
        String full =
                "              sh-16387   [000] .....   470.908240: kmalloc: call_site=alloc_pipe_info+0x5d/0x230 "
                        + "ptr=00000000dfae8be8 bytes_req=176 bytes_alloc=192 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=-1 accounted=true";
        assertThat(parse(full.substring(0, 20)).reason()).isEqualTo("no [cpu] field");
        assertThat(parse(full.substring(0, 40)).reason()).isEqualTo("no timestamp");
        assertThat(parse(full.substring(0, 56)).reason()).isEqualTo("no event name");
        assertThat(parse(full.substring(0, full.indexOf(" bytes_req"))).reason())
                .isEqualTo("missing bytes_req=");
        // cut inside a key: a word without '='.
        assertThat(parse(full.substring(0, full.indexOf(" bytes_req") + 6)).reason())
                .isEqualTo("payload word is not key=value");
        assertThat(parse(full.substring(0, full.indexOf("bytes_alloc=") + 12)).reason())
                .isEqualTo("empty value");
        assertThat(parse(full.substring(0, full.indexOf(" gfp_flags"))).reason())
                .isEqualTo("missing gfp_flags=");
    }

    @Test
    void earlyBootPtrval_isMalformedWithItsOwnReason() {
        // 4.15+: %p prints "(____ptrval____)" until the pointer-hash key has been initialised.
        assertThat(parse("  swapper/0-1 [000] .... 0.100000: kfree: call_site=x+0x0/0x1 ptr=(____ptrval____)")
                        .reason())
                .isEqualTo("ptr printed before the pointer hash key was ready");
    }

    @Test
    void binaryBytes_areMalformed() {
        assertThat(parse("  a-1 [000] ..... 1.0: kfree: \u0001\u0002ptr=0").reason())
                .isEqualTo("binary data in line");
    }

    @Test
    void wordsAreInterned_noNewStringForRepeatedNames() {
        String a = parse("  sh-1 [000] ..... 1.0: kmem_cache_free: call_site=x+0x0/0x1 ptr=0000000000000040 name=filp")
                .cacheName();
        String b = parse("  sh-1 [000] ..... 1.1: kmem_cache_free: call_site=x+0x0/0x1 ptr=0000000000000050 name=filp")
                .cacheName();
        assertThat(b).isSameAs(a);
        assertThat(out.comm())
                .isSameAs(parse("  sh-1 [000] ..... 1.2: kfree: call_site=x+0x0/0x1 ptr=0000000000000000")
                        .comm());
    }
}
