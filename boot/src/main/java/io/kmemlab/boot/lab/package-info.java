/**
 * The lab kit: student allocators plugged into the emulated machine, checked and scored.
 *
 * <p>{@code kmemlab lab new malloc DIR} writes a starter ({@code Mm.java}, the naive allocator of
 * the CS:APP malloc lab, implementing {@link io.kmemlab.boot.lab.StudentMalloc}, and a README).
 * {@code lab check DIR} compiles the student's sources with the JDK's compiler API (or loads a jar,
 * {@link io.kmemlab.boot.lab.StudentLoader}) and runs the class over traces ({@link
 * io.kmemlab.boot.lab.LabTrace}, CS:APP {@code .rep}), each in a fresh process of a freshly booted
 * kernel, so the heap comes from brk with demand faults into the buddy allocator.
 *
 * <p>How a run is checked ({@link io.kmemlab.boot.lab.MallocRun}): the student sees the process
 * through a {@link io.kmemlab.boot.lab.GuardedSpace}, which stops any load or store outside the
 * heap or the allocator's own mappings, any call over its budget of memory accesses, and any call
 * still running when the trace's time limit runs out; the calls run on a worker thread, so a
 * thrown exception, an error or a loop ends that trace only. Beside it an independent occupancy
 * model — the same promises kmemlab's own allocators are held to in module malloc's contract
 * suite, written again here because test code is not on boot's class path — checks every block:
 * non-NULL, 16-aligned, inside the heap, sharing no byte with a live block, its bytes (painted with
 * a pattern per block) whole until it is freed, realloc carrying the first min(old, new) bytes.
 *
 * <p>Invariants: a run never lets a student's throwable escape; the first failure ends the trace
 * and is reported with the operation, what came back, what was expected and the state; the repro
 * trace ({@link io.kmemlab.boot.lab.MallocLab}) is the shortest candidate that fails the same way.
 *
 * <p>Scoring follows the CS:APP driver (mdriver): per trace utilisation is the peak of the live
 * requested bytes over the peak heap, throughput is operations over the seconds spent in the
 * allocator's calls — here virtual seconds of the process (its system calls, faults, and
 * {@link io.kmemlab.boot.lab.GuardedSpace#ACCESS_NANOS} per load or store) — and the index is
 * {@code 60 × util + 40 × min(1, thru / reference thru)}, the reference being kmemlab's first fit
 * on the same traces.
 *
 * <p>The page-allocator level ({@link io.kmemlab.boot.lab.StudentPages}, ucore's pmm_manager; {@link
 * io.kmemlab.boot.lab.PageRun}) and the slab level ({@link io.kmemlab.boot.lab.StudentSlab}, the
 * kmem_cache API; {@link io.kmemlab.boot.lab.SlabRun}) follow the same plan: the student reaches
 * memory only through a guard ({@link io.kmemlab.boot.lab.GuardedPages}, {@link
 * io.kmemlab.boot.lab.GuardedSlabPages}) that knows the check's model, the model is independent
 * of the allocator's layout, and kmemlab's own allocator passes the same check behind an adapter
 * ({@link io.kmemlab.boot.lab.ReferencePages} over module buddy, {@link
 * io.kmemlab.boot.lab.ReferenceSlab} over the booted kernel's slab layer). Their traces are
 * scripts in kmemlab's own language, so a repro also runs on kmemlab's allocator in {@code run} and
 * {@code shell}. {@link io.kmemlab.boot.lab.LabStudent} tells the level from the interface; {@link
 * io.kmemlab.boot.lab.BytecodeScan} refuses a class that calls System.exit, Runtime or reflection.
 *
 * <p>Invariants of the two model levels: a block or object is recorded as live only after the
 * call that returned it passed every check; a refused free changes neither the model nor (by the
 * contract) the allocator; a student's access to memory its caller owns is a stop, never a
 * silent write.
 *
 * <p>Simplifications: a loop that touches no memory can only be abandoned (a daemon thread), not
 * stopped; the heap figure counts brk and the allocator's own mappings; the reference adapters
 * keep their own state outside the guarded memory, so their accesses are not counted (their secs
 * show "-"); a page allocator's rounding slack is inferred from its own nr_free_pages(); the
 * bytecode scan cannot see a call reached by other means than the refused methods (a JNI library,
 * say).
 *
 * <p>The lock lab's level ({@link io.kmemlab.boot.lab.StudentKalloc}, xv6's kalloc.c; {@link
 * io.kmemlab.boot.lab.KallocLab}) is checked by running, not by a trace: the student's kalloc is
 * kalloctest's (the contention workload's test1, in virtual time), its locks are the scheduler's
 * spinlocks made through the {@link io.kmemlab.boot.lab.Kmem} facade and named {@code kmem…}, and
 * an occupancy model (which child holds which page) stops the run at the first page handed out
 * twice, or at a kalloc or kfree that took no lock; countfree after the run finds lost pages. Its
 * verdict is xv6's own: {@code tot < 10}. Simplification: the student's Java state changes at an
 * operation's start (the scheduler's rule), so a list touched without its own lock (but under
 * another) cannot be seen — only that every call locks, and the pages handed out, are checked.
 */
package io.kmemlab.boot.lab;
