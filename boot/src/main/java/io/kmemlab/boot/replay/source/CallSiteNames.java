package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.trace.Symbols;
import java.util.Arrays;

/**
 * The call-site slots of the reader's kallsyms (each {@link Symbols.Slot}: a function's name and
 * size), as the reading thread captured them: a replaying machine takes these slots into its own
 * kallsyms instead of reading the reader's growing table across threads.
 */
public final class CallSiteNames {
    private Symbols.Slot[] slots = new Symbols.Slot[256];

    public void define(int id, Symbols.Slot slot) {
        if (id >= slots.length) {
            slots = Arrays.copyOf(slots, Math.max(id + 1, slots.length * 2));
        }
        slots[id] = slot;
    }

    /** The reader's slot {@code id}, or null if the reader never defined it. */
    public Symbols.Slot slot(int id) {
        return id >= 0 && id < slots.length ? slots[id] : null;
    }
}
