package io.kmemlab.boot.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code kmemlab bench …}: measurements a user can reproduce from the command line (the JMH
 * benchmarks in {@code boot/src/jmh} are the finer-grained tool). Without a subcommand it prints
 * its usage.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure kmemlab's own speed (steady state, in one JVM).",
        subcommands = {BenchReplayCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine cl = spec.commandLine();
        cl.usage(cl.getOut());
        return Main.EXIT_USAGE;
    }
}
