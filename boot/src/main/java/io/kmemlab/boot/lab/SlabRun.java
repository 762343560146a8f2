package io.kmemlab.boot.lab;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.lab.MallocRun.Failure;
import io.kmemlab.boot.lab.SlabTrace.Op;
import io.kmemlab.mm.PhysMem;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * One slab trace run against one slab allocator on a freshly booted kernel, checked op by op
 * against an independent model of the live objects: every object is non-NULL, aligned to the
 * cache's alignment (8 at least), inside a block of pages the allocator holds, of one cache per
 * block, sharing no byte with a live object; its bytes (painted with a pattern of its own) are
 * whole when it is freed; a free of anything but a live object of that cache is refused; destroy
 * gives back every block that held the cache's objects, and when the trace ends the allocator
 * holds no page at all. The calls run on a worker thread ({@link StudentCall}); the allocator
 * reaches memory only through {@link GuardedSlabPages}.
 */
public final class SlabRun {
    static final int MIN_ALIGN = 8;

    /** What one trace did: its figures, or its first failure. */
    public record Result(
            SlabTrace trace,
            Failure failure,
            long peakLiveBytes,
            long peakPages,
            int colours,
            long accesses,
            List<String> notes) {
        public boolean ok() {
            return failure == null;
        }

        /** Peak bytes live over the peak bytes of pages held. */
        double util() {
            return peakPages == 0 ? 0 : (double) peakLiveBytes / (peakPages * SlabPages.PAGE_SIZE);
        }

        long nanos() {
            return accesses * GuardedSpace.ACCESS_NANOS;
        }
    }

    private record Obj(int id, int cache, long addr, int size) {}

    private record Cache(int handle, int size, int align) {}

    private final SlabTrace trace;
    private final PhysMem mem;
    private final TreeMap<Long, Long> liveSizes = new TreeMap<>();
    private final Map<Long, Obj> live = new HashMap<>();
    private final Map<Integer, Obj> byId = new HashMap<>();
    private final Map<Integer, Long> freed = new HashMap<>();
    private final Map<Integer, Cache> caches = new HashMap<>();
    /** Block start → the trace's cache whose objects it held. */
    private final Map<Long, Integer> owner = new HashMap<>();
    /** (cache, block start) → lowest object offset seen in the block: the slab's colour. */
    private final Map<Integer, Map<Long, Long>> firstOffsets = new HashMap<>();

    private final GuardedSlabPages guard;
    private SlabFootprint footprint;
    private long liveBytes;
    private long peakLive;
    private long peakPages;
    private final byte[] buf = new byte[MallocRun.FULL_CHECK];
    private volatile int current = -1;

    private SlabRun(Kernel k, SlabTrace trace, long accessBudget) {
        this.trace = trace;
        this.mem = k.machine().mem();
        this.guard = new GuardedSlabPages(k.machine().pageAllocator(), mem, liveSizes, accessBudget);
        this.footprint = guard;
    }

    /**
     * Runs {@code trace} on a fresh allocator from {@code factory} (given the kernel, which the
     * reference needs) on kernel {@code k}.
     */
    static Result run(
            Function<Kernel, StudentSlab> factory, Kernel k, SlabTrace trace, long accessBudget, long timeoutMillis) {
        SlabRun run = new SlabRun(k, trace, accessBudget);
        Failure[] outcome = new Failure[1];
        AtomicReference<List<String>> notes = new AtomicReference<>(List.of());
        boolean timedOut = StudentCall.run("lab-" + trace.name(), timeoutMillis, () -> {
            try {
                outcome[0] = run.drive(factory.apply(k), notes);
            } catch (GuardedSpace.Violation v) {
                outcome[0] = run.failure(
                        "stopped",
                        v.getMessage(),
                        "only loads and stores in its own pages outside live objects, calls that return");
            } catch (Throwable t) { // the student's code may throw anything, errors included
                outcome[0] = run.failure("threw", "threw " + MallocRun.describe(t), "a return value");
            }
        });
        Failure f = outcome[0];
        if (timedOut && (f == null || !f.kind().equals("stopped"))) {
            f = run.failure(
                    "timeout", "did not return within " + timeoutMillis + " ms (an endless loop?)", "a return value");
        }
        int colours = 0;
        for (Map<Long, Long> m : run.firstOffsets.values()) {
            colours = Math.max(colours, new HashSet<>(m.values()).size());
        }
        return new Result(trace, f, run.peakLive, run.peakPages, colours, run.guard.totalAccesses(), notes.get());
    }

    private Failure drive(StudentSlab s, AtomicReference<List<String>> notes) {
        if (s instanceof SlabFootprint own) {
            footprint = own;
        }
        guard.newCall();
        if (!s.init(guard)) {
            return failure("init", "init() returned false", "true");
        }
        List<Op> ops = trace.ops();
        for (int i = 0; i < ops.size(); i++) {
            current = i;
            Op op = ops.get(i);
            Failure f = switch (op.kind()) {
                case CREATE -> create(s, op);
                case ALLOC -> alloc(s, op);
                case FREE -> free(s, op);
                case DESTROY -> destroy(s, op);
            };
            if (f != null) {
                return f;
            }
            peakPages = Math.max(peakPages, footprint.pages());
        }
        current = ops.size();
        if (caches.isEmpty() && footprint.pages() != 0) {
            return failure(
                    "leak",
                    "every cache is destroyed, but the allocator still holds " + footprint.pages() + " pages",
                    "every page given back");
        }
        guard.newCall();
        List<String> problems = s.check();
        if (problems != null && !problems.isEmpty()) {
            notes.set(List.copyOf(problems));
        }
        return null;
    }

    private Failure create(StudentSlab s, Op op) {
        guard.newCall();
        int h = s.create("lab" + op.cache(), op.size(), op.align());
        if (h < 0) {
            return failure("create", op.call() + " returned " + h, "a cache handle of 0 or more");
        }
        caches.put(op.cache(), new Cache(h, op.size(), op.align()));
        return null;
    }

    private Failure alloc(StudentSlab s, Op op) {
        Cache c = caches.get(op.cache());
        if (c == null || byId.containsKey(op.id())) {
            return null; // the trace's own mistake: no such cache, or the id is live
        }
        guard.newCall();
        long addr = s.alloc(c.handle());
        String got = op.call() + " returned 0x" + Long.toHexString(addr);
        if (addr == 0) {
            return failure("null", op.call() + " returned NULL", "an object (there are free pages to be had)");
        }
        long align = Math.max(MIN_ALIGN, c.align());
        if (addr % align != 0) {
            return failure(
                    "align", got + ", which is not " + align + "-aligned", "an address that is a multiple of " + align);
        }
        long[] block = footprint.blockOf(addr);
        if (block == null || addr + c.size() > block[1]) {
            return failure(
                    "outside",
                    got + ", but 0x" + Long.toHexString(addr) + "+" + c.size() + " is not inside a block of pages"
                            + " the allocator holds",
                    "an object inside the allocator's own slab pages");
        }
        Map.Entry<Long, Long> below = liveSizes.lowerEntry(addr + c.size());
        if (below != null && below.getKey() + below.getValue() > addr) {
            Obj o = live.get(below.getKey());
            return failure(
                    "overlap",
                    got + ", which overlaps $o" + o.id() + " at 0x" + Long.toHexString(o.addr()) + " (" + o.size()
                            + " bytes of lab" + o.cache() + ", still allocated)",
                    "an object no live object shares a byte with");
        }
        Integer was = owner.putIfAbsent(block[0], op.cache());
        if (was != null && was != op.cache()) {
            return failure(
                    "shared",
                    got + ", on the pages at 0x" + Long.toHexString(block[0]) + " which hold objects of lab" + was,
                    "each slab's pages holding objects of one cache");
        }
        firstOffsets.computeIfAbsent(op.cache(), x -> new HashMap<>()).merge(block[0], addr - block[0], Math::min);
        Obj o = new Obj(op.id(), op.cache(), addr, c.size());
        live.put(addr, o);
        liveSizes.put(addr, (long) c.size());
        byId.put(op.id(), o);
        freed.remove(op.id());
        liveBytes += c.size();
        peakLive = Math.max(peakLive, liveBytes);
        paint(o);
        return null;
    }

    private Failure free(StudentSlab s, Op op) {
        Cache c = caches.get(op.cache());
        if (c == null) {
            return null;
        }
        Obj o = byId.get(op.id());
        Long was = freed.get(op.id());
        if (o == null && was == null) {
            return null; // never allocated
        }
        long addr = (o != null ? o.addr() : was) + op.offset();
        Obj at = live.get(addr);
        boolean valid = at != null && at.cache() == op.cache();
        guard.newCall();
        if (valid) {
            Failure f = intact(at, op);
            if (f != null) {
                return f;
            }
            live.remove(addr);
            liveSizes.remove(addr);
            byId.remove(at.id());
            freed.put(at.id(), addr);
            liveBytes -= at.size();
            if (!s.free(c.handle(), addr)) {
                return failure(
                        "refused",
                        op.call() + " returned false",
                        "true: $o" + at.id() + " is a live object of lab" + op.cache());
            }
            return null;
        }
        if (s.free(c.handle(), addr)) {
            String why = at != null
                    ? "$o" + at.id() + " belongs to lab" + at.cache()
                    : op.offset() != 0 && o != null
                            ? "0x" + Long.toHexString(addr) + " is inside $o" + o.id() + ", not its start"
                            : "$o" + op.id() + " was already freed: a double free";
            return failure("accepted", op.call() + " returned true, but " + why, "false, and nothing changed");
        }
        return null;
    }

    private Failure destroy(StudentSlab s, Op op) {
        Cache c = caches.remove(op.cache());
        if (c == null) {
            return null;
        }
        guard.newCall();
        s.destroy(c.handle());
        if (footprint == guard) {
            Set<Long> stillHeld = guard.held().keySet();
            for (Map.Entry<Long, Integer> e : owner.entrySet()) {
                if (e.getValue() == op.cache() && stillHeld.contains(e.getKey())) {
                    return failure(
                            "leak",
                            op.call() + " kept the pages at 0x" + Long.toHexString(e.getKey()) + " (order "
                                    + guard.held().get(e.getKey()) + "), which held its objects",
                            "every page of the cache given back");
                }
            }
        }
        owner.values().removeIf(v -> v == op.cache());
        return null;
    }

    private static int patternByte(int id, long offset) {
        return (int) (((id + 1) * 31 + offset * 7) & 0xff);
    }

    private void paint(Obj o) {
        int n = Math.min(o.size(), buf.length);
        for (int i = 0; i < n; i++) {
            buf[i] = (byte) patternByte(o.id(), i);
        }
        mem.write(o.addr(), buf, 0, n);
    }

    private Failure intact(Obj o, Op op) {
        int n = Math.min(o.size(), buf.length);
        mem.read(o.addr(), buf, 0, n);
        for (int i = 0; i < n; i++) {
            int want = patternByte(o.id(), i);
            if ((buf[i] & 0xff) != want) {
                return failure(
                        "clobbered",
                        String.format(
                                "before %s, byte +%d of $o%d (0x%x, %d bytes) is 0x%02x: the allocator wrote into"
                                        + " an object it had handed out",
                                op.call(), i, o.id(), o.addr(), o.size(), buf[i] & 0xff),
                        String.format("0x%02x, the byte the caller stored there", want));
            }
        }
        return null;
    }

    private Failure failure(String kind, String problem, String expected) {
        int i = current;
        String op = i < 0
                ? "init()"
                : i >= trace.ops().size() ? "end of trace" : trace.ops().get(i).call();
        String state = live.size() + " live objects (" + liveBytes + " bytes) in " + caches.size()
                + " caches; the allocator holds " + footprint.pages() + " pages";
        return new Failure(i, op, kind, problem, expected, state);
    }
}
