/**
 * Threads, locks and time: the seam through which kmemlab asks "what does contention cost?".
 *
 * <p>A {@link io.kmemlab.mm.sched.Scheduler} runs {@link io.kmemlab.mm.sched.VThread}s pinned
 * to virtual CPUs. Each thread's {@link io.kmemlab.mm.sched.ThreadBody} performs one operation
 * at a time on an allocator (glibc's, jemalloc's, the buddy allocator, a slab cache…) and the
 * allocator, on its own paths, records into {@link io.kmemlab.mm.sched.Steps} what the operation
 * cost: work, the locks it took and released ({@link io.kmemlab.mm.sched.VLock}), atomics and
 * cache lines it touched. The scheduler plays these steps out in virtual time, one event queue
 * ordered by (time, CPU, sequence), so locks are taken in time order across threads and waiters
 * wait as their {@link io.kmemlab.mm.sched.LockPolicy} says: glibc's futex lock (no spin,
 * barging), jemalloc's spin-then-sleep mutex, xv6's test-and-set spinlock, Linux's queued
 * spinlock. The costs are a {@link io.kmemlab.mm.sched.CostModel}; the counters are the ones the
 * real tools print (lock_stat, jemalloc's mutex profile, xv6's statistics), and a run's summary
 * is a {@link io.kmemlab.mm.sched.ContentionRow}.
 *
 * <p>Invariants: a lock has at most one owner at any virtual instant (a property test checks
 * every interleaving it generates); one thread never contends; the same threads, costs and seed
 * give the same events, counters and text, byte for byte — there is no wall clock, no Java
 * thread and no unseeded randomness here. An allocator that nobody schedules holds {@link
 * io.kmemlab.mm.sched.Steps#OFF} and pays one field read per recorded step.
 */
package io.kmemlab.mm.sched;
