package io.kmemlab.boot.malloc;

import io.kmemlab.mm.user.trace.AnswerFile;
import io.kmemlab.mm.user.trace.MallocTrace;
import io.kmemlab.mm.user.trace.MallocTraceFormat;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * Opens user-space allocation traces and answer files: a path or {@code -} (standard input), plain,
 * gzip or xz (as the files of shared/malloc-traces are), the format detected from the first lines
 * unless forced.
 */
public final class MallocTraceFiles {
    /** A file that cannot be used at all: the reason, for the user. */
    public static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;

        public Rejected(String message) {
            super(message);
        }
    }

    private MallocTraceFiles() {}

    /** The name a trace is shown under: its file name, or {@code (standard input)}. */
    public static String displayName(String arg) {
        if (arg.equals("-")) {
            return "(standard input)";
        }
        Path f = Path.of(arg).getFileName();
        return f == null ? arg : f.toString();
    }

    /** Reads and checks the trace {@code arg}; {@code forced} null detects the format. */
    public static MallocTrace read(String arg, InputStream stdin, MallocTraceFormat forced) throws Rejected {
        String name = displayName(arg);
        byte[] text = bytes(arg, stdin);
        MallocTraceFormat format = forced;
        if (format == null) {
            List<String> head = head(text);
            format = MallocTraceFormat.detect(head);
            if (format == null) {
                if (AnswerFile.looksLike(head)) {
                    throw new Rejected(name + ": an answer file (a ID OFFSET USABLE), not a trace: give it to --check");
                }
                throw new Rejected(name + ": not a malloc trace kmemlab knows (rep, ostep, mtrace, kmemlab;"
                        + " --format names one)");
            }
        }
        try {
            return format.read(name, reader(text));
        } catch (IOException e) {
            throw new Rejected(name + ": cannot read: " + e.getMessage());
        }
    }

    public static AnswerFile readAnswers(String arg, InputStream stdin) throws Rejected {
        try {
            return AnswerFile.read(reader(bytes(arg, stdin)));
        } catch (IOException e) {
            throw new Rejected(displayName(arg) + ": cannot read: " + e.getMessage());
        }
    }

    private static Reader reader(byte[] text) {
        return new BufferedReader(
                new InputStreamReader(new ByteArrayInputStream(text), StandardCharsets.UTF_8), 1 << 16);
    }

    /** The first non-blank lines (at most {@link MallocTraceFormat#PROBE_LINES}). */
    private static List<String> head(byte[] text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= text.length && out.size() < MallocTraceFormat.PROBE_LINES; i++) {
            if (i == text.length || text[i] == '\n') {
                String l = new String(text, start, i - start, StandardCharsets.UTF_8).strip();
                if (!l.isEmpty()) {
                    out.add(l);
                }
                start = i + 1;
            }
        }
        return out;
    }

    /** The whole decompressed text (traces are read once and replayed many times). */
    private static byte[] bytes(String arg, InputStream stdin) throws Rejected {
        String name = displayName(arg);
        try (InputStream raw = arg.equals("-") ? stdin : open(Path.of(arg))) {
            BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
            in.mark(8);
            byte[] magic = in.readNBytes(6);
            in.reset();
            InputStream text = in;
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                text = new GZIPInputStream(in, 1 << 16);
            } else if (magic.length == 6 && (magic[0] & 0xff) == 0xfd && magic[1] == '7' && magic[2] == 'z') {
                text = new XZInputStream(in);
            }
            return text.readAllBytes();
        } catch (NoSuchFileException e) {
            throw new Rejected(name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new Rejected(name + ": permission denied");
        } catch (java.io.EOFException e) {
            throw new Rejected(name + ": unexpected end of file (truncated compressed data?)");
        } catch (IOException e) {
            throw new Rejected(name + ": cannot read: " + e.getMessage());
        }
    }

    private static InputStream open(Path p) throws IOException {
        if (Files.isDirectory(p)) {
            throw new IOException("is a directory");
        }
        return Files.newInputStream(p);
    }
}
