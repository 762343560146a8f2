package io.kmemlab.mm.sched;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The virtual cost, in nanoseconds, of what a lock or a shared cache line costs on a real machine
 * (the reference's §3.2; where each default comes from is in docs/contention.md).
 *
 * @param hit a load or store that hits the CPU's own cache (amortised L1/L2)
 * @param atomic an uncontended locked read-modify-write on a line the CPU already owns
 * @param xfer a cache line moving from another CPU's cache (core to core, same socket)
 * @param pause one PAUSE poll of a spinning waiter
 * @param tas one test-and-set poll of an xv6 spinlock (an atomic swap that steals the line)
 * @param syscall entering and leaving the kernel for a futex wait or wake
 * @param wakeup from a futex wake until the woken thread runs (idle exit plus the scheduler)
 * @param handoff a queued lock handing itself to the head waiter
 * @param contextSwitch switching a CPU from one thread to another
 * @param quantum the scheduler's time slice when threads share a CPU
 */
public record CostModel(
        long hit,
        long atomic,
        long xfer,
        long pause,
        long tas,
        long syscall,
        long wakeup,
        long handoff,
        long contextSwitch,
        long quantum) {

    /** The reference's starting values (typical orders of magnitude; calibrated in docs/contention.md). */
    public static final CostModel DEFAULT = new CostModel(1, 10, 70, 30, 80, 300, 5_000, 70, 2_000, 1_000_000);

    public CostModel {
        long[] all = {hit, atomic, xfer, pause, tas, syscall, wakeup, handoff, contextSwitch, quantum};
        for (long v : all) {
            if (v < 0) {
                throw new IllegalArgumentException("a cost cannot be negative: " + v);
            }
        }
        if (pause == 0 || tas == 0 || quantum == 0) {
            throw new IllegalArgumentException("pause, tas and quantum must be positive");
        }
    }

    /** Every parameter by its name, in declaration order. */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("hit", hit);
        m.put("atomic", atomic);
        m.put("xfer", xfer);
        m.put("pause", pause);
        m.put("tas", tas);
        m.put("syscall", syscall);
        m.put("wakeup", wakeup);
        m.put("handoff", handoff);
        m.put("switch", contextSwitch);
        m.put("quantum", quantum);
        return m;
    }

    /**
     * This model with {@code name=value[,name=value…]} overrides (names as {@link #asMap}).
     *
     * @throws IllegalArgumentException naming the first unknown name or bad value
     */
    public CostModel with(String overrides) {
        Map<String, Long> m = asMap();
        if (overrides != null && !overrides.isBlank()) {
            for (String part : overrides.split(",")) {
                int eq = part.indexOf('=');
                String name = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                if (eq < 0 || !m.containsKey(name)) {
                    throw new IllegalArgumentException(
                            "unknown cost '" + part.trim() + "' (names: " + String.join(", ", m.keySet()) + ")");
                }
                try {
                    m.put(name, Long.parseLong(part.substring(eq + 1).trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("cost " + name + " is not a number: " + part.substring(eq + 1));
                }
            }
        }
        return new CostModel(
                m.get("hit"),
                m.get("atomic"),
                m.get("xfer"),
                m.get("pause"),
                m.get("tas"),
                m.get("syscall"),
                m.get("wakeup"),
                m.get("handoff"),
                m.get("switch"),
                m.get("quantum"));
    }

    /** {@code hit=1 atomic=10 …}: one line for a report's header. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        asMap().forEach((k, v) ->
                sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(v));
        return sb.toString();
    }
}
