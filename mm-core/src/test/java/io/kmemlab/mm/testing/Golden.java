package io.kmemlab.mm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under {@code src/test/resources/golden} of the module whose tests run (Maven runs
 * each module's tests in its own directory). Run with {@code -Dgolden.update=true} to
 * rewrite them after checking the new text against the kernel's format by hand.
 */
public final class Golden {
    private static final Path DIR = Path.of("src", "test", "resources", "golden");

    private Golden() {}

    public static void assertMatches(String name, String actual) {
        Path file = DIR.resolve(name);
        try {
            if (Boolean.getBoolean("golden.update") || !Files.exists(file)) {
                Files.createDirectories(DIR);
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                assertThat(Boolean.getBoolean("golden.update"))
                        .as("golden file " + name + " was missing")
                        .isTrue();
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            assertThat(actual).as("golden " + name).isEqualTo(expected);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
