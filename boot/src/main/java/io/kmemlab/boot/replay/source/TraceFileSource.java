package io.kmemlab.boot.replay.source;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A trace file: plain text, gzip or xz (recognised by their magic bytes, whatever the file is
 * called), in a format detected from its first 64 KiB or forced by the caller. Probing happens in
 * the constructor, so a file that cannot be replayed is rejected before any machine boots.
 */
public final class TraceFileSource implements EventSource {
    private static final int PROBE = 1 << 16;
    private static final byte[] XZ_MAGIC = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};

    private final Path path;
    private final TraceInputFormat format;
    private final int cpus;
    private final int cpusSeen;
    private final long fileSize;

    /**
     * @param forced the format to read, or null to detect it
     * @throws TraceRejectedException with a user-facing reason
     */
    public TraceFileSource(Path path, TraceInputFormat forced) throws TraceRejectedException {
        this.path = path;
        if (Files.isDirectory(path)) {
            throw new TraceRejectedException(path + ": is a directory");
        }
        byte[] head = new byte[PROBE];
        int n;
        try {
            this.fileSize = Files.size(path);
            try (InputStream in = openDecompressed(path, null)) {
                n = in.readNBytes(head, 0, PROBE);
            }
        } catch (NoSuchFileException e) {
            throw new TraceRejectedException(path + ": no such file");
        } catch (AccessDeniedException e) {
            throw new TraceRejectedException(path + ": permission denied");
        } catch (IOException e) {
            throw new TraceRejectedException(path + ": cannot read: " + describe(e));
        }
        if (blank(head, n)) {
            throw new TraceRejectedException(path + ": empty trace");
        }
        if (TraceInputFormat.looksBinary(head, n)) {
            throw new TraceRejectedException(path + ": binary data, not a trace (expected ftrace text, "
                    + "malloc-lab .rep, or either compressed with gzip/xz)");
        }
        TraceInputFormat f = forced != null ? forced : TraceInputFormat.detect(head, n);
        if (f == null) {
            throw new TraceRejectedException(path + ": not a kmem trace: no ftrace event line "
                    + "(comm-pid [cpu] ... timestamp: event: ...) or malloc-lab header in the first "
                    + n + " bytes; use --format to force one");
        }
        this.format = f;
        this.cpus = headerCpus(head, n);
        this.cpusSeen = f == TraceInputFormat.FTRACE ? cpusSeen(head, n) : -1;
    }

    @Override
    public String name() {
        return path.toString();
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

    public Path path() {
        return path;
    }

    @Override
    public Stream open(Symbols symbols) throws IOException {
        long[] consumed = new long[1];
        InputStream in = openDecompressed(path, consumed);
        if (compressed(path)) {
            // Decode on a second thread while this one replays.
            in = new ReadAheadInputStream(in, path.getFileName().toString());
        }
        KmemTraceReader reader = new KmemTraceReader(in, format, symbols);
        return Stream.of(reader, () -> fileSize <= 0 ? -1 : Math.min(1.0, (double) consumed[0] / fileSize));
    }

    /** The file's bytes, decompressed if gzip or xz; {@code consumed[0]} counts raw bytes read. */
    static InputStream openDecompressed(Path path, long[] consumed) throws IOException {
        InputStream raw = Files.newInputStream(path);
        if (consumed != null) {
            raw = new FilterInputStream(raw) {
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
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(8);
        byte[] magic = in.readNBytes(6);
        in.reset();
        try {
            if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
            }
            if (magic.length == 6 && java.util.Arrays.equals(magic, XZ_MAGIC)) {
                return new BufferedInputStream(new XZInputStream(in), 1 << 16);
            }
        } catch (IOException e) {
            in.close();
            throw e;
        }
        return in;
    }

    /** True if the file starts with the gzip or xz magic. */
    static boolean compressed(Path path) throws IOException {
        byte[] magic;
        try (InputStream in = Files.newInputStream(path)) {
            magic = in.readNBytes(6);
        }
        return (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b)
                || (magic.length == 6 && java.util.Arrays.equals(magic, XZ_MAGIC));
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
        return m == null || m.isBlank() ? "I/O error" : m;
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
