package io.kmemlab.boot.shell;

/**
 * A user mistake found while reading a command's arguments (a bad number, an unknown variable).
 * Thrown by the {@link Invocation} helpers and always caught by {@link Shell}, which prints it as
 * the command's error; it never escapes the shell.
 */
public final class CommandError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandError(String message) {
        super(message, null, false, false);
    }
}
