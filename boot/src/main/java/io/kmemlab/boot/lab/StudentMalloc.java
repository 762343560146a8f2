package io.kmemlab.boot.lab;

import io.kmemlab.mm.user.UserSpace;
import java.util.List;

/**
 * The malloc lab's student interface, the shape of CS:APP's {@code mm.c}: {@code mm_init},
 * {@code mm_malloc}, {@code mm_free}, {@code mm_realloc} and the optional heap checker. A student
 * class implements it with a public no-argument constructor; {@code kmemlab lab check} and
 * {@code lab score} run it inside one emulated process, whose memory it reaches only through the
 * {@link UserSpace} {@link #init} hands it (brk for {@code mem_sbrk}, loads and stores for the
 * heap's headers).
 */
public interface StudentMalloc {

    /** mm_init: called once, before any other method; false if the heap could not be set up. */
    boolean init(UserSpace mem);

    /** A 16-aligned block of at least {@code size} bytes inside the heap, or 0 if none can be had. */
    long malloc(long size);

    /** Returns a block malloc or realloc handed out; free(0) does nothing. */
    void free(long ptr);

    /**
     * A block of at least {@code size} bytes holding the first {@code min(old size, size)} bytes of
     * {@code ptr}; realloc(0, n) is malloc(n), realloc(p, 0) is free(p) and returns 0.
     */
    long realloc(long ptr, long size);

    /** mm_check: the heap's own consistency problems, one line each (none by default). */
    default List<String> check() {
        return List.of();
    }
}
