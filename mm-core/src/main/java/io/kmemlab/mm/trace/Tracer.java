package io.kmemlab.mm.trace;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.VirtualClock;
import io.kmemlab.mm.VirtualFs;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The kmem tracepoints of one machine: per-event enable flags (with the {@code trace_event=}
 * check, muting, and the tracefs files that show and set them), the ftrace line writer, and the
 * outputs (the event's SLF4J logger, optional sinks such as a trace file, and a bounded ring that
 * backs {@code /sys/kernel/tracing/trace}).
 *
 * <p>A call site tests {@link #on(EventType)} before building the event record, so a disabled
 * event costs one array read: no formatting and no allocation.
 *
 * <pre>
 *  line = %16s-%-7d [%03d] ..... %5lu.%06lu: &lt;event&gt;: &lt;TP_printk fields&gt;
 * </pre>
 */
public final class Tracer {
    /** Where tracefs is mounted. */
    public static final String TRACEFS = "/sys/kernel/tracing/";
    /** Lines kept for {@code /sys/kernel/tracing/trace}. */
    public static final int RING_LINES = 10_000;

    private final Cpus cpus;
    private final VirtualClock clock;
    private final TraceFormat format;
    private final boolean[] enabled = new boolean[EventType.values().length];
    private final List<Consumer<String>> sinks = new ArrayList<>();
    /** Sinks that also take {@link CacheDefinition} comment lines (kmemlab's own trace files). */
    private final List<Consumer<String>> annotatedSinks = new ArrayList<>();
    /** Nesting of {@link #beginCacheCreate()}; lines for annotated sinks are held while above 0. */
    private int cacheCreateDepth;

    private List<String> held;
    private final ArrayDeque<String> ring = new ArrayDeque<>();
    private final StringBuilder line = new StringBuilder(256);
    /** Scratch of {@link KmemEvent#values} for the line writer. */
    private final long[] fieldValues = new long[TraceField.COUNT];

    private final String[] fieldTexts = new String[TraceField.COUNT];
    private long emitted;

    public Tracer(Cpus cpus, VirtualClock clock, TraceFormat format) {
        this.cpus = cpus;
        this.clock = clock;
        this.format = format;
    }

    public TraceFormat format() {
        return format;
    }

    public boolean on(EventType type) {
        return enabled[type.ordinal()];
    }

    public void setEnabled(EventType type, boolean on) {
        enabled[type.ordinal()] = on;
    }

    /** Turns every event off. */
    public void disableAll() {
        java.util.Arrays.fill(enabled, false);
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
            }
        }
    }

    /**
     * Registers the tracefs files of the kmem events: {@code trace} (the ring; a write clears it),
     * {@code set_event} (the enabled events, one {@code kmem:event} a line; a write takes a
     * {@code trace_event=} list, words separated by commas or blanks, an empty one disables all) and
     * {@code events/kmem/<event>/enable} ({@code 0} or {@code 1}).
     */
    public void registerFiles(VirtualFs vfs) {
        vfs.register(TRACEFS + "trace", 0644, this::traceFile, text -> {
            clearRing();
            return null;
        });
        vfs.register(TRACEFS + "set_event", 0644, this::setEventText, text -> {
            String spec = text.trim();
            if (spec.isEmpty()) {
                disableAll();
                return null;
            }
            // The kernel reads set_event word by word (trace_get_user): blanks separate as commas do.
            return enable(spec.replaceAll("\\s+", ",")) == null ? null : "EINVAL";
        });
        for (EventType t : EventType.values()) {
            vfs.register(
                    TRACEFS + "events/" + t.system() + "/" + t.eventName() + "/enable",
                    0644,
                    () -> on(t) ? "1\n" : "0\n",
                    text -> {
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

    /** {@code set_event}: each enabled event as {@code kmem:event}, one a line. */
    private String setEventText() {
        StringBuilder sb = new StringBuilder();
        for (EventType t : EventType.values()) {
            if (on(t)) {
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

    /** Formats and emits an event that the caller has checked is {@link #on enabled}. */
    public void emit(int cpu, KmemEvent event) {
        line.setLength(0);
        appendPrefix(line, cpus.comm(cpu), cpus.pid(cpu), cpu, clock.nanos());
        line.append(event.type().eventName()).append(": ");
        event.type().appendFields(event, line, format, fieldValues, fieldTexts);
        String text = line.toString();
        emitted++;
        event.type().logger().info(text);
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
        if (ring.size() == RING_LINES) {
            ring.pollFirst();
        }
        ring.addLast(text);
    }

    /** Formats one event as a full trace line (for tests and tools). */
    public String formatLine(int cpu, KmemEvent event) {
        StringBuilder sb = new StringBuilder(256);
        appendPrefix(sb, cpus.comm(cpu), cpus.pid(cpu), cpu, clock.nanos());
        sb.append(event.type().eventName()).append(": ");
        event.type().appendFields(event, sb, format, fieldValues, fieldTexts);
        return sb.toString();
    }

    /** The context prefix of trace_print_context with irq-info: up to and including ": ". */
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

    /** The ftrace file header printed before the lines of {@code trace}. */
    public String header() {
        long entries = ring.size();
        return String.format(
                        Locale.ROOT,
                        "# tracer: nop%n#%n# entries-in-buffer/entries-written: %d/%d   #P:%d%n#%n"
                                + "#                                _-----=> irqs-off/BH-disabled%n"
                                + "#                               / _----=> need-resched%n"
                                + "#                              | / _---=> hardirq/softirq%n"
                                + "#                              || / _--=> preempt-depth%n"
                                + "#                              ||| / _-=> migrate-disable%n"
                                + "#                              |||| /     delay%n"
                                + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION%n"
                                + "#              | |         |   |||||     |         |%n",
                        entries,
                        emitted,
                        cpus.nrCpus())
                .replace("\r", "");
    }

    /** Contents of {@code /sys/kernel/tracing/trace}: header, then the ring. */
    public String traceFile() {
        StringBuilder sb = new StringBuilder(header());
        for (String l : ring) {
            sb.append(l).append('\n');
        }
        return sb.toString();
    }

    /** Empties the ring (writing to {@code trace}). */
    public void clearRing() {
        ring.clear();
    }
}
