package io.kmemlab.mm.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.testing.Golden;
import org.junit.jupiter.api.Test;

/** tracefs as the kernel's behaves: ring buffers that overwrite, trace_pipe, set_event(_pid), trace_options. */
class TracefsTest {
    private static final String T = Tracer.TRACEFS;

    private final Cpus cpus = new Cpus(2);
    private final VirtualClock clock = new VirtualClock();
    private final Symbols symbols = new Symbols();
    private final Tracer tracer = new Tracer(cpus, clock, new TraceFormat(symbols, 42));
    private final VirtualFs vfs = new VirtualFs();

    TracefsTest() {
        tracer.registerFiles(vfs);
    }

    private void kfree(int cpu, long ptr) {
        tracer.emit(cpu, new KmemEvent.Kfree(0, ptr));
    }

    @Test
    void bufferSizes_areTheKernelDefaults_inPagesOfBufPageSize() {
        // trace_buf_size 1441792 bytes = 354 pages of 4080 bytes: what a 2-CPU 6.18 machine shows.
        assertThat(vfs.read(T + "buffer_size_kb")).isEqualTo("1410\n");
        assertThat(vfs.read(T + "buffer_total_size_kb")).isEqualTo("2820\n");
        assertThat(vfs.write(T + "buffer_size_kb", "8")).isNull();
        // DIV_ROUND_UP(8192, 4080) = 3 pages = 12240 bytes.
        assertThat(vfs.read(T + "buffer_size_kb")).isEqualTo("11\n");
        assertThat(vfs.write(T + "buffer_size_kb", "lots")).isEqualTo("EINVAL");
        assertThat(vfs.read(T + "tracing_on")).isEqualTo("1\n");
    }

    @Test
    void fullBuffer_overwritesItsOldestPage_andTracePipeSaysHowManyWereLost() {
        tracer.enable("kmem:kfree");
        vfs.write(T + "buffer_size_kb", "8");
        // A kfree record is 24 bytes, 28 in the ring: 145 to a 4080-byte page, 3 pages.
        for (int i = 0; i < 1000; i++) {
            kfree(0, 0xffff888000100000L + 64L * i);
        }
        // 7 pages written (6 × 145 + 130): the last 3 are kept, 2 × 145 + 130 events.
        assertThat(tracer.traceFile()).contains("# entries-in-buffer/entries-written: 420/1000   #P:2\n");
        String pipe = vfs.read(T + "trace_pipe");
        assertThat(pipe).startsWith("CPU:0 [LOST 580 EVENTS]\n");
        assertThat(pipe.lines().count()).isEqualTo(421);
        // The oldest event kept is the first of page 5: event 580.
        assertThat(pipe.lines().skip(1).findFirst().orElseThrow())
                .contains("kfree: call_site=0x0 ptr=" + hashed(0xffff888000100000L + 64L * 580));
        // Consumed: nothing left; get_total_entries() counts written as in-buffer + overrun, so
        // the 420 read drop out of it and the 580 lost stay.
        assertThat(vfs.read(T + "trace_pipe")).isEmpty();
        assertThat(tracer.traceFile()).contains("entries-in-buffer/entries-written: 0/580 ");
    }

    @Test
    void nooverwrite_dropsTheNewestInstead() {
        tracer.enable("kmem:kfree");
        vfs.write(T + "buffer_size_kb", "8");
        vfs.write(T + "trace_options", "nooverwrite");
        for (int i = 0; i < 1000; i++) {
            kfree(1, 0xffff888000100000L + 64L * i);
        }
        assertThat(tracer.traceFile()).contains("entries-in-buffer/entries-written: 435/435 ");
        assertThat(vfs.read(T + "trace_pipe")).doesNotContain("LOST").contains(hashed(0xffff888000100000L));
    }

    @Test
    void tracePipe_consumesInTimeOrderAcrossCpus() {
        tracer.enable("kmem:kfree");
        // Each CPU's clock runs forward; the CPUs interleave.
        clock.set(2_000);
        kfree(1, 0xffff888000000200L);
        clock.set(1_000);
        kfree(0, 0xffff888000000100L);
        clock.set(3_000);
        kfree(1, 0xffff888000000300L);
        vfs.write(T + "trace_options", "nohash-ptr");
        String first = vfs.read(T + "trace");
        assertThat(first.lines().filter(l -> l.contains("kfree")).toList())
                .extracting(l -> l.substring(l.length() - 3))
                .containsExactly("100", "200", "300");
        String pipe = vfs.read(T + "trace_pipe");
        assertThat(pipe.lines().toList())
                .extracting(l -> l.substring(l.length() - 3))
                .containsExactly("100", "200", "300");
        assertThat(vfs.read(T + "trace_pipe")).isEmpty();
        kfree(0, 0xffff888000000400L);
        // echo >> trace leaves the buffers alone; echo > trace empties them.
        assertThat(vfs.append(T + "trace", "\n")).isNull();
        assertThat(vfs.read(T + "trace")).contains("entries-in-buffer/entries-written: 1/1 ");
        assertThat(vfs.read(T + "trace_pipe")).endsWith("ptr=ffff888000000400\n");
        kfree(0, 0xffff888000000500L);
        assertThat(vfs.write(T + "trace", "\n")).isNull();
        assertThat(vfs.read(T + "trace_pipe")).isEmpty();
    }

    @Test
    void setEvent_replacesOnTruncateAndAddsOnAppend() {
        assertThat(vfs.write(T + "set_event", "kmem:kmalloc\n")).isNull();
        assertThat(vfs.append(T + "set_event", "kmem:kfree\n")).isNull();
        assertThat(vfs.read(T + "set_event")).isEqualTo("kmem:kmalloc\nkmem:kfree\n");
        assertThat(vfs.write(T + "set_event", "kmem:kfree\n")).isNull();
        assertThat(vfs.read(T + "set_event")).isEqualTo("kmem:kfree\n");
        assertThat(vfs.append(T + "set_event", "!kmem:kfree\n")).isNull();
        assertThat(vfs.read(T + "set_event")).isEmpty();
        // A bad word changes nothing, whichever way the file was opened.
        vfs.write(T + "set_event", "kmem:kmalloc");
        assertThat(vfs.write(T + "set_event", "kmem:nope")).isEqualTo("EINVAL");
        assertThat(vfs.read(T + "set_event")).isEqualTo("kmem:kmalloc\n");
        assertThat(vfs.read(T + "events/kmem/enable")).isEqualTo("X\n");
        assertThat(vfs.read(T + "events/kmem/kmalloc/id")).isEqualTo("658\n");
    }

    @Test
    void setEventPid_recordsOnlyTheListedTasks() {
        tracer.enable("kmem:kfree");
        cpus.setCurrent(0, "bash", 42);
        cpus.setCurrent(1, "sh", 7);
        assertThat(vfs.write(T + "set_event_pid", "42\n")).isNull();
        kfree(0, 0xffff888000000100L);
        kfree(1, 0xffff888000000200L);
        assertThat(tracer.traceFile()).contains("bash-42").doesNotContain("sh-7");
        assertThat(vfs.append(T + "set_event_pid", "7\n")).isNull();
        assertThat(vfs.read(T + "set_event_pid")).isEqualTo("7\n42\n");
        kfree(1, 0xffff888000000300L);
        assertThat(tracer.traceFile()).contains("sh-7");
        assertThat(vfs.write(T + "set_event_pid", "x")).isEqualTo("EINVAL");
        assertThat(vfs.write(T + "set_event_pid", "\n")).isNull();
        assertThat(vfs.read(T + "set_event_pid")).isEmpty();
    }

    @Test
    void tracingOff_recordsNothing_butKeepsTheEventsEnabled() {
        tracer.enable("kmem:kfree");
        assertThat(vfs.write(T + "tracing_on", "0")).isNull();
        assertThat(tracer.on(EventType.KFREE)).isFalse();
        assertThat(vfs.read(T + "set_event")).isEqualTo("kmem:kfree\n");
        vfs.write(T + "tracing_on", "1");
        assertThat(tracer.on(EventType.KFREE)).isTrue();
        assertThat(vfs.write(T + "tracing_on", "2")).isEqualTo("EINVAL");
    }

    @Test
    void hashPtr_isOnByDefault_seededPerBoot_andConsistentWithinOne() {
        assertThat(vfs.read(T + "trace_options")).contains("\nhash-ptr\n", "\nirq-info\n", "\nnoraw\n");
        tracer.enable("kmem:kfree");
        long p = 0xffff888004a3c000L;
        kfree(0, p);
        kfree(0, p);
        String text = tracer.traceFile();
        String id = hashed(p);
        assertThat(id).startsWith("00000000").hasSize(16).isNotEqualTo("ffff888004a3c000");
        assertThat(text.split(id, -1)).hasSize(3);
        // Same seed, same ids; another seed, other ids.
        assertThat(new TraceFormat(symbols, 42).hashedId(p)).isEqualTo(new TraceFormat(symbols, 42).hashedId(p));
        assertThat(new TraceFormat(symbols, 43).hashedId(p)).isNotEqualTo(new TraceFormat(symbols, 42).hashedId(p));
        assertThat(vfs.read(T + "options/hash-ptr")).isEqualTo("1\n");
        vfs.write(T + "trace_options", "nohash-ptr");
        assertThat(vfs.read(T + "options/hash-ptr")).isEqualTo("0\n");
        assertThat(tracer.traceFile()).contains("ptr=ffff888004a3c000").doesNotContain(id);
        // options/NAME sets it as the trace_options word does.
        assertThat(vfs.write(T + "options/hash-ptr", "1")).isNull();
        assertThat(tracer.traceFile()).contains(id);
        assertThat(vfs.write(T + "options/hash-ptr", "yes")).isEqualTo("EINVAL");
        vfs.write(T + "trace_options", "nohash-ptr");
        assertThat(vfs.write(T + "trace_options", "nosuch")).isEqualTo("EINVAL");
    }

    @Test
    void siphash_matchesTheReferenceVector() {
        // SipHash-2-4, key 00 01 … 0f, message 00 01 … 07: 62 24 93 9a 79 f5 f5 93 (little-endian).
        assertThat(TraceFormat.siphash(0x0706050403020100L, 0x0706050403020100L, 0x0f0e0d0c0b0a0908L))
                .isEqualTo(0x93f5f5799a932462L);
    }

    @Test
    void contextColumn_andEveryForm_matchGolden() {
        tracer.enable("kmem:*");
        cpus.setCurrent(0, "bash", 15400);
        clock.set(9998_517_263_000L);
        cpus.lockIrqsave(0);
        cpus.preemptDisable(0);
        cpus.preemptDisable(0);
        tracer.emit(0, new KmemEvent.MmPageAllocZoneLocked(0x1234, 0, 0, true));
        cpus.preemptEnable(0);
        cpus.preemptEnable(0);
        cpus.unlockIrqrestore(0);
        clock.set(9998_517_300_000L);
        cpus.preemptDisable(0);
        cpus.preemptDisable(0);
        tracer.emit(0, new KmemEvent.MmPageFreeBatched(0x1234));
        cpus.preemptEnable(0);
        cpus.preemptEnable(0);
        cpus.setCurrent(1, "swapper/1", 0);
        clock.set(9998_517_400_000L);
        cpus.softirqEnter(1);
        long site = symbols.intern("rcu_free_thing", 0x21, 0x40);
        tracer.emit(1, new KmemEvent.KmemCacheFree(site, 0xffff888004a3c000L, "filp"));
        cpus.softirqExit(1);
        clock.set(9998_520_000_000L);
        tracer.emit(0, new KmemEvent.MmPageAlloc(0x1234, 0, 1, Gfp.GFP_KERNEL));
        StringBuilder all = new StringBuilder();
        for (String opts : new String[] {
            "",
            "latency-format",
            "nolatency-format raw",
            "noraw hex",
            "nohex nocontext-info",
            "context-info record-tgid",
            "norecord-tgid noirq-info",
            "irq-info nohash-ptr"
        }) {
            for (String o : opts.split(" ")) {
                if (!o.isEmpty()) {
                    assertThat(vfs.write(T + "trace_options", o)).as(o).isNull();
                }
            }
            all.append("=== trace_options: ")
                    .append(opts.isEmpty() ? "(defaults)" : opts)
                    .append('\n');
            all.append(vfs.read(T + "trace"));
        }
        String text = all.toString();
        assertThat(text).contains("bash-15400   [000] d..3.  9998.517263: mm_page_alloc_zone_locked: ");
        assertThat(text).contains("[000] ...2.  9998.517300: mm_page_free_batched: ");
        // The idle task prints as <idle>, as __trace_find_cmdline() names pid 0.
        assertThat(text).contains("          <idle>-0       [001] ..s..  9998.517400: kmem_cache_free: ");
        Golden.assertMatches("tracefs-forms.txt", text);
    }

    private String hashed(long ptr) {
        return String.format("%016x", new TraceFormat(symbols, 42).hashedId(ptr));
    }
}
