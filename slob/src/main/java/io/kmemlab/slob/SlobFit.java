package io.kmemlab.slob;

import java.util.Locale;

/**
 * Which free block {@code slob_alloc} takes (boot word {@code slob_fit=}). Only {@link #FIRST} is
 * the kernel's behaviour; the others are a kmemlab extension for teaching the classic free-list
 * policies on the same heap. Every policy keeps the rest of SLOB unchanged: the same three lists,
 * the same pre-check of a page's free units, the same alignment split, the rotation of the list to
 * the page the block came from and a fresh page at the list head when no block fits.
 *
 * <p>The candidates are the free blocks of the pages on the chosen list, in scan order: the pages
 * from the list head, each page's blocks in address order.
 */
public enum SlobFit {
    /** The first block that fits, in scan order (Linux: first fit in a page, next fit over pages). */
    FIRST,
    /**
     * Like FIRST, but the scan resumes in the head page right after the block last allocated from
     * this list (K&amp;R's rover), wrapping round to the blocks before it at the end.
     */
    NEXT,
    /** The block that leaves the smallest remainder; ties go to the first in scan order. */
    BEST,
    /** The block that leaves the largest remainder; ties go to the first in scan order. */
    WORST;

    /** The boot-word spelling: first, next, best, worst. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a {@code slob_fit=} value; null if it names no policy. */
    public static SlobFit parse(String word) {
        for (SlobFit f : values()) {
            if (f.word().equals(word)) {
                return f;
            }
        }
        return null;
    }
}
