package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * bench-jit.args (the launcher's and CpuTimeRounds' argument file) lists exactly {@link
 * BenchJit#ALL} (the JMH forks'), and every method a directive names exists: a renamed slow path
 * would otherwise be inlined again without a word.
 */
class BenchJitTest {
    private static final Path ARGS = Path.of("..", "bench-jit.args");

    @Test
    void argumentFile_listsTheSameFlagsAsBenchJit() throws IOException {
        List<String> lines = Files.readAllLines(ARGS).stream()
                .map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .collect(Collectors.toList());
        assertThat(lines).isEqualTo(BenchJit.ALL);
    }

    @Test
    void everyDontinlineDirective_namesAMethodThatExists() throws ClassNotFoundException {
        List<String> directives = BenchJit.ALL.stream()
                .filter(f -> f.startsWith("-XX:CompileCommand=dontinline,"))
                .collect(Collectors.toList());
        assertThat(directives).hasSize(6);
        for (String d : directives) {
            String target = d.substring(d.indexOf(',') + 1);
            String cls = target.substring(0, target.indexOf("::"));
            String name = target.substring(target.indexOf("::") + 2);
            Method[] methods = Class.forName(cls).getDeclaredMethods();
            assertThat(Arrays.stream(methods).map(Method::getName))
                    .as("%s", target)
                    .contains(name);
        }
    }

    /**
     * A JMH fork's flags are an annotation's constants, so PageBench and SlabBench each spell the
     * list out: they must name exactly BenchJit.ALL, in its order.
     */
    @Test
    void jmhForks_appendEveryFlagOfBenchJit() throws Exception {
        for (String bench : List.of("PageBench", "SlabBench")) {
            String src = Files.readString(Path.of("src", "jmh", "java", "io", "kmemlab", "bench", bench + ".java"));
            int at = src.indexOf("jvmArgsAppend");
            assertThat(at).as("%s forks with jvmArgsAppend", bench).isNotNegative();
            String list = src.substring(at, src.indexOf('}', at));
            List<String> flags = new java.util.ArrayList<>();
            java.util.regex.Matcher m =
                    java.util.regex.Pattern.compile("BenchJit\\.(\\w+)").matcher(list);
            while (m.find()) {
                flags.add((String) BenchJit.class.getField(m.group(1)).get(null));
            }
            assertThat(flags).as("%s's @Fork", bench).isEqualTo(BenchJit.ALL);
        }
    }

    @Test
    void launcher_passesTheArgumentFileToBench() throws IOException {
        String launcher = Files.readString(Path.of("..", "kmemlab"));
        assertThat(launcher).contains("\"@$here/bench-jit.args\"");
    }
}
