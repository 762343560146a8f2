package io.kmemlab.mm.user;

import io.kmemlab.mm.sched.Scheduler;

/**
 * The threads face of a {@link UserAllocator}: several threads of one process share it under a
 * {@link Scheduler}, which plays out in virtual time the locks, atomics and work each operation
 * records (boot's {@code kmemlab contention} uses it without compiling against the allocator:
 * {@code if (allocator instanceof ThreadedAllocator t) t.attach(scheduler)}). Operations still run
 * one at a time; the allocator keeps each thread's own state (tcache, arena binding) and records
 * what the real library would lock on that thread's path.
 */
public interface ThreadedAllocator {
    /**
     * Creates the allocator's locks in {@code scheduler} and records every later operation into
     * its {@link Scheduler#steps() steps}. Called once, before the first scheduled operation.
     */
    void attach(Scheduler scheduler);

    /**
     * Makes thread {@code tid} the caller of the following operations (0 is the main thread, which
     * exists from the start; a new id is a new thread, as pthread_create makes one).
     */
    void asThread(int tid);

    /**
     * The calling thread exits: what the library does at thread exit (glibc flushes the tcache and
     * frees its arena for the next new thread; jemalloc flushes the tcache). The id may then name a
     * new thread.
     */
    void threadExit();

    /**
     * The allocator's own lock statistics in its own format, as of now (jemalloc's mutex tables of
     * malloc_stats_print; {@code uptimeNs} is the run's virtual time for the rate columns); empty
     * when the real library prints none (glibc).
     */
    default String lockStats(long uptimeNs) {
        return "";
    }
}
