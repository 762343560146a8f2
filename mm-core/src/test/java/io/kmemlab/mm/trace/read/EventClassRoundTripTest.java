package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.trace.EventType;
import io.kmemlab.mm.trace.KmemEvent;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.TraceField;
import io.kmemlab.mm.trace.TraceFormat;
import io.kmemlab.mm.trace.Tracer;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Writer and parser against the event-class table ({@link EventType}, {@link TraceField}): every
 * event type is written with random values and read back, field for field, and every required
 * field is shown to be required, so that the table, the writer and the parser agree.
 */
class EventClassRoundTripTest {
    private static final int[] GFPS = {
        Gfp.GFP_KERNEL,
        Gfp.GFP_ATOMIC,
        Gfp.GFP_KERNEL_ACCOUNT,
        Gfp.GFP_NOWAIT,
        Gfp.GFP_NOIO,
        Gfp.GFP_HIGHUSER_MOVABLE | Gfp.__GFP_ZERO,
        Gfp.GFP_KERNEL | Gfp.__GFP_ACCOUNT | Gfp.__GFP_ZERO,
        0,
    };
    private static final String[] ZONES = {"DMA", "DMA32", "Normal", "Movable"};

    private final Cpus cpus = new Cpus(4);
    private final VirtualClock clock = new VirtualClock();
    private final Symbols symbols = new Symbols();
    private final Tracer tracer = new Tracer(cpus, clock, new TraceFormat(symbols, 1));
    private final FtraceLineParser parser = new FtraceLineParser(symbols);
    private final TraceLine out = new TraceLine();
    private final Random random = new Random(10);

    /** One event of type {@code t} with random values (the switch has a case for every type). */
    private KmemEvent sample(EventType t) {
        Random r = random;
        return switch (t) {
            case MM_PAGE_ALLOC -> new KmemEvent.MmPageAlloc(r.nextInt(8) == 0 ? -1 : pfn(), order(), mt(), gfp());
            case MM_PAGE_FREE -> new KmemEvent.MmPageFree(pfn(), order());
            case MM_PAGE_FREE_BATCHED -> new KmemEvent.MmPageFreeBatched(pfn());
            case MM_PAGE_ALLOC_ZONE_LOCKED ->
                new KmemEvent.MmPageAllocZoneLocked(pfn(), order(), mt(), r.nextBoolean());
            case MM_PAGE_PCPU_DRAIN -> new KmemEvent.MmPagePcpuDrain(pfn(), order(), mt());
            case MM_PAGE_ALLOC_EXTFRAG ->
                new KmemEvent.MmPageAllocExtfrag(pfn(), order(), order(), mt(), mt(), r.nextBoolean());
            case KMALLOC -> new KmemEvent.Kmalloc(site(), ptr(), size(), size(), gfp(), node());
            case KMEM_CACHE_ALLOC ->
                new KmemEvent.KmemCacheAlloc(site(), ptr(), name(), size(), size(), gfp(), node(), r.nextBoolean());
            case KFREE -> new KmemEvent.Kfree(site(), ptr());
            case KMEM_CACHE_FREE -> new KmemEvent.KmemCacheFree(site(), ptr(), name());
            case MM_SETUP_PER_ZONE_WMARKS ->
                new KmemEvent.MmSetupPerZoneWmarks(
                        r.nextInt(4),
                        zone(),
                        r.nextInt(1 << 20),
                        r.nextInt(1 << 20),
                        r.nextInt(1 << 20),
                        r.nextInt(1 << 20));
            case MM_SETUP_PER_ZONE_LOWMEM_RESERVE ->
                new KmemEvent.MmSetupPerZoneLowmemReserve(r.nextInt(4), zone(), zone(), r.nextInt(1 << 20));
            case MM_CALCULATE_TOTALRESERVE_PAGES -> new KmemEvent.MmCalculateTotalreservePages(r.nextInt(1 << 24));
            case RSS_STAT ->
                new KmemEvent.RssStat(
                        r.nextInt() & 0xffffffffL, r.nextBoolean(), r.nextInt(4), (long) r.nextInt(1 << 20) << 12);
            default -> throw new AssertionError(t + " prints itself: not in the field table");
        };
    }

    @Test
    void everyEventType_writtenAndParsedBack_fieldForField() {
        for (EventType t : EventType.values()) {
            if (t.selfPrinted()) {
                continue;
            }
            for (int i = 0; i < 200; i++) {
                KmemEvent e = sample(t);
                String line = write(e);
                assertThat(keysOf(t, line)).as(line).isEqualTo(t.fields());
                TraceOp op = opOf(t);
                parse(line);
                if (op == null) {
                    // Not read by a replay: a well-formed line of another event.
                    assertThat(out.kind()).as(line).isEqualTo(TraceLine.Kind.OTHER_EVENT);
                    assertThat(out.eventName()).isEqualTo(t.eventName());
                    continue;
                }
                assertThat(out.kind()).as(line + ": " + out.reason()).isEqualTo(TraceLine.Kind.EVENT);
                assertThat(out.op()).isEqualTo(op);
                KmemEvent back = out.toEvent();
                for (TraceField f : t.fields()) {
                    if (f.format() == TraceField.Format.STRING) {
                        assertThat(back.text(f)).as(f.key() + " of " + line).isEqualTo(e.text(f));
                    } else {
                        assertThat(back.value(f)).as(f.key() + " of " + line).isEqualTo(e.value(f));
                    }
                }
                assertThat(back).isEqualTo(e);
            }
        }
    }

    @Test
    void requiredFields_areWhatTheParserRequires() {
        for (EventType t : EventType.values()) {
            if (t.selfPrinted()) {
                continue;
            }
            TraceOp op = opOf(t);
            if (op == null) {
                continue;
            }
            String line = write(sample(t));
            for (TraceField f : t.fields()) {
                String without = drop(line, f);
                parse(without);
                if (t.required().contains(f)) {
                    assertThat(out.kind()).as(without).isEqualTo(TraceLine.Kind.MALFORMED);
                    assertThat(out.reason()).isEqualTo("missing " + f.key() + "=");
                } else {
                    assertThat(out.kind()).as(without + ": " + out.reason()).isEqualTo(TraceLine.Kind.EVENT);
                }
            }
        }
    }

    @Test
    void everyEventTheReplayReads_hasATraceOp() {
        Set<EventType> read = EnumSet.noneOf(EventType.class);
        for (TraceOp op : TraceOp.values()) {
            if (op.type() != null) {
                assertThat(op.eventName()).isEqualTo(op.type().eventName());
                read.add(op.type());
            }
        }
        for (EventType t : EventType.values()) {
            if (t.selfPrinted()) {
                continue;
            }
            assertThat(read.contains(t))
                    .as(t.eventName())
                    .isEqualTo(!t.required().isEmpty());
        }
    }

    private String write(KmemEvent e) {
        cpus.setCurrent(1, "kworker/1:0", 77);
        clock.advance(1_000);
        return tracer.formatLine(1, e);
    }

    private void parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        parser.parse(b, 0, b.length, 1, out);
    }

    private static TraceOp opOf(EventType t) {
        for (TraceOp op : TraceOp.values()) {
            if (op.type() == t) {
                return op;
            }
        }
        return null;
    }

    /** The keys of the payload in order, found by the table's keys (which may hold a space). */
    private static List<TraceField> keysOf(EventType t, String line) {
        String payload = line.substring(
                line.indexOf(t.eventName() + ": ") + t.eventName().length() + 2);
        List<TraceField> got = new java.util.ArrayList<>();
        int p = 0;
        while (p < payload.length()) {
            TraceField found = null;
            for (TraceField f : TraceField.values()) {
                if (payload.startsWith(f.key() + "=", p)
                        && (found == null || f.key().length() > found.key().length())) {
                    found = f;
                }
            }
            if (found == null) {
                break;
            }
            got.add(found);
            // Values hold no space: the next key starts after the next one.
            int sp = payload.indexOf(' ', p + found.key().length() + 1);
            p = sp < 0 ? payload.length() : sp + 1;
        }
        return got;
    }

    /** The line without the field's {@code key=value}. */
    private static String drop(String line, TraceField f) {
        int at = line.indexOf(" " + f.key() + "=");
        if (at < 0) {
            at = line.indexOf(": " + f.key() + "=") + 1;
        }
        int end = line.indexOf(' ', at + 1);
        return end < 0 ? line.substring(0, at) : line.substring(0, at) + line.substring(end);
    }

    private long pfn() {
        return random.nextInt(Integer.MAX_VALUE);
    }

    private int order() {
        return random.nextInt(FtraceLineParser.MAX_ORDER + 1);
    }

    private int mt() {
        return random.nextInt(6);
    }

    private int gfp() {
        return GFPS[random.nextInt(GFPS.length)];
    }

    private int node() {
        return random.nextInt(5) - 1;
    }

    private long ptr() {
        return random.nextInt(16) == 0 ? 0 : 0xffff888000000000L + ((long) random.nextInt(1 << 30) << 3);
    }

    private long size() {
        return random.nextInt(64) == 0 ? -1L : random.nextInt(1 << 22);
    }

    private long site() {
        if (random.nextInt(16) == 0) {
            return 0;
        }
        int fn = random.nextInt(40);
        int size = 0x40 + fn * 0x10;
        return symbols.intern("fn_" + fn, random.nextInt(size), size);
    }

    private String name() {
        return "cache-" + random.nextInt(30);
    }

    private String zone() {
        return ZONES[random.nextInt(ZONES.length)];
    }
}
