package io.kmemlab.boot.cli;

import io.kmemlab.boot.step.StepOptions;
import io.kmemlab.boot.step.StepView;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * {@code --step [--step-view VIEW] [--step-limit N]} (a picocli mixin): print the state after each
 * operation, as OSTEP's homework answers ({@code -c}) are printed, so that a student can check an
 * answer by hand and a run can be diffed with another.
 */
final class StepMixin {
    @Option(
            names = "--step",
            description = "After each event, print it and the state it changed: the zone's free lists and the buddy"
                    + " split tree around the block, or the slab the object landed in or left (its slots and"
                    + " freelist order). Deterministic text, for diff.")
    boolean step;

    @Option(
            names = "--step-view",
            paramLabel = "VIEW",
            defaultValue = "all",
            description =
                    "What each step shows: buddy, slab, all, or a cache name (only its steps) (default: ${DEFAULT-VALUE}).")
    String view;

    @Option(
            names = "--step-limit",
            paramLabel = "N",
            defaultValue = "" + StepOptions.DEFAULT_MAX_STEPS,
            description = "Steps printed before stepping stops; the run goes on (default: ${DEFAULT-VALUE}).")
    long limit;

    /** The options, or null without {@code --step}; a bad limit is a usage error. */
    StepOptions options(CommandLine cl) {
        if (!step) {
            return null;
        }
        if (limit < 1) {
            throw new CommandLine.ParameterException(cl, "--step-limit must be ≥ 1");
        }
        return StepOptions.of(StepView.parse(view), limit);
    }
}
