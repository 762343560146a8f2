/**
 * The kernel side of {@code kmemlab contention}: CPUs of an emulated machine allocating at once,
 * their spinlocks played out in virtual time, and the counters the kernel and xv6 print.
 *
 * <p>How a run goes. {@link io.kmemlab.boot.contention.kernel.KernelMachine} boots a machine as
 * {@code kmemlab boot} does ({@code slab=slub|slab|slob nr_cpus=N}) and attaches its {@link
 * io.kmemlab.mm.KernelLocks} to a {@link io.kmemlab.mm.sched.Scheduler}: every zone->lock,
 * pcp->lock, n->list_lock and slob_lock gets a queued virtual lock of its lockdep class. A thread
 * per CPU then runs the workload's operations; each sets the CPU's current task and calls the
 * allocator on that CPU, as the kernel's per-CPU code runs on the CPU it is called on, so per-CPU
 * lists, CPU slabs and array caches are exercised as they would be. The allocator's state
 * changes in the call; the locks it took, their call sites and the work of their critical
 * sections are recorded and the scheduler makes waiters wait in virtual time. Afterwards the
 * locks are detached (the machine is a plain single-threaded machine again) and {@code
 * /proc/lock_stat} shows the run.
 *
 * <p>Workloads: {@code pages} (bursts of order-0 pages, buddy with and without per-CPU lists),
 * {@code slab} (kmalloc/kfree bursts under SLUB, SLAB and SLOB), {@code netrx} (allocate on one
 * CPU, free on another) and {@code kalloctest} (xv6's lock lab on {@link
 * io.kmemlab.boot.contention.kernel.Xv6Kalloc}, printing xv6's own statistics). The costs are in
 * {@link io.kmemlab.boot.contention.kernel.KernelCosts} and docs/contention.md.
 *
 * <p>Invariants, checked after every run: the scheduler finished (no deadlock, no lock misused),
 * the page allocator's and the slab allocator's validate() find nothing, xv6's pages are each on
 * one list or allocated. One CPU never contends; the same seed gives the same rows and text.
 *
 * <p>Simplifications: an operation's effect happens when it starts (the scheduler's rule), so
 * the allocators never see two operations interleaved; a trylock (pcp_spin_trylock) is recorded
 * as a lock; SLUB's lockless fast paths are one local cmpxchg each and its remote frees a cmpxchg
 * on the slab's line; the 7.x SLUB paths (sheaves, refill_objects) take no list_lock here.
 */
package io.kmemlab.boot.contention.kernel;
