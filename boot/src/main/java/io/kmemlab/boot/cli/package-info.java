/**
 * The {@code kmemlab} command line: picocli commands over the kernel ({@code boot}, {@code run},
 * {@code shell}, {@code layout}) and over the replay ({@code replay}, {@code compare},
 * {@code slob-fit}, {@code bench replay}).
 *
 * <h2>Replay commands</h2>
 *
 * <pre>
 *   Main ── replay ─────┐
 *        ── compare ────┼─ ReplayingCommand ── @Mixin InputOptions   TRACE | --workload, --format,
 *        ── bench replay┘   (factory, clock)                          --page-events, WORDS
 *        ── slob-fit        @Mixin ReportOptions (replay, compare)    --report/--json, --no-timing,
 *                                                                      --emit-trace
 *            │
 *            └─ ReplayRun: open the input, run the Variants from one reading, report;
 *                          every failure is one line and an exit status
 * </pre>
 *
 * A command only says what is its own: {@code replay} which allocators ({@code --slab}),
 * {@code compare} all of them and its charts, {@code bench replay} its rounds, {@code slob-fit} its
 * kmalloc sequence and its table. The input, the boot words, the report format and the way a run
 * fails are the mixins' and {@link io.kmemlab.boot.cli.ReplayRun}'s, so they read the same in every
 * command.
 *
 * <p>A column of a run is a {@link io.kmemlab.boot.cli.Variant}: an allocator and the boot words
 * its machine gets besides the common ones. {@code compare} runs one per allocator, and each gets
 * the common words plus the words its allocator claims (the allocators' providers say which; see
 * {@link io.kmemlab.boot.BootParams#wordsFor}); {@code slob-fit} runs four SLOB machines that differ
 * in {@code slob_fit=} only, and reads each heap through its
 * {@link io.kmemlab.mm.slab.HeapMetric}, so that boot knows SLOB only through the slab SPI.
 *
 * <h2>Conventions</h2>
 *
 * <ul>
 *   <li>Choices are enums ({@link io.kmemlab.boot.cli.InputFormat},
 *       {@link io.kmemlab.boot.cli.ReportFormat}, the workloads) spelt as their {@code toString()};
 *       {@link io.kmemlab.boot.cli.CliEnum} converts them, and picocli lists them in the help
 *       ({@code ${COMPLETION-CANDIDATES}}) and in the error for any other word.
 *   <li>Exit status: 0 done, 1 the input was rejected or a file could not be written (a script
 *       command failed, for {@code run}), 2 a usage error (options, boot words, a machine larger
 *       than the Java heap), 3 a kmemlab bug.
 *   <li>Messages name the command, the thing and the reason, once:
 *       {@code kmemlab compare: cannot write charts to DIR: no such file or directory}; an
 *       {@link java.io.IOException} is described by
 *       {@link io.kmemlab.boot.replay.source.TraceFileSource#describe}, never by its message (which
 *       for the nio exceptions is the path again).
 *   <li>Out of Java heap, a command says how much its machines need
 *       ({@link io.kmemlab.boot.cli.HeapAdvice}: frames × 16 bytes × machines, with headroom).
 * </ul>
 */
package io.kmemlab.boot.cli;
