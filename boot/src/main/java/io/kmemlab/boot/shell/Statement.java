package io.kmemlab.boot.shell;

import java.util.List;

/**
 * One command of a script: {@code [$bind =] name arg…}, with the script line it came from.
 *
 * @param line 1-based script line
 * @param bind the variable name to bind the returned address to (without '$'), or null
 * @param words the command name followed by its arguments, quotes removed
 */
public record Statement(int line, String bind, List<String> words) {
    public Statement {
        words = List.copyOf(words);
    }

    public String name() {
        return words.get(0);
    }

    /** Arguments after the command name. */
    public List<String> args() {
        return words.subList(1, words.size());
    }
}
