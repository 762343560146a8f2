package io.kmemlab.mm.user.trace;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The answer files of {@code shared/malloc-traces} ({@code NAME.glibc-2.36.out}): what
 * {@code replay.c} printed replaying a trace through a real allocator. One {@link OpsFormat} line
 * per a/r operation, then {@code #} lines and the allocator's own statistics (XML or JSON), kept
 * as the trailer.
 */
public final class AnswerFile {
    private final List<String> ops;
    private final List<String> trailer;
    private final List<MallocTrace.Problem> problems;

    private AnswerFile(List<String> ops, List<String> trailer, List<MallocTrace.Problem> problems) {
        this.ops = Collections.unmodifiableList(ops);
        this.trailer = Collections.unmodifiableList(trailer);
        this.problems = Collections.unmodifiableList(problems);
    }

    /** The op lines, normalised (single spaces). */
    public List<String> ops() {
        return ops;
    }

    /** The lines after the ops ({@code # mallinfo2 …}, {@code # stats.allocated …}, XML). */
    public List<String> trailer() {
        return trailer;
    }

    /** Op lines that are not of the format, with their line numbers. */
    public List<MallocTrace.Problem> problems() {
        return problems;
    }

    public static AnswerFile read(Reader in) throws IOException {
        TraceLines lines = new TraceLines(in);
        Tokens t = new Tokens();
        List<String> ops = new ArrayList<>();
        List<String> trailer = new ArrayList<>();
        List<MallocTrace.Problem> problems = new ArrayList<>();
        String line;
        while ((line = lines.next()) != null) {
            if (!trailer.isEmpty() || line.startsWith("#")) {
                trailer.add(line);
                continue;
            }
            t.reset(line);
            if (!t.next()) {
                continue;
            }
            String op = t.text();
            String norm = null;
            if ((op.equals("a") || op.equals("r")) && t.next()) {
                String id = t.text();
                long idv = t.number();
                if (idv != Tokens.BAD && t.next()) {
                    String where = t.text();
                    boolean whereOk = where.equals("mmap") || where.equals("-") || isHex(where);
                    if (whereOk && t.next() && t.number() != Tokens.BAD && t.number() >= 0 && t.atEnd()) {
                        norm = op + " " + id + " " + where + " " + t.text();
                    }
                }
            }
            if (norm == null) {
                if (problems.size() < MallocTrace.MAX_REPORTED) {
                    TraceProblem kind = lines.cutOff() ? TraceProblem.TRUNCATED : TraceProblem.MALFORMED;
                    problems.add(new MallocTrace.Problem(lines.number(), kind, "'" + line + "'"));
                }
                continue;
            }
            ops.add(norm);
        }
        return new AnswerFile(ops, trailer, problems);
    }

    public static AnswerFile read(String text) {
        try {
            return read(new StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if {@code head} (a file's first lines) looks like an answer file rather than a trace. */
    public static boolean looksLike(List<String> head) {
        if (head.isEmpty()) {
            return false;
        }
        AnswerFile a = read(String.join("\n", head));
        return a.problems.isEmpty() && !a.ops.isEmpty();
    }

    private static boolean isHex(String s) {
        if (s.isEmpty() || s.length() > 16) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Our lines against the answer's, position by position.
     *
     * @param answerOps op lines in the answer file
     * @param ourOps op lines of the replay
     * @param identical lines equal in every field
     * @param samePlace lines whose OFFSET field (or mmap, -) is equal
     * @param sameUsable lines whose USABLE field is equal
     * @param firstDifference index of the first line that differs (or that one side lacks), -1 if none
     */
    public record Comparison(
            int answerOps, int ourOps, int identical, int samePlace, int sameUsable, int firstDifference) {
        /** Identical lines ÷ the longer side's lines (1 when both are empty). */
        public double identicalShare() {
            int n = Math.max(answerOps, ourOps);
            return n == 0 ? 1 : (double) identical / n;
        }

        public boolean exact() {
            return firstDifference < 0;
        }
    }

    public Comparison compare(List<String> ours) {
        int n = Math.min(ops.size(), ours.size());
        int identical = 0;
        int place = 0;
        int usable = 0;
        int first = -1;
        for (int i = 0; i < n; i++) {
            String a = ops.get(i);
            String b = ours.get(i);
            if (a.equals(b)) {
                identical++;
                place++;
                usable++;
                continue;
            }
            if (first < 0) {
                first = i;
            }
            String[] fa = a.split(" ");
            String[] fb = b.split(" ");
            if (fb.length == 4 && fa[0].equals(fb[0]) && fa[1].equals(fb[1])) {
                place += fa[2].equals(fb[2]) ? 1 : 0;
                usable += fa[3].equals(fb[3]) ? 1 : 0;
            }
        }
        if (first < 0 && ops.size() != ours.size()) {
            first = n;
        }
        return new Comparison(ops.size(), ours.size(), identical, place, usable, first);
    }
}
