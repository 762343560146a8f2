package io.kmemlab.boot.replay.report;

import io.kmemlab.boot.replay.ReplayTarget;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.FrameMap;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabCache;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The peak probe of {@code kmemlab report} ({@link io.kmemlab.boot.replay.Replayer#withPeakProbe}):
 * at each new peak of a machine's slab memory it copies that machine's frame state (two array
 * copies into the same snapshot each time) and the owning cache of every slab then, so that the
 * last copy is the state at the peak; it is classified ({@link FrameMap}) and encoded once, when
 * asked for. Engines run on threads of their own; each machine has its own entry,
 * written only from its engine's thread.
 */
public final class MemoryMapProbe implements Consumer<ReplayTarget> {
    private final Map<Machine, Entry> entries = new ConcurrentHashMap<>();

    private static final class Entry {
        /** The frames' state at the last peak. */
        PageFrames frames;
        /** Per PFN of a slab head at the last capture, its cache (null: none named). */
        SlabCache[] owners;
    }

    @Override
    public void accept(ReplayTarget t) {
        PageFrames live = t.machine().frames();
        Entry e = entries.computeIfAbsent(t.machine(), m -> new Entry());
        if (e.frames == null) {
            e.frames = new PageFrames(live.nrFrames());
            e.owners = new SlabCache[live.nrFrames()];
        }
        live.copyStateTo(e.frames);
        SlabAllocator a = t.slab().allocator();
        for (int pfn = 0; pfn < live.nrFrames(); pfn++) {
            if (live.test(pfn, PageFrames.PG_SLAB)) {
                e.owners[pfn] = a.ownerOf(Addr.pfnToVirt(pfn));
            }
        }
    }

    /** The map at the machine's peak of slab memory, or null if it never grew. */
    public MemoryMap peak(Machine machine) {
        Entry e = entries.get(machine);
        if (e == null) {
            return null;
        }
        SlabCache[] owners = e.owners;
        return MemoryMap.of(
                FrameMap.capture(e.frames, null),
                h -> owners[h] == null ? "" : owners[h].descriptor().name());
    }

    /** The map of {@code t}'s machine now (at the end of its replay). */
    public static MemoryMap now(ReplayTarget t) {
        return MemoryMap.of(
                FrameMap.capture(t.machine().frames(), null), t.slab().allocator());
    }
}
