package io.kmemlab.boot.lab;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The starter of a lab level: the files {@code lab new LEVEL DIR} writes. */
public final class LabStarter {

    /** The levels with a starter, in {@code --help} order. */
    public static final List<String> LEVELS = List.of("buddy", "slab", "malloc");

    private LabStarter() {}

    /** File name → text of the starter for {@code level}. */
    public static List<String[]> files(String level) {
        String source = switch (level) {
            case "buddy" -> "Pages.java";
            case "slab" -> "Slab.java";
            case "malloc" -> "Mm.java";
            default ->
                throw new IllegalArgumentException(
                        "no lab level '" + level + "' (levels: " + String.join(", ", LEVELS) + ")");
        };
        return List.of(
                new String[] {source, resource(level + "/" + source + ".txt")},
                new String[] {"README.md", resource(level + "/README.md")});
    }

    /**
     * Writes the starter into {@code dir} (created if missing); refuses to overwrite a file.
     *
     * @return the files written
     */
    public static List<Path> write(String level, Path dir) throws IOException {
        List<String[]> files = files(level);
        for (String[] f : files) {
            if (Files.exists(dir.resolve(f[0]))) {
                throw new IOException(dir.resolve(f[0]) + " exists; not overwriting it");
            }
        }
        Files.createDirectories(dir);
        List<Path> written = new java.util.ArrayList<>();
        for (String[] f : files) {
            Path p = dir.resolve(f[0]);
            Files.writeString(p, f[1], StandardCharsets.UTF_8);
            written.add(p);
        }
        return written;
    }

    private static String resource(String name) {
        try (InputStream in = LabStarter.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
