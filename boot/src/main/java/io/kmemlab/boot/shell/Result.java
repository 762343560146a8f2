package io.kmemlab.boot.shell;

/**
 * What a command returns. The shell prints it: an address as {@code 0x…} (or binds it with
 * {@code $name =}), a number alone on a line in decimal, text as is; an error fails the command.
 */
public sealed interface Result {
    /** Nothing to print. */
    record None() implements Result {}

    /** A direct-map virtual address; bindable. */
    record Address(long addr) implements Result {}

    /** A number printed alone on a line in decimal. */
    record Number(long value) implements Result {}

    /** Output printed as is (a trailing newline is added if missing). */
    record Text(String text) implements Result {}

    /** The command failed: the shell prints {@code kmemlab: line N: NAME: message}. */
    record Error(String message) implements Result {}

    Result NONE = new None();

    static Result address(long addr) {
        return new Address(addr);
    }

    static Result number(long value) {
        return new Number(value);
    }

    static Result text(String text) {
        return new Text(text);
    }

    static Result error(String message) {
        return new Error(message);
    }
}
