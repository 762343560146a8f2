package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.apache.commons.lang3.StringUtils;
import org.tukaani.xz.XZInputStream;

/**
 * A trace file: plain text, gzip or xz (recognised by their magic bytes, whatever the file is
 * called), in a format detected from its first 64 KiB or forced by the caller. Probing happens in
 * the constructor, so a file that cannot be replayed is rejected before any machine boots.
 *
 * <p>The input is opened once: the probe reads the head of the same stream the replay then reads
 * (the head is handed back in front of the rest), so a FIFO, a pipe ({@code -}, {@code /dev/stdin},
 * {@code <(…)}'s {@code /dev/fd/N}) works as well as a file. Only a regular file can be
 * {@link #open}ed a second time (it is read again from the start).
 */
public final class TraceFileSource implements EventSource {
    /** The command-line name of standard input. */
    public static final String STDIN = "-";
    /** How {@link #name()} calls standard input. */
    public static final String STDIN_NAME = "(standard input)";

    private static final int PROBE = 1 << 16;
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    private final String name;
    /** The file, or null for standard input. */
    private final Path path;

    private final TraceInputFormat format;
    private final int cpus;
    private final int cpusSeen;
    /** Bytes of a regular file, or -1 (a pipe has no size). */
    private final long fileSize;

    private final boolean compressed;
    /** The decompressed head the probe read, handed back in front of {@link #rest}. */
    private final byte[] head;

    private final int headLen;
    /** Raw bytes read from the input so far (for progress). */
    private final long[] consumed = new long[1];
    /** The input after the head, until the first {@link #open} takes it. */
    private InputStream rest;

    /**
     * The trace a command-line argument names: {@code -} is standard input, anything else a path.
     *
     * @param forced the format to read, or null to detect it
     * @throws TraceRejectedException with a user-facing reason
     */
    public static TraceFileSource of(String arg, TraceInputFormat forced) throws TraceRejectedException {
        if (arg.equals(STDIN)) {
            return new TraceFileSource(STDIN_NAME, System.in, forced);
        }
        return new TraceFileSource(Path.of(arg), forced);
    }

    /**
     * @param forced the format to read, or null to detect it
     * @throws TraceRejectedException with a user-facing reason
     */
    public TraceFileSource(Path path, TraceInputFormat forced) throws TraceRejectedException {
        this(path.toString(), path, openFile(path), forced);
    }

    /**
     * A trace read from {@code in} (standard input, a socket): read once, never reopened.
     *
     * @param name what reports call it
     */
    public TraceFileSource(String name, InputStream in, TraceInputFormat forced) throws TraceRejectedException {
        this(name, null, new Opened(in, -1), forced);
    }

    /** An opened input and its size (-1 if not a regular file). */
    private record Opened(InputStream in, long size) {}

    private TraceFileSource(String name, Path path, Opened opened, TraceInputFormat forced)
            throws TraceRejectedException {
        this.name = name;
        this.path = path;
        this.fileSize = opened.size();
        byte[] b = new byte[PROBE];
        int n;
        InputStream in = null;
        try {
            BufferedInputStream raw = new BufferedInputStream(counting(opened.in(), consumed), 1 << 16);
            this.compressed = compressed(raw);
            in = decompressed(raw, compressed);
            n = in.readNBytes(b, 0, PROBE);
        } catch (IOException e) {
            closeQuietly(in != null ? in : opened.in());
            throw new TraceRejectedException(name + ": cannot read: " + describe(e));
        }
        this.head = b;
        this.headLen = n;
        this.rest = in;
        try {
            if (blank(b, n)) {
                throw new TraceRejectedException(name + ": empty trace");
            }
            if (TraceInputFormat.looksBinary(b, n)) {
                throw new TraceRejectedException(name + ": binary data, not a trace (expected ftrace text, "
                        + "malloc-lab .rep, or either compressed with gzip/xz)");
            }
            String fieldless = forced == null ? TraceInputFormat.fieldlessForm(b, n) : null;
            if (fieldless != null) {
                throw new TraceRejectedException(name + ": " + fieldless);
            }
            TraceInputFormat f = forced != null ? forced : TraceInputFormat.detect(b, n);
            if (f == null) {
                throw new TraceRejectedException(name + ": not a kmem trace: no ftrace event line "
                        + "(comm-pid [cpu] ... timestamp: event: ...) or malloc-lab header in the first "
                        + n + " bytes; use --format to force one. kmemlab reads: " + TraceInputFormat.FORMS);
            }
            this.format = f;
        } catch (TraceRejectedException e) {
            closeQuietly(in);
            throw e;
        }
        this.cpus = headerCpus(b, n);
        this.cpusSeen = format == TraceInputFormat.FTRACE ? cpusSeen(b, n) : -1;
    }

    /** Opens {@code path} for reading, with the kernel-style reasons it cannot be. */
    private static Opened openFile(Path path) throws TraceRejectedException {
        if (Files.isDirectory(path)) {
            throw new TraceRejectedException(path + ": is a directory");
        }
        try {
            if (Files.isRegularFile(path)) {
                return new Opened(Files.newInputStream(path), Files.size(path));
            }
            if (!Files.exists(path)) {
                throw new NoSuchFileException(path.toString());
            }
            // A FIFO, a pipe or a character device: the channel stream of Files.newInputStream asks
            // a pipe for its position ("Illegal seek"); a FileInputStream reads it as a stream.
            return new Opened(new FileInputStream(path.toFile()), -1);
        } catch (NoSuchFileException | FileNotFoundException e) {
            if (!Files.exists(path)) {
                throw new TraceRejectedException(path + ": no such file");
            }
            if (!Files.isReadable(path)) {
                throw new TraceRejectedException(path + ": permission denied");
            }
            throw new TraceRejectedException(path + ": cannot read: " + describe(e));
        } catch (AccessDeniedException e) {
            throw new TraceRejectedException(path + ": permission denied");
        } catch (IOException e) {
            throw new TraceRejectedException(path + ": cannot read: " + describe(e));
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String format() {
        return format.cliName();
    }

    @Override
    public int cpus() {
        return cpus;
    }

    @Override
    public int defaultCpus() {
        return cpus > 0 ? cpus : cpusSeen;
    }

    public TraceInputFormat traceFormat() {
        return format;
    }

    /** The file, or null for standard input. */
    public Path path() {
        return path;
    }

    @Override
    public Stream open(Symbols symbols) throws IOException {
        InputStream in = openText();
        KmemTraceReader reader = new KmemTraceReader(in, format, symbols);
        return Stream.of(reader, () -> fileSize <= 0 ? -1 : Math.min(1.0, (double) consumed[0] / fileSize));
    }

    /**
     * The decompressed text from its first byte: the first call continues the stream the probe
     * read; later ones read a regular file again (any other input can be read only once).
     */
    public InputStream openText() throws IOException {
        InputStream in;
        if (rest != null) {
            in = rest;
            rest = null;
        } else if (path != null && fileSize >= 0) {
            consumed[0] = 0;
            BufferedInputStream raw = new BufferedInputStream(counting(Files.newInputStream(path), consumed), 1 << 16);
            in = decompressed(raw, compressed);
            return compressed ? new ReadAheadInputStream(in, path.getFileName().toString()) : in;
        } else {
            throw new IOException("a pipe can be read only once");
        }
        if (compressed) {
            // Decode on a second thread while this one replays.
            in = new ReadAheadInputStream(in, path == null ? "stdin" : String.valueOf(path.getFileName()));
        }
        return new SequenceInputStream(new ByteArrayInputStream(head, 0, headLen), in);
    }

    /** Counts the bytes read from {@code raw} in {@code consumed[0]}. */
    private static InputStream counting(InputStream raw, long[] consumed) {
        return new FilterInputStream(raw) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    consumed[0]++;
                }
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int r = super.read(b, off, len);
                if (r > 0) {
                    consumed[0] += r;
                }
                return r;
            }
        };
    }

    /** True if the stream starts with the gzip or xz magic (read from its buffer, then reset). */
    private static boolean compressed(BufferedInputStream in) throws IOException {
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        return (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b)
                || (magic.length == 6 && java.util.Arrays.equals(magic, XZ_MAGIC));
    }

    /** The stream's bytes, decompressed if it starts with the gzip or xz magic. */
    private static InputStream decompressed(BufferedInputStream in, boolean compressed) throws IOException {
        if (!compressed) {
            return in;
        }
        try {
            if (peek(in) == 0x1f) {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            return new BufferedInputStream(new XZInputStream(in), 1 << 16);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    private static int peek(BufferedInputStream in) throws IOException {
        in.mark(1);
        int b = in.read();
        in.reset();
        return b;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // Rejected anyway; the reason given is the first failure.
        }
    }

    /** A user-facing reason for an I/O failure (no exception class names). */
    public static String describe(IOException e) {
        if (e instanceof java.io.EOFException) {
            return "unexpected end of file (truncated compressed data?)";
        }
        // The nio exceptions' messages are only the path, which the caller has already printed.
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof java.nio.file.FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        String m = e.getMessage();
        return StringUtils.defaultIfBlank(m, "I/O error");
    }

    private static boolean blank(byte[] b, int n) {
        for (int i = 0; i < n; i++) {
            if (b[i] != ' ' && b[i] != '\n' && b[i] != '\r' && b[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    /**
     * 1 + the highest {@code [cpu]} of the event lines in the probe (the first such field of each
     * line that is not a comment), or -1 if none; capped at 512 like nr_cpus=.
     */
    public static int cpusSeen(byte[] b, int n) {
        int max = -1;
        int p = 0;
        while (p < n) {
            int e = p;
            while (e < n && b[e] != '\n') {
                e++;
            }
            int s = p;
            while (s < e && (b[s] == ' ' || b[s] == '\t')) {
                s++;
            }
            if (s < e && b[s] != '#') {
                for (int i = s; i < e; i++) {
                    if (b[i] == '[') {
                        int j = i + 1;
                        int v = 0;
                        while (j < e && b[j] >= '0' && b[j] <= '9' && v < 100_000) {
                            v = v * 10 + (b[j] - '0');
                            j++;
                        }
                        if (j > i + 1 && j < e && b[j] == ']') {
                            max = Math.max(max, v);
                            break;
                        }
                    }
                }
            }
            p = e + 1;
        }
        return max < 0 ? -1 : Math.min(max + 1, 512);
    }

    private static int headerCpus(byte[] b, int n) {
        int tc = KmemTraceReader.traceCmdCpus(b, 0, n);
        if (tc > 0) {
            return tc;
        }
        for (int i = 0; i + 3 < n; i++) {
            if (b[i] == '#' && b[i + 1] == 'P' && b[i + 2] == ':') {
                int v = 0;
                int j = i + 3;
                while (j < n && b[j] >= '0' && b[j] <= '9' && v < 100_000) {
                    v = v * 10 + (b[j] - '0');
                    j++;
                }
                return j > i + 3 ? v : -1;
            }
        }
        return -1;
    }
}
