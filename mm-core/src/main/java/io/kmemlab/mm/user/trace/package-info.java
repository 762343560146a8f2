/**
 * User-space allocation traces: reading them, checking them, replaying them into a {@link
 * io.kmemlab.mm.user.UserAllocator}, and comparing the result with a real allocator's answers.
 *
 * <p>Formats ({@link io.kmemlab.mm.user.trace.MallocTraceFormat}, detected from the first lines):
 *
 * <pre>
 *   rep      CS:APP malloc lab      4 header numbers, then  a ID BYTES | r ID BYTES | f ID
 *   ostep    OSTEP malloc.py -A     +10,-0,+3               (+SIZE allocates ptr[k], -K frees ptr[K])
 *   mtrace   glibc mtrace()         @ prog:[0xcaller] + 0xADDR 0xSIZE | - 0xADDR | &lt; 0xOLD / &gt; 0xNEW 0xSIZE | ! …
 *   kmemlab  kmemlab's recording    # kmemlab malloc trace 1, the rep ops plus c ID N BYTES, m ID ALIGN BYTES, # end N ops
 * </pre>
 *
 * A reader turns its text into operations on ids (the address formats map live addresses to ids)
 * and reports what it cannot read; {@link io.kmemlab.mm.user.trace.MallocTrace.Builder} checks each
 * operation against its id's history (never allocated, live, freed) and keeps only the valid ones,
 * so a trace is read and checked once, and every allocator replays the same operations. Every
 * problem is a {@link io.kmemlab.mm.user.trace.TraceProblem} with its line number, counted; the
 * reading goes on.
 *
 * <p>{@link io.kmemlab.mm.user.trace.MallocReplayer} applies a trace to one allocator in one
 * process; {@link io.kmemlab.mm.user.trace.OpsFormat} prints each allocation as the answer files of
 * {@code shared/malloc-traces} do ({@code a ID OFFSET USABLE}), and {@link
 * io.kmemlab.mm.user.trace.AnswerFile} reads those files and compares them line by line. The
 * package needs no kernel: the malloc module's tests replay through a flat test process, boot's
 * commands through a process of the emulated kernel.
 */
package io.kmemlab.mm.user.trace;
