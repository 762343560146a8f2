package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.ParsedLine;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ShellCompleterTest {
    static Shell shell;

    @BeforeAll
    static void boot() {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream());
        shell = new Shell(Kernel.boot(List.of("mem=64M")).kernel(), sink, sink);
        shell.run("$page = alloc_pages 0", false);
    }

    static List<String> complete(String... words) {
        List<String> w = Arrays.asList(words);
        ParsedLine line = new ParsedLine() {
            @Override
            public String word() {
                return w.get(w.size() - 1);
            }

            @Override
            public int wordCursor() {
                return word().length();
            }

            @Override
            public int wordIndex() {
                return w.size() - 1;
            }

            @Override
            public List<String> words() {
                return w;
            }

            @Override
            public String line() {
                return String.join(" ", w);
            }

            @Override
            public int cursor() {
                return line().length();
            }
        };
        List<Candidate> out = new ArrayList<>();
        new ShellCompleter(shell).complete(null, line, out);
        return out.stream().map(Candidate::value).toList();
    }

    @Test
    void firstWord_completesCommands() {
        assertThat(complete("")).contains("alloc_pages", "__free_pages", "kmalloc", "cat", "help");
    }

    @Test
    void afterBinding_completesCommands() {
        assertThat(complete("$x", "=", "")).contains("kmem_cache_alloc");
    }

    @Test
    void slash_completesEmulatedPaths() {
        assertThat(complete("cat", "/proc/")).contains("/proc/buddyinfo", "/proc/meminfo");
        assertThat(complete("cat", "/")).contains("/proc/", "/sys/");
    }

    @Test
    void dollar_completesVariables() {
        assertThat(complete("__free_pages", "$")).containsExactly("$page");
    }

    @Test
    void cacheCommands_completeCacheNames() {
        assertThat(complete("kmem_cache_alloc", "")).contains("kmalloc-64");
    }

    @Test
    void traceOn_completesEvents() {
        assertThat(complete("trace", "on", "")).contains("kmem:mm_page_alloc", "kmem:kmalloc");
    }
}
