package io.kmemlab.mm.trace;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.VirtualFs;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The kmem tracepoints of one machine: per-event enable flags (with the {@code trace_event=}
 * check, muting, and the tracefs files that show and set them), {@code tracing_on} and
 * {@code set_event_pid}, the per-CPU ring buffers behind {@code trace} and {@code trace_pipe}
 * ({@link TraceRing}, printed by {@link TraceText} under the {@link TraceOptions}), and the other
 * outputs: the event's SLF4J logger and sinks such as a trace file.
 *
 * <p>The ring keeps the event records and formats them when {@code trace} is read, with the
 * options in force then (as the kernel does: {@code hash-ptr} on by default, so tracefs prints
 * pointers as per-boot hashed ids). Sinks get each line as it is emitted, in kmemlab's own form:
 * the default layout with raw pointers (as trace-cmd and perf print them), so that an emitted
 * trace replays exactly.
 *
 * <p>A call site tests {@link #on(EventType)} before building the event record, so a disabled
 * event (or tracing_on 0) costs one array read: no formatting and no allocation.
 *
 * <pre>
 *  line = %16s-%-7d [%03d] ctx.. %5lu.%06lu: &lt;event&gt;: &lt;TP_printk fields&gt;
 * </pre>
 */
public final class Tracer {
    /** Where tracefs is mounted. */
    public static final String TRACEFS = "/sys/kernel/tracing/";
    /** The kernel's default trace_buf_size: 1441792 bytes per CPU (1410 KiB once in pages). */
    public static final long DEFAULT_BUFFER_BYTES = 1_441_792L;

    private final Cpus cpus;
    private final VirtualClock clock;
    private final TraceFormat format;
    private final boolean[] enabled = new boolean[EventType.values().length];
    /** enabled and tracing_on: what {@link #on} reads. */
    private final boolean[] active = new boolean[EventType.values().length];

    private boolean tracingOn = true;
    private final TraceOptions options = new TraceOptions();
    /** How tracefs prints pointers (hash-ptr); {@link #format} is the sinks' (raw). */
    private final TraceFormat fileFormat;

    private final TraceText fileText;
    private final TraceText sinkText;
    private final TraceRing[] rings;
    /** When the buffers were last reset: latency-format's times count from it. */
    private long timeStart;

    private final java.util.TreeSet<Integer> pidFilter = new java.util.TreeSet<>();
    private final List<Consumer<String>> sinks = new ArrayList<>();
    /** Sinks that also take {@link CacheDefinition} comment lines (kmemlab's own trace files). */
    private final List<Consumer<String>> annotatedSinks = new ArrayList<>();
    /** Nesting of {@link #beginCacheCreate()}; lines for annotated sinks are held while above 0. */
    private int cacheCreateDepth;

    private List<String> held;
    private final StringBuilder line = new StringBuilder(256);
    private long emitted;

    public Tracer(Cpus cpus, VirtualClock clock, TraceFormat format) {
        this.cpus = cpus;
        this.clock = clock;
        this.format = format;
        this.fileFormat = new TraceFormat(format.symbols(), format.hashKey());
        this.fileFormat.setHashPointers(options.hashPtr(), format.hashKey());
        this.fileText = new TraceText(options, fileFormat, true);
        this.sinkText = new TraceText(new TraceOptions(), format, false);
        this.rings = new TraceRing[cpus.nrCpus()];
        for (int c = 0; c < rings.length; c++) {
            rings[c] = new TraceRing(TraceRing.pagesFor(DEFAULT_BUFFER_BYTES));
        }
    }

    /** The trace_options of this machine's tracefs. */
    public TraceOptions options() {
        return options;
    }

    /** Applies one trace_options word ({@code name} or {@code noname}): null or EINVAL. */
    public String setOption(String word) {
        String err = options.set(word);
        fileFormat.setHashPointers(options.hashPtr(), fileFormat.hashKey());
        return err;
    }

    public boolean tracingOn() {
        return tracingOn;
    }

    /** tracing_on: 0 stops recording into the buffers and every other output; events stay enabled. */
    public void setTracingOn(boolean on) {
        tracingOn = on;
        refresh();
    }

    /** buffer_size_kb: every CPU's buffer becomes that size, in pages, and is emptied. */
    public void setBufferSizeKb(long kb) {
        int pages = TraceRing.pagesFor(kb * 1024);
        for (TraceRing r : rings) {
            r.resize(pages);
        }
    }

    private void refresh() {
        for (int i = 0; i < enabled.length; i++) {
            active[i] = enabled[i] && tracingOn;
        }
    }

    public TraceFormat format() {
        return format;
    }

    /** True if events of {@code type} are recorded now (enabled and tracing_on). */
    public boolean on(EventType type) {
        return active[type.ordinal()];
    }

    /**
     * The array {@link #on} reads, indexed by {@link EventType#ordinal()} and updated in place
     * (it is never replaced): a layer whose hot paths test events keeps it in a final field of its
     * own, one dependent load fewer per test than through the tracer. Read it; never write it.
     */
    public boolean[] activeFlags() {
        return active;
    }

    /** True if {@code type} is enabled ({@code set_event}), whatever tracing_on says. */
    public boolean enabled(EventType type) {
        return enabled[type.ordinal()];
    }

    public void setEnabled(EventType type, boolean on) {
        enabled[type.ordinal()] = on;
        refresh();
    }

    /** Turns every event off. */
    public void disableAll() {
        java.util.Arrays.fill(enabled, false);
        refresh();
    }

    /**
     * Applies a {@code trace_event=} list: comma-separated {@code system:event} words with globs
     * ({@code kmem:*}, {@code kmem:mm_page_*}, {@code *:kmalloc}, {@code kmalloc}); a leading
     * {@code !} disables. A list with a word that matches no kmem event changes nothing.
     *
     * @return null on success, else the first word that matches no kmem event (see {@link #check})
     */
    public String enable(String spec) {
        String bad = check(spec);
        if (bad != null) {
            return bad;
        }
        for (String raw : spec.split(",")) {
            EventSpec w = EventSpec.of(raw);
            if (w != null) {
                for (EventType t : EventType.values()) {
                    if (w.matches(t)) {
                        enabled[t.ordinal()] = w.on;
                    }
                }
            }
        }
        refresh();
        return null;
    }

    /**
     * Checks a {@code trace_event=} list without applying it, as a boot parameter or a write to
     * {@code set_event} is refused before any event changes.
     *
     * @return null if every word matches some kmem event, else the first word (trimmed) that does not
     */
    public static String check(String spec) {
        for (String raw : spec.split(",")) {
            EventSpec w = EventSpec.of(raw);
            if (w == null) {
                continue;
            }
            boolean matched = false;
            for (EventType t : EventType.values()) {
                matched |= w.matches(t);
            }
            if (!matched) {
                return raw.trim();
            }
        }
        return null;
    }

    /** One word of an event list: {@code [!][system:]event}, globs allowed in both parts. */
    private record EventSpec(boolean on, Pattern system, Pattern event) {
        /** The word, or null if it is blank. */
        static EventSpec of(String raw) {
            String word = raw.trim();
            if (word.isEmpty()) {
                return null;
            }
            boolean on = true;
            if (word.startsWith("!")) {
                on = false;
                word = word.substring(1);
            }
            String system = "*";
            String event = word;
            int colon = word.indexOf(':');
            if (colon >= 0) {
                system = word.substring(0, colon);
                event = word.substring(colon + 1);
            }
            if (event.isEmpty()) {
                event = "*";
            }
            return new EventSpec(on, glob(system), glob(event));
        }

        boolean matches(EventType t) {
            return system.matcher(t.system()).matches()
                    && event.matcher(t.eventName()).matches();
        }
    }

    /**
     * Turns every event off until the handle is closed, which restores each event's flag as it
     * was: for work the traced kernel did before the capture (a replay creating a cache late), so
     * its events stay out of the outputs.
     *
     * <pre>
     *  try (Tracer.Muted m = tracer.mute()) { … }
     * </pre>
     *
     * Mutes nest; a flag changed while muted is overwritten when the handle closes.
     */
    public Muted mute() {
        Muted m = new Muted(this, enabled.clone());
        disableAll();
        return m;
    }

    /** The flags {@link #mute()} saved; closing puts them back. */
    public static final class Muted implements AutoCloseable {
        private final Tracer tracer;
        private final boolean[] saved;
        private boolean closed;

        private Muted(Tracer tracer, boolean[] saved) {
            this.tracer = tracer;
            this.saved = saved;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                System.arraycopy(saved, 0, tracer.enabled, 0, saved.length);
                tracer.refresh();
            }
        }
    }

    /**
     * Registers the tracefs files: {@code trace} (the buffers with their header; a write clears
     * them), {@code trace_pipe} (a consuming read), {@code trace_options}, {@code tracing_on},
     * {@code buffer_size_kb} (per CPU; a write resizes every CPU's buffer),
     * {@code buffer_total_size_kb}, {@code set_event} (the enabled events, one {@code kmem:event} a
     * line; a write with {@code >} replaces the list, with {@code >>} adds to it; words separated by
     * commas or blanks, {@code !} disables), {@code set_event_pid} (the same, for pids),
     * {@code events/kmem/enable} and {@code events/kmem/<event>/{enable,id}}.
     */
    public void registerFiles(VirtualFs vfs) {
        // Only an open with O_TRUNC (echo > trace) resets the buffers; echo >> trace writes nothing.
        vfs.register(
                TRACEFS + "trace",
                0644,
                this::traceFile,
                text -> {
                    clearRing();
                    return null;
                },
                text -> null);
        vfs.register(TRACEFS + "trace_pipe", 0444, this::tracePipe);
        vfs.register(TRACEFS + "trace_options", 0644, options::text, text -> {
            for (String w : text.trim().split("\\s+")) {
                if (!w.isEmpty()) {
                    String err = options.set(w);
                    if (err != null) {
                        return err;
                    }
                }
            }
            fileFormat.setHashPointers(options.hashPtr(), fileFormat.hashKey());
            return null;
        });
        for (String name : options.names()) {
            vfs.register(TRACEFS + "options/" + name, 0644, () -> options.on(name) ? "1\n" : "0\n", text -> {
                switch (text.trim()) {
                    case "0" -> setOption("no" + name);
                    case "1" -> setOption(name);
                    default -> {
                        return "EINVAL";
                    }
                }
                return null;
            });
        }
        vfs.register(TRACEFS + "tracing_on", 0644, () -> tracingOn ? "1\n" : "0\n", text -> {
            switch (text.trim()) {
                case "0" -> setTracingOn(false);
                case "1" -> setTracingOn(true);
                default -> {
                    return "EINVAL";
                }
            }
            return null;
        });
        vfs.register(TRACEFS + "buffer_size_kb", 0644, () -> rings[0].sizeKb() + "\n", text -> {
            long kb;
            try {
                kb = Long.parseLong(text.trim());
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
            if (kb < 1) {
                return "EINVAL";
            }
            setBufferSizeKb(kb);
            return null;
        });
        vfs.register(TRACEFS + "buffer_total_size_kb", 0444, () -> {
            long total = 0;
            for (TraceRing r : rings) {
                total += r.sizeKb();
            }
            return total + "\n";
        });
        vfs.register(
                TRACEFS + "set_event",
                0644,
                this::setEventText,
                text -> {
                    // O_TRUNC: ftrace_clear_events(), then the words.
                    String bad = check(words(text));
                    if (bad != null) {
                        return "EINVAL";
                    }
                    disableAll();
                    return words(text).isEmpty() ? null : enable(words(text)) == null ? null : "EINVAL";
                },
                text -> words(text).isEmpty() ? null : enable(words(text)) == null ? null : "EINVAL");
        vfs.register(
                TRACEFS + "set_event_pid",
                0644,
                this::setEventPidText,
                text -> setEventPid(text, false),
                text -> setEventPid(text, true));
        for (String system : systems()) {
            vfs.register(
                    TRACEFS + "events/" + system + "/enable",
                    0644,
                    () -> {
                        int on = 0;
                        int all = 0;
                        for (EventType t : EventType.values()) {
                            if (t.system().equals(system)) {
                                all++;
                                on += on(t) ? 1 : 0;
                            }
                        }
                        return on == 0 ? "0\n" : on == all ? "1\n" : "X\n";
                    },
                    text -> {
                        switch (text.trim()) {
                            case "0", "1" -> {
                                for (EventType t : EventType.values()) {
                                    if (t.system().equals(system)) {
                                        setEnabled(t, text.trim().equals("1"));
                                    }
                                }
                            }
                            default -> {
                                return "EINVAL";
                            }
                        }
                        return null;
                    });
        }
        for (EventType t : EventType.values()) {
            String dir = TRACEFS + "events/" + t.system() + "/" + t.eventName() + "/";
            vfs.register(dir + "id", 0444, () -> TraceText.id(t) + "\n");
            vfs.register(dir + "enable", 0644, () -> on(t) ? "1\n" : "0\n", text -> {
                switch (text.trim()) {
                    case "0" -> setEnabled(t, false);
                    case "1" -> setEnabled(t, true);
                    default -> {
                        return "EINVAL";
                    }
                }
                return null;
            });
        }
    }

    /** The tracefs event groups, in the order of their first event: kmem, compaction, migrate. */
    private static java.util.Set<String> systems() {
        java.util.Set<String> s = new java.util.LinkedHashSet<>();
        for (EventType t : EventType.values()) {
            s.add(t.system());
        }
        return s;
    }

    /** A set_event write as a trace_event= list (the kernel reads it word by word: blanks separate). */
    private static String words(String text) {
        return text.trim().replaceAll("\\s+", ",");
    }

    /**
     * A write to {@code set_event_pid}: pids separated by blanks or commas; a truncating write
     * replaces the list (an empty one clears it), an appending one adds to it.
     *
     * @return null or EINVAL (a word that is not a pid; nothing changes)
     */
    private String setEventPid(String text, boolean append) {
        java.util.TreeSet<Integer> pids = new java.util.TreeSet<>();
        for (String w : text.trim().split("[\\s,]+")) {
            if (w.isEmpty()) {
                continue;
            }
            try {
                int p = Integer.parseInt(w);
                if (p < 0) {
                    return "EINVAL";
                }
                pids.add(p);
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
        }
        if (!append) {
            pidFilter.clear();
        }
        pidFilter.addAll(pids);
        return null;
    }

    private String setEventPidText() {
        StringBuilder sb = new StringBuilder();
        for (int p : pidFilter) {
            sb.append(p).append('\n');
        }
        return sb.toString();
    }

    /** {@code set_event}: each enabled event as {@code kmem:event}, one a line. */
    private String setEventText() {
        StringBuilder sb = new StringBuilder();
        for (EventType t : EventType.values()) {
            if (enabled(t)) {
                sb.append(t.system()).append(':').append(t.eventName()).append('\n');
            }
        }
        return sb.toString();
    }

    private static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        for (char c : g.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** Adds an output that receives every emitted line (without newline). */
    public void addSink(Consumer<String> sink) {
        sinks.add(sink);
    }

    /**
     * Adds an output that receives every emitted line and, if {@code cacheComments}, the
     * {@link CacheDefinition} comment line of every cache created from now on (before the event
     * lines the creation emitted), so that a replay of what it wrote creates the same caches.
     */
    public void addSink(Consumer<String> sink, boolean cacheComments) {
        if (cacheComments) {
            annotatedSinks.add(sink);
        } else {
            sinks.add(sink);
        }
    }

    public void removeSink(Consumer<String> sink) {
        sinks.remove(sink);
        annotatedSinks.remove(sink);
    }

    /** True if some output takes cache comments (then creators should describe their caches). */
    public boolean cacheComments() {
        return !annotatedSinks.isEmpty();
    }

    /**
     * Writes a cache's comment line to the outputs that take them, now (for the caches that exist
     * when such an output is attached).
     */
    public void cacheComment(CacheDefinition d) {
        String text = d.commentLine();
        for (Consumer<String> s : annotatedSinks) {
            s.accept(text);
        }
    }

    /**
     * A kmem_cache_create begins: until the matching {@link #endCacheCreate}, the lines for
     * annotated outputs are held back, so that the cache's comment (with their count) can precede
     * them. Nested creations (a cache created while creating another) count as the outer one's.
     */
    public void beginCacheCreate() {
        if (cacheCreateDepth++ == 0 && !annotatedSinks.isEmpty()) {
            held = new ArrayList<>();
        }
    }

    /**
     * The kmem_cache_create begun last has ended.
     *
     * @param created what was created (its {@code events} is filled in here), or null if the
     *     creation failed or this is a nested creation
     */
    public void endCacheCreate(CacheDefinition created) {
        assert cacheCreateDepth > 0 : "endCacheCreate without beginCacheCreate";
        if (--cacheCreateDepth > 0 || held == null) {
            return;
        }
        List<String> lines = held;
        held = null;
        if (created != null) {
            cacheComment(created.withEvents(lines.size()));
        }
        for (String l : lines) {
            for (Consumer<String> s : annotatedSinks) {
                s.accept(l);
            }
        }
    }

    /** Number of events emitted since boot. */
    public long emitted() {
        return emitted;
    }

    /**
     * Records an event that the caller has checked is {@link #on enabled}: into the CPU's ring
     * buffer (unless set_event_pid filters the current task out) and to the outputs.
     */
    public void emit(int cpu, KmemEvent event) {
        int pid = cpus.pid(cpu);
        if (!pidFilter.isEmpty() && !pidFilter.contains(pid)) {
            return;
        }
        TraceRing.Entry e = new TraceRing.Entry(event, cpus.comm(cpu), pid, cpu, clock.nanos(), cpus.traceContext(cpu));
        emitted++;
        rings[cpu].write(e, fileText.ringLength(event), options.overwrite());
        org.slf4j.Logger log = event.type().logger();
        if (sinks.isEmpty() && annotatedSinks.isEmpty() && !log.isInfoEnabled()) {
            return;
        }
        line.setLength(0);
        sinkText.appendLine(line, e, 0, e.nanos());
        line.setLength(line.length() - 1);
        String text = line.toString();
        log.info(text);
        for (Consumer<String> s : sinks) {
            s.accept(text);
        }
        if (held != null) {
            held.add(text);
        } else {
            for (Consumer<String> s : annotatedSinks) {
                s.accept(text);
            }
        }
    }

    /** Formats one event as a full trace line in kmemlab's own form (for tests and tools). */
    public String formatLine(int cpu, KmemEvent event) {
        StringBuilder sb = new StringBuilder(256);
        TraceRing.Entry e =
                new TraceRing.Entry(event, cpus.comm(cpu), cpus.pid(cpu), cpu, clock.nanos(), cpus.traceContext(cpu));
        sinkText.appendLine(sb, e, 0, e.nanos());
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    /** The context prefix of trace_print_context with irq-info, flags all clear: up to and including ": ". */
    public static void appendPrefix(StringBuilder sb, String comm, int pid, int cpu, long nanos) {
        for (int i = comm.length(); i < 16; i++) {
            sb.append(' ');
        }
        sb.append(comm).append('-');
        String p = Integer.toString(pid);
        sb.append(p);
        for (int i = p.length(); i < 7; i++) {
            sb.append(' ');
        }
        sb.append(" [");
        if (cpu < 100) {
            sb.append('0');
        }
        if (cpu < 10) {
            sb.append('0');
        }
        sb.append(cpu).append("] ..... ");
        String secs = Long.toString(nanos / 1_000_000_000L);
        for (int i = secs.length(); i < 5; i++) {
            sb.append(' ');
        }
        sb.append(secs).append('.');
        String us = Long.toString((nanos / 1_000L) % 1_000_000L);
        for (int i = us.length(); i < 6; i++) {
            sb.append('0');
        }
        sb.append(us).append(": ");
    }

    /** Events in the buffers now (entries-in-buffer). */
    public long entries() {
        long n = 0;
        for (TraceRing r : rings) {
            n += r.entries();
        }
        return n;
    }

    /** Events in the buffers plus those overwritten (entries-written, as get_total_entries()). */
    public long entriesWritten() {
        long n = 0;
        for (TraceRing r : rings) {
            n += r.entries() + r.overrun();
        }
        return n;
    }

    /** The ftrace file header printed before the lines of {@code trace}, under the current options. */
    public String header() {
        return fileText.header(entries(), entriesWritten(), cpus.nrCpus(), entries() == 0);
    }

    /** Contents of {@code /sys/kernel/tracing/trace}: header, then every CPU's buffer by time. */
    public String traceFile() {
        StringBuilder sb = new StringBuilder(header());
        java.util.List<TraceRing.Entry> all = merged();
        for (int i = 0; i < all.size(); i++) {
            TraceRing.Entry e = all.get(i);
            long next = i + 1 < all.size() ? all.get(i + 1).nanos() : e.nanos();
            fileText.appendLine(sb, e, timeStart, next);
        }
        return sb.toString();
    }

    /**
     * The buffers' events as trace_find_next_entry() takes them: each CPU's in its order, the
     * CPU whose next event is oldest first (the lower CPU on a tie).
     */
    private java.util.List<TraceRing.Entry> merged() {
        java.util.List<java.util.Iterator<TraceRing.Entry>> its = new ArrayList<>();
        TraceRing.Entry[] heads = new TraceRing.Entry[rings.length];
        for (int c = 0; c < rings.length; c++) {
            its.add(rings[c].iterator());
            heads[c] = its.get(c).hasNext() ? its.get(c).next() : null;
        }
        java.util.List<TraceRing.Entry> all = new ArrayList<>();
        while (true) {
            int best = -1;
            for (int c = 0; c < heads.length; c++) {
                if (heads[c] != null && (best < 0 || heads[c].nanos() < heads[best].nanos())) {
                    best = c;
                }
            }
            if (best < 0) {
                return all;
            }
            all.add(heads[best]);
            heads[best] = its.get(best).hasNext() ? its.get(best).next() : null;
        }
    }

    /**
     * A read of {@code trace_pipe}: every buffered event, oldest first across CPUs, consumed; a
     * CPU whose buffer overwrote events since the last read says so first, as the kernel does:
     * {@code CPU:N [LOST M EVENTS]}. Empty when nothing is buffered (the kernel's read would block).
     */
    public String tracePipe() {
        StringBuilder sb = new StringBuilder();
        while (true) {
            int best = -1;
            long bestNanos = Long.MAX_VALUE;
            for (int c = 0; c < rings.length; c++) {
                TraceRing.Entry e = rings[c].peek();
                if (e != null && e.nanos() < bestNanos) {
                    best = c;
                    bestNanos = e.nanos();
                }
            }
            if (best < 0) {
                return sb.toString();
            }
            long lost = rings[best].takeLost();
            TraceRing.Entry e = rings[best].consume();
            if (lost > 0) {
                sb.append("CPU:").append(best).append(" [LOST ").append(lost).append(" EVENTS]\n");
            }
            TraceRing.Entry next = null;
            for (TraceRing r : rings) {
                TraceRing.Entry n = r.peek();
                if (n != null && (next == null || n.nanos() < next.nanos())) {
                    next = n;
                }
            }
            fileText.appendLine(sb, e, timeStart, next != null ? next.nanos() : e.nanos());
        }
    }

    /** Empties the buffers (writing to {@code trace}). */
    public void clearRing() {
        for (TraceRing r : rings) {
            r.reset();
        }
        timeStart = clock.nanos();
    }
}
