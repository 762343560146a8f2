package io.kmemlab.boot.shell;

/**
 * One shell command. Register with {@link Shell#register}; the shell parses the line, resolves
 * nothing itself, and hands the words to {@link #run}. Argument helpers on {@link Invocation}
 * ({@code address(i)}, {@code number(i)}, {@code gfp(i)}, …) turn bad input into a clean command
 * error, so a command never has to catch anything.
 */
public interface ShellCommand {
    /** The command word, e.g. {@code kmalloc}. */
    String name();

    /** Synopsis for help, e.g. {@code kmalloc SIZE [GFP]}. */
    String usage();

    /** One line for help. */
    String summary();

    /** Runs the command. */
    Result run(Invocation inv);

    /** A command from lambdas. */
    static ShellCommand of(
            String name, String usage, String summary, java.util.function.Function<Invocation, Result> body) {
        return new ShellCommand() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String usage() {
                return usage;
            }

            @Override
            public String summary() {
                return summary;
            }

            @Override
            public Result run(Invocation inv) {
                return body.apply(inv);
            }
        };
    }
}
