package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Golden files under src/test/resources/io/kmemlab/slab; -Dgolden.update=true rewrites them. */
final class Golden {
    private Golden() {}

    static void assertMatches(String name, String actual) {
        if (Boolean.getBoolean("golden.update")) {
            try {
                Path p = Path.of("src/test/resources/io/kmemlab/slab", name);
                Files.createDirectories(p.getParent());
                Files.writeString(p, actual);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return;
        }
        try (InputStream in = Golden.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            assertThat(actual).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** dmesg lines without their timestamps. */
    static String strip(java.util.List<String> lines) {
        StringBuilder sb = new StringBuilder();
        for (String l : lines) {
            sb.append(l.replaceFirst("^\\[[ 0-9.]+\\] ", "")).append('\n');
        }
        return sb.toString();
    }
}
