package io.kmemlab.mm.trace;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * The text of tracefs's {@code trace} and {@code trace_pipe}, as kernel/trace/trace.c and
 * trace_output.c print it under the current {@link TraceOptions}: the header
 * (trace_default_header: the entries line, the irq-info or plain column help, the latency
 * header) and each event's line (print_trace_line: bin/hex/raw forms, else the context —
 * trace_print_context or, with latency-format, trace_print_lat_context — then the event's
 * TP_printk text).
 *
 * <pre>
 *  default:         COMM-PID     [CPU] ctx.. SSSSS.UUUUUU: event: fields
 *  record-tgid:     COMM-PID     (   TGID) [CPU] ctx.. SSSSS.UUUUUU: event: fields
 *  latency-format:  COMMCOMM-PID      CPUctx.. TTTTus+: event: fields
 *  raw:             PID CPU NANOS type: ID
 *  hex:             %08x %08x %016x type: ID      (and a blank line)
 *  nocontext-info:  event: fields
 * </pre>
 */
final class TraceText {
    /** The kernel release the latency header names (the one kmemlab's boot log prints). */
    static final String UTS_RELEASE = "6.18.0-kmemlab";

    /** Event ids on a 6.18.44 kernel (events/SYSTEM/NAME/id): raw and hex print them. */
    private static final Map<EventType, Integer> IDS = new EnumMap<>(EventType.class);

    /** sizeof(struct trace_event_raw_NAME) on x86-64 (before its __string data). */
    private static final Map<EventType, Integer> RECORD_BYTES = new EnumMap<>(EventType.class);

    static {
        Object[][] t = {
            {EventType.RSS_STAT, 646, 32},
            {EventType.MM_CALCULATE_TOTALRESERVE_PAGES, 647, 16},
            {EventType.MM_SETUP_PER_ZONE_LOWMEM_RESERVE, 648, 32},
            {EventType.MM_SETUP_PER_ZONE_WMARKS, 649, 48},
            {EventType.MM_PAGE_ALLOC_EXTFRAG, 650, 40},
            {EventType.MM_PAGE_PCPU_DRAIN, 651, 24},
            {EventType.MM_PAGE_ALLOC_ZONE_LOCKED, 652, 32},
            {EventType.MM_PAGE_ALLOC, 653, 40},
            {EventType.MM_PAGE_FREE_BATCHED, 654, 16},
            {EventType.MM_PAGE_FREE, 655, 24},
            {EventType.KMEM_CACHE_FREE, 656, 32},
            {EventType.KFREE, 657, 24},
            {EventType.KMALLOC, 658, 56},
            {EventType.KMEM_CACHE_ALLOC, 659, 64},
            // events/compaction and events/migrate of the same kernel
            {EventType.MM_COMPACTION_KCOMPACTD_WAKE, 660, 20},
            {EventType.MM_COMPACTION_WAKEUP_KCOMPACTD, 661, 20},
            {EventType.MM_COMPACTION_KCOMPACTD_SLEEP, 662, 12},
            {EventType.MM_COMPACTION_DEFER_RESET, 663, 32},
            {EventType.MM_COMPACTION_DEFER_COMPACTION, 664, 32},
            {EventType.MM_COMPACTION_DEFERRED, 665, 32},
            {EventType.MM_COMPACTION_SUITABLE, 666, 24},
            {EventType.MM_COMPACTION_FINISHED, 667, 24},
            {EventType.MM_COMPACTION_TRY_TO_COMPACT_PAGES, 668, 32},
            {EventType.MM_COMPACTION_END, 669, 48},
            {EventType.MM_COMPACTION_BEGIN, 670, 48},
            {EventType.MM_COMPACTION_MIGRATEPAGES, 671, 24},
            {EventType.MM_COMPACTION_FAST_ISOLATE_FREEPAGES, 672, 40},
            {EventType.MM_COMPACTION_ISOLATE_FREEPAGES, 673, 40},
            {EventType.MM_COMPACTION_ISOLATE_MIGRATEPAGES, 674, 40},
            {EventType.MM_MIGRATE_PAGES, 713, 64},
        };
        for (Object[] r : t) {
            IDS.put((EventType) r[0], (Integer) r[1]);
            RECORD_BYTES.put((EventType) r[0], (Integer) r[2]);
        }
    }

    private final TraceOptions options;
    private final TraceFormat format;
    /** As __trace_find_cmdline(): pid 0 prints as {@code <idle>} (tracefs; kmemlab's own files keep swapper/N). */
    private final boolean idleComm;

    private final long[] values = new long[TraceField.COUNT];
    private final String[] texts = new String[TraceField.COUNT];

    TraceText(TraceOptions options, TraceFormat format, boolean idleComm) {
        this.options = options;
        this.format = format;
        this.idleComm = idleComm;
    }

    private String comm(TraceRing.Entry e) {
        return idleComm && e.pid() == 0 ? "<idle>" : e.comm();
    }

    /** The event id raw and hex output print. */
    static int id(EventType t) {
        return IDS.get(t);
    }

    /** The ring bytes an event takes: its record, its strings, the ring header. */
    int ringLength(KmemEvent e) {
        EventType t = e.type();
        int bytes = RECORD_BYTES.get(t);
        e.values(values, texts);
        for (TraceField f : t.fields()) {
            if (f == TraceField.NAME || f == TraceField.ZONE_NAME || f == TraceField.UPPER_ZONE_NAME) {
                String s = texts[f.ordinal()];
                bytes += (s == null ? 0 : s.length()) + 1;
            }
        }
        return TraceRing.eventLength(bytes);
    }

    /**
     * The header of {@code trace}.
     *
     * @param entries events in the buffers
     * @param written events in the buffers plus those overwritten
     * @param empty no event to print (the latency header is then left out, as the kernel does)
     */
    String header(long entries, long written, int nrCpus, boolean empty) {
        StringBuilder sb = new StringBuilder("# tracer: nop\n#\n");
        if (!options.contextInfo()) {
            return sb.toString();
        }
        if (options.latencyFormat()) {
            if (empty) {
                return sb.toString();
            }
            sb.append("# nop latency trace v1.1.5 on ").append(UTS_RELEASE).append('\n');
            sb.append("# --------------------------------------------------------------------\n");
            sb.append(String.format(
                    Locale.ROOT,
                    "# latency: 0 us, #%d/%d, CPU#0 | (M:PREEMPT(none) VP:0, KP:0, SP:0 HP:0 #P:%d)\n",
                    entries,
                    written,
                    nrCpus));
            sb.append("#    -----------------\n");
            sb.append("#    | task: -0 (uid:0 nice:0 policy:0 rt_prio:0)\n");
            sb.append("#    -----------------\n");
            sb.append("#\n");
            sb.append("#                    _------=> CPU#            \n");
            sb.append("#                   / _-----=> irqs-off/BH-disabled\n");
            sb.append("#                  | / _----=> need-resched    \n");
            sb.append("#                  || / _---=> hardirq/softirq \n");
            sb.append("#                  ||| / _--=> preempt-depth   \n");
            sb.append("#                  |||| / _-=> migrate-disable \n");
            sb.append("#                  ||||| /     delay           \n");
            sb.append("#  cmd     pid     |||||| time  |   caller     \n");
            sb.append("#     \\   /        ||||||  \\    |    /       \n");
            return sb.toString();
        }
        sb.append(String.format(
                Locale.ROOT, "# entries-in-buffer/entries-written: %d/%d   #P:%d\n#\n", entries, written, nrCpus));
        boolean tgid = options.recordTgid();
        if (options.irqInfo()) {
            String pad = tgid ? "            " : "  ";
            sb.append("#                            ").append(pad).append("  _-----=> irqs-off/BH-disabled\n");
            sb.append("#                            ").append(pad).append(" / _----=> need-resched\n");
            sb.append("#                            ").append(pad).append("| / _---=> hardirq/softirq\n");
            sb.append("#                            ").append(pad).append("|| / _--=> preempt-depth\n");
            sb.append("#                            ").append(pad).append("||| / _-=> migrate-disable\n");
            sb.append("#                            ").append(pad).append("|||| /     delay\n");
            sb.append("#           TASK-PID  ")
                    .append(tgid ? "     TGID   " : "  ")
                    .append(" CPU#  |||||  TIMESTAMP  FUNCTION\n");
            sb.append("#              | |    ")
                    .append(tgid ? "       |    " : "  ")
                    .append("   |   |||||     |         |\n");
        } else {
            sb.append("#           TASK-PID    ")
                    .append(tgid ? "   TGID   " : "")
                    .append(" CPU#     TIMESTAMP  FUNCTION\n");
            sb.append("#              | |      ")
                    .append(tgid ? "     |    " : "")
                    .append("   |         |         |\n");
        }
        return sb.toString();
    }

    /**
     * Appends one event's line(s), newline included.
     *
     * @param timeStart when the buffer was last reset (latency-format's times count from it)
     * @param nextNanos the time of the event printed after this one (or its own): the delay mark
     */
    void appendLine(StringBuilder sb, TraceRing.Entry e, long timeStart, long nextNanos) {
        EventType t = e.event().type();
        if (options.hex()) {
            if (options.contextInfo()) {
                sb.append(String.format(Locale.ROOT, "%08x %08x %016x ", e.pid(), e.cpu(), e.nanos()));
            }
            sb.append("type: ").append(id(t)).append("\n\n");
            return;
        }
        if (options.raw()) {
            if (options.contextInfo()) {
                sb.append(e.pid())
                        .append(' ')
                        .append(e.cpu())
                        .append(' ')
                        .append(e.nanos())
                        .append(' ');
            }
            sb.append("type: ").append(id(t)).append('\n');
            return;
        }
        if (options.contextInfo()) {
            if (options.latencyFormat()) {
                latencyContext(sb, e, timeStart, nextNanos);
            } else {
                context(sb, e);
            }
        }
        appendEvent(sb, e.event());
        sb.append('\n');
    }

    /** The event's own text: {@code name: fields}. */
    void appendEvent(StringBuilder sb, KmemEvent ev) {
        EventType t = ev.type();
        sb.append(t.eventName()).append(": ");
        t.appendFields(ev, sb, format, values, texts);
    }

    /** trace_print_context(). */
    private void context(StringBuilder sb, TraceRing.Entry e) {
        String comm = comm(e);
        pad(sb, comm, 16);
        sb.append(comm).append('-');
        String p = Integer.toString(e.pid());
        sb.append(p);
        for (int i = p.length(); i < 7; i++) {
            sb.append(' ');
        }
        sb.append(' ');
        if (options.recordTgid()) {
            // kmemlab's tasks are single-threaded: the thread group id is the pid (none for idle).
            if (e.pid() == 0) {
                sb.append("(-------) ");
            } else {
                sb.append(String.format(Locale.ROOT, "(%7d) ", e.pid()));
            }
        }
        sb.append('[');
        if (e.cpu() < 100) {
            sb.append('0');
        }
        if (e.cpu() < 10) {
            sb.append('0');
        }
        sb.append(e.cpu()).append("] ");
        if (options.irqInfo()) {
            appendFlags(sb, e.context());
        }
        sb.append(' ');
        String secs = Long.toString(e.nanos() / 1_000_000_000L);
        for (int i = secs.length(); i < 5; i++) {
            sb.append(' ');
        }
        sb.append(secs).append('.');
        String us = Long.toString((e.nanos() / 1_000L) % 1_000_000L);
        for (int i = us.length(); i < 6; i++) {
            sb.append('0');
        }
        sb.append(us).append(": ");
    }

    /** trace_print_lat_context() without verbose: lat_print_generic() and lat_print_timestamp(). */
    private void latencyContext(StringBuilder sb, TraceRing.Entry e, long timeStart, long nextNanos) {
        String comm = comm(e);
        comm = comm.length() > 8 ? comm.substring(0, 8) : comm;
        pad(sb, comm, 8);
        sb.append(comm).append('-');
        String p = Integer.toString(e.pid());
        sb.append(p);
        for (int i = p.length(); i < 7; i++) {
            sb.append(' ');
        }
        sb.append(String.format(Locale.ROOT, " %3d", e.cpu()));
        appendFlags(sb, e.context());
        long absUs = (e.nanos() - timeStart) / 1000;
        long relUs = (nextNanos - e.nanos()) / 1000;
        sb.append(String.format(Locale.ROOT, " %4dus%c: ", absUs, mark(relUs * 1000)));
    }

    /** trace_find_mark(): the delay to the next event, as a symbol. */
    static char mark(long nanos) {
        long[] val = {1_000_000_000L, 100_000_000L, 10_000_000L, 1_000_000L, 100_000L, 10_000L};
        char[] sym = {'$', '@', '*', '#', '!', '+'};
        for (int i = 0; i < val.length; i++) {
            if (nanos > val[i]) {
                return sym[i];
            }
        }
        return ' ';
    }

    /**
     * trace_print_lat_fmt(): irqs-off ({@code d}), need-resched (never set here), hardirq/softirq
     * ({@code h}/{@code s}), preempt depth and migrate-disable depth (a hex digit, {@code .} for 0).
     */
    static void appendFlags(StringBuilder sb, int ctx) {
        sb.append((ctx & io.kmemlab.mm.Cpus.CTX_IRQS_OFF) != 0 ? 'd' : '.');
        sb.append('.');
        boolean hard = (ctx & io.kmemlab.mm.Cpus.CTX_HARDIRQ) != 0;
        boolean soft = (ctx & io.kmemlab.mm.Cpus.CTX_SOFTIRQ) != 0;
        sb.append(hard && soft ? 'H' : hard ? 'h' : soft ? 's' : '.');
        int depth = ctx & io.kmemlab.mm.Cpus.CTX_PREEMPT_MASK;
        sb.append(depth == 0 ? '.' : Character.forDigit(depth, 16));
        sb.append('.');
    }

    private static void pad(StringBuilder sb, String s, int width) {
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
    }
}
