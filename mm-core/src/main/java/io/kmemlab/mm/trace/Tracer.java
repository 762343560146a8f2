package io.kmemlab.mm.trace;

import io.kmemlab.mm.Cpus;
import io.kmemlab.mm.VirtualClock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The kmem tracepoints of one machine: per-event enable flags, the ftrace line writer, and the
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

    /**
     * Applies a {@code trace_event=} list: comma-separated {@code system:event} words with globs
     * ({@code kmem:*}, {@code kmem:mm_page_*}, {@code *:kmalloc}, {@code kmalloc}); a leading
     * {@code !} disables.
     *
     * @return null on success, else the first word that matches no kmem event
     */
    public String enable(String spec) {
        for (String raw : spec.split(",")) {
            String word = raw.trim();
            if (word.isEmpty()) {
                continue;
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
            Pattern sys = glob(system);
            Pattern ev = glob(event);
            boolean matched = false;
            for (EventType t : EventType.values()) {
                if (sys.matcher(t.system()).matches() && ev.matcher(t.eventName()).matches()) {
                    enabled[t.ordinal()] = on;
                    matched = true;
                }
            }
            if (!matched) {
                return raw.trim();
            }
        }
        return null;
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
        event.appendFields(line, format);
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
        event.appendFields(sb, format);
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
        return String.format(Locale.ROOT,
                "# tracer: nop%n#%n# entries-in-buffer/entries-written: %d/%d   #P:%d%n#%n"
                        + "#                                _-----=> irqs-off/BH-disabled%n"
                        + "#                               / _----=> need-resched%n"
                        + "#                              | / _---=> hardirq/softirq%n"
                        + "#                              || / _--=> preempt-depth%n"
                        + "#                              ||| / _-=> migrate-disable%n"
                        + "#                              |||| /     delay%n"
                        + "#           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION%n"
                        + "#              | |         |   |||||     |         |%n",
                entries, emitted, cpus.nrCpus()).replace("\r", "");
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
