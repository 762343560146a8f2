package io.kmemlab.boot.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The kmemlab script language's syntax: newlines and {@code ;} separate commands; {@code #} at the
 * start of a word comments out the rest of the line; words are separated by blanks, and single or
 * double quotes group a word (the quotes are removed); {@code $name = COMMAND …} (or
 * {@code $name=COMMAND …}) binds the address a command returns.
 *
 * <p>Parsing is separate from running so that a script with a syntax error fails before any
 * command runs, naming the line. The parser goes on after a bad line, so that every syntax error is
 * reported at once and {@code run --keep-going} can run the lines around them: a line with an error
 * contributes no statement at all (not even those before its bad {@code ;}-separated part).
 */
public final class ScriptParser {
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A syntax error: the 1-based script line and what is wrong with it. */
    public record SyntaxError(int line, String message) {
        /** The one-line report, as {@code run} and the shell print it. */
        public String report() {
            return "kmemlab: line " + line + ": syntax error: " + message;
        }
    }

    /** A parse result: the statements of every good line, and the errors of the bad ones, in line order. */
    public record Parsed(List<Statement> statements, List<SyntaxError> errors) {
        public Parsed {
            statements = List.copyOf(statements);
            errors = List.copyOf(errors);
        }

        public boolean ok() {
            return errors.isEmpty();
        }

        /** The first error's line, or 0. */
        public int errorLine() {
            return ok() ? 0 : errors.get(0).line();
        }

        /** The first error's message, or null. */
        public String error() {
            return ok() ? null : errors.get(0).message();
        }
    }

    private ScriptParser() {}

    /** Parses a whole script; line numbers start at {@code firstLine}. */
    public static Parsed parse(String text, int firstLine) {
        List<Statement> out = new ArrayList<>();
        List<SyntaxError> errors = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = firstLine + i;
            int before = out.size();
            String err = parseLine(lines[i], lineNo, out);
            if (err != null) {
                out.subList(before, out.size()).clear();
                errors.add(new SyntaxError(lineNo, err));
            }
        }
        return new Parsed(out, errors);
    }

    public static Parsed parse(String text) {
        return parse(text, 1);
    }

    /** Splits one line into statements; returns an error message or null. */
    static String parseLine(String line, int lineNo, List<Statement> out) {
        List<String> words = new ArrayList<>();
        StringBuilder word = null;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    word.append(c);
                }
                continue;
            }
            if (c == '\'' || c == '"') {
                quote = c;
                if (word == null) {
                    word = new StringBuilder();
                }
                continue;
            }
            if (c == '#' && word == null) {
                break;
            }
            if (c == ';') {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                String err = finish(words, lineNo, out);
                if (err != null) {
                    return err;
                }
                words = new ArrayList<>();
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(word.toString());
                    word = null;
                }
                continue;
            }
            if (word == null) {
                word = new StringBuilder();
            }
            word.append(c);
        }
        if (quote != 0) {
            return "unterminated " + (quote == '\'' ? "single" : "double") + " quote";
        }
        if (word != null) {
            words.add(word.toString());
        }
        return finish(words, lineNo, out);
    }

    private static String finish(List<String> words, int lineNo, List<Statement> out) {
        if (words.isEmpty()) {
            return null;
        }
        String first = words.get(0);
        String bind = null;
        List<String> rest = words;
        if (first.startsWith("$")) {
            String name;
            if (first.endsWith("=") && first.length() > 2) {
                name = first.substring(1, first.length() - 1);
                rest = words.subList(1, words.size());
            } else if (first.contains("=")) {
                int eq = first.indexOf('=');
                name = first.substring(1, eq);
                rest = new ArrayList<>(words);
                rest.set(0, first.substring(eq + 1));
            } else if (words.size() >= 2 && words.get(1).equals("=")) {
                name = first.substring(1);
                rest = words.subList(2, words.size());
            } else if (words.size() >= 2 && words.get(1).startsWith("=")) {
                name = first.substring(1);
                rest = new ArrayList<>(words.subList(1, words.size()));
                rest.set(0, rest.get(0).substring(1));
            } else {
                return "'" + first + "' is not a command (to bind, write " + first + " = COMMAND …)";
            }
            if (!VAR.matcher(name).matches()) {
                return "invalid variable name '$" + name + "'";
            }
            if (rest.isEmpty() || rest.get(0).isEmpty()) {
                return "$" + name + " = needs a command";
            }
            bind = name;
        }
        out.add(new Statement(lineNo, bind, rest));
        return null;
    }
}
