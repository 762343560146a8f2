package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The boot progress line: drawn in place, erased at the end, silent for short boots. */
class TerminalBootProgressTest {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    private String text() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void longBoot_drawsThePhaseInPlace_thenErasesTheLine() throws InterruptedException {
        TerminalBootProgress p = new TerminalBootProgress(err, "mem=1T", 0);
        p.phase("allocating the memory map (268,697,600 page frames)");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!text().contains("memory map") && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        p.phase("memblock_free_all: freeing memory to the buddy allocator");
        p.phase(null);
        String shown = text();
        assertThat(shown)
                .startsWith("\rkmemlab: booting mem=1T: allocating the memory map (268,697,600 page frames) … 0 s");
        assertThat(shown).doesNotContain("\n");
        // erased: back to the line start, blanks over the longest line drawn, back again
        assertThat(shown).matches("(?s).*\r {20,}\r");
        Thread.sleep(300);
        assertThat(text()).as("nothing after the end").isEqualTo(shown);
    }

    @Test
    void shortBoot_printsNothing() throws InterruptedException {
        TerminalBootProgress p = new TerminalBootProgress(err, "mem=1G", 1000);
        p.phase("allocating the memory map (262,144 page frames)");
        p.phase(null);
        Thread.sleep(50);
        assertThat(text()).isEmpty();
    }
}
