package io.kmemlab.mm.user;

import java.io.PrintStream;
import java.util.List;

/**
 * A teaching tool of the allocator ladder that runs with its own command-line syntax, found by
 * ServiceLoader from {@code META-INF/services/io.kmemlab.mm.user.UserHeapLab} (module malloc
 * provides OSTEP's {@code vm-freespace/malloc.py} as {@code ostep}), so that {@code kmemlab malloc
 * NAME ARGS…} runs it without boot compiling against the allocators.
 */
public interface UserHeapLab {

    /** The sub-command name, e.g. "ostep". */
    String name();

    /** One line for {@code --help}. */
    String description();

    /**
     * Runs the tool with the arguments its original takes ({@code -n 10 -H 0 -p BEST -s 0 -c}).
     *
     * @return the exit status: 0, or 2 for a usage error (reported on {@code err}, as optparse does)
     */
    int run(List<String> args, PrintStream out, PrintStream err);
}
