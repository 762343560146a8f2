package io.kmemlab.boot.replay.source;

import java.util.Arrays;

/**
 * The %pS text ({@code name+0x0/0xsize}, or {@code 0x…} if the reader never defined it) of each
 * call-site slot of the reader's kallsyms, as the reading thread captured it: the replaying thread
 * re-interns call sites from this table instead of reading the reader's growing kallsyms.
 */
public final class CallSiteNames {
    /** Slots beyond this are not re-interned (the address is kept as it is). */
    public static final int MAX_SLOTS = 1 << 20;

    private String[] texts = new String[256];

    public void define(int id, String text) {
        if (id >= texts.length) {
            texts = Arrays.copyOf(texts, Math.max(id + 1, texts.length * 2));
        }
        texts[id] = text;
    }

    /** The slot's text, or null if the reader never named it. */
    public String text(int id) {
        return id < texts.length ? texts[id] : null;
    }
}
