package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The common slab layer, the replay engine and the shell's slab commands contain no branch on
 * which allocator is loaded (STYLE.md 21): no allocator name compared, no allocator class tested,
 * no capability switch asked. Differences come from the hooks an allocator supplies or leaves out.
 */
class SeamsTest {
    /** An allocator's name as a literal, an instanceof of an allocator class, or a name compared. */
    private static final Pattern BRANCH =
            Pattern.compile("\"sl[auo]b\"|instanceof\\s+(Slub|Slob|ClassicSlab|Slab)\\w*(Allocator|Cache)\\b"
                    + "|allocator(\\(\\))?\\.name\\(\\)\\s*\\.equals\\(|import io\\.kmemlab\\.(slub|slab|slob)\\.");

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../mm-core/src/main/java/io/kmemlab/mm/slab/SlabLayer.java",
                "../mm-core/src/main/java/io/kmemlab/mm/slab/KmallocCaches.java",
                "src/main/java/io/kmemlab/boot/replay/ReplayEngine.java",
                "src/main/java/io/kmemlab/boot/replay/PathCounts.java",
                "src/main/java/io/kmemlab/boot/shell/SlabCommands.java"
            })
    void source_hasNoBranchOnTheAllocator(String file) throws IOException {
        Path p = Path.of(file);
        assertThat(p).exists();
        String text = Files.readString(p);
        assertThat(BRANCH.matcher(text).results().map(r -> r.group()).toList())
                .as(file)
                .isEmpty();
    }
}
