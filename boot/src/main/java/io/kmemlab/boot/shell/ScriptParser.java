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
 * command runs, naming the line.
 */
public final class ScriptParser {
    private static final Pattern VAR = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** A parse result: statements, or the first syntax error. */
    public record Parsed(List<Statement> statements, int errorLine, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private ScriptParser() {}

    /** Parses a whole script; line numbers start at {@code firstLine}. */
    public static Parsed parse(String text, int firstLine) {
        List<Statement> out = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int lineNo = firstLine + i;
            String err = parseLine(lines[i], lineNo, out);
            if (err != null) {
                return new Parsed(List.of(), lineNo, err);
            }
        }
        return new Parsed(out, 0, null);
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
