package io.kmemlab.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A registry of emulated files: {@code /proc/…}, {@code /sys/kernel/slab/…},
 * {@code /sys/kernel/tracing/…}, {@code /sys/kernel/debug/…}. Each component registers its own
 * files; the shell's {@code cat}, {@code ls} and {@code echo … >} go through here. Readers are pure
 * functions of the component's metrics; writers return null on success or an errno name
 * ({@code "EINVAL"}) as the kernel's write() would fail.
 */
public final class VirtualFs {

    /** One file: its mode, how to read it, and (if writable) how to write it. */
    public record Node(String path, int mode, Supplier<String> reader, Function<String, String> writer) {}

    private final TreeMap<String, Node> files = new TreeMap<>();
    /** Files whose write opened for appending ({@code >>}) differs from one that truncates. */
    private final TreeMap<String, Function<String, String>> appenders = new TreeMap<>();

    /** Registers a read-only file (mode 0444 unless given). */
    public void register(String path, int mode, Supplier<String> reader) {
        files.put(path, new Node(path, mode, reader, null));
    }

    public void register(String path, Supplier<String> reader) {
        register(path, 0444, reader);
    }

    /** Registers a writable file. */
    public void register(String path, int mode, Supplier<String> reader, Function<String, String> writer) {
        files.put(path, new Node(path, mode, reader, writer));
    }

    /**
     * Registers a writable file whose write differs by how it was opened: {@code writer} for an
     * open with O_TRUNC ({@code >}), {@code appender} for O_APPEND ({@code >>}), as tracefs's
     * {@code set_event} and {@code set_event_pid} replace their list or add to it.
     */
    public void register(
            String path,
            int mode,
            Supplier<String> reader,
            Function<String, String> writer,
            Function<String, String> appender) {
        register(path, mode, reader, writer);
        appenders.put(path, appender);
    }

    /** Removes a file, or a whole directory when {@code path} ends with '/'. */
    public void unregister(String path) {
        if (path.endsWith("/")) {
            files.subMap(path, path + Character.MAX_VALUE).clear();
            appenders.subMap(path, path + Character.MAX_VALUE).clear();
        } else {
            files.remove(path);
            appenders.remove(path);
        }
    }

    /**
     * Writes to a file opened for appending ({@code echo … >> PATH}): the file's appender if it
     * has one, else the same as {@link #write}.
     */
    public String append(String path, String text) {
        Function<String, String> a = appenders.get(path);
        if (a == null || !files.containsKey(path)) {
            return write(path, text);
        }
        return a.apply(text);
    }

    public boolean exists(String path) {
        return files.containsKey(path);
    }

    public boolean isDirectory(String path) {
        String dir = path.endsWith("/") ? path : path + "/";
        String k = files.ceilingKey(dir);
        return k != null && k.startsWith(dir);
    }

    public Node node(String path) {
        return files.get(path);
    }

    /** Reads a file; null if it does not exist. */
    public String read(String path) {
        Node n = files.get(path);
        return n == null ? null : n.reader().get();
    }

    /**
     * Writes to a file.
     *
     * <p>A file without a write handler fails as the kernel's file systems do for root: procfs
     * opens it and its write returns EIO (proc_reg_write without proc_write); sysfs, debugfs and
     * tracefs refuse the open with EACCES (kernfs_fop_open without a store method).
     *
     * @return null on success, else an errno name: ENOENT, EIO or EACCES (not writable), or the
     *     writer's
     */
    public String write(String path, String text) {
        Node n = files.get(path);
        if (n == null) {
            return "ENOENT";
        }
        if (n.writer() == null) {
            return path.startsWith("/proc/") ? "EIO" : "EACCES";
        }
        return n.writer().apply(text);
    }

    /** Entries directly under a directory, sorted; subdirectories end with '/'. */
    public List<String> list(String dirPath) {
        String dir = dirPath.endsWith("/") ? dirPath : dirPath + "/";
        TreeSet<String> out = new TreeSet<>();
        for (Map.Entry<String, Node> e :
                files.subMap(dir, dir + Character.MAX_VALUE).entrySet()) {
            String rest = e.getKey().substring(dir.length());
            int slash = rest.indexOf('/');
            out.add(slash < 0 ? rest : rest.substring(0, slash + 1));
        }
        return new ArrayList<>(out);
    }

    /** Every registered path, sorted. */
    public List<String> paths() {
        return new ArrayList<>(files.keySet());
    }
}
