/**
 * The machine model every layer stands on: one {@link io.kmemlab.mm.Machine} per emulated
 * computer, holding what the kernel keeps in globals.
 *
 * <pre>
 *   Machine ── PhysMem      bytes of the frames, lazily backed (untouched frames read as zeros)
 *           ├─ PageFrames   struct page as int arrays indexed by PFN (16 bytes per frame)
 *           ├─ Cpus         emulated CPU ids and the task running on each
 *           ├─ VirtualClock nanoseconds of emulated time (never the wall clock) and its jiffies
 *           │               (one CONFIG_HZ, 250, for every allocator)
 *           ├─ Rcu          call_rcu / rcu_barrier / synchronize_rcu, grace periods in jiffies:
 *           │               the one RCU every allocator and the slab layer queue on
 *           ├─ random()     the seeded randomness
 *           ├─ Dmesg        the kernel log and the counters of kernel-style reports
 *           ├─ VirtualFs    /proc, /sys/kernel/slab, tracefs, debugfs files
 *           ├─ Tracer       the kmem tracepoints (io.kmemlab.mm.trace)
 *           └─ pageAllocator, attached at boot (io.kmemlab.mm.page)
 * </pre>
 *
 * <p>Invariants: {@link io.kmemlab.mm.Addr} is the only place that converts between PFNs,
 * physical and direct-map virtual addresses; a frame is on at most one
 * {@link io.kmemlab.mm.PfnList} at a time; nothing here reads the wall clock or unseeded
 * randomness, so the same inputs and seed give the same output byte for byte. Every operation
 * names the emulated CPU it runs on; where the kernel takes a lock the model has a
 * {@link io.kmemlab.mm.SpinLock} (a plain lock word: a machine runs on one Java thread at a
 * time, and threads of the model are scheduled in virtual time).
 */
package io.kmemlab.mm;
