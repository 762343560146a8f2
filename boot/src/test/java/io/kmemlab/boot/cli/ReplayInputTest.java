package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kmemlab.boot.cli.ReplayCommandTest.Result;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A trace that can be read only once — a FIFO, standard input ({@code -}, {@code /dev/stdin}), a
 * process substitution's {@code /dev/fd/N} — is replayed as the regular file is: each of these
 * used to hang (a FIFO opened a second time waits for a writer that is gone), fail ("Illegal
 * seek") or be looked up as a file named "-". Every test has a deadline, so a hang fails it.
 */
class ReplayInputTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    @TempDir
    static Path tmp;

    static Path excerpt;
    static byte[] compressed;
    static byte[] plain;

    @BeforeAll
    static void copyExcerpt() throws IOException {
        excerpt = tmp.resolve("kmem-618-excerpt8k.txt.xz");
        try (InputStream in = ReplayInputTest.class.getResourceAsStream("/traces/kmem-618-excerpt8k.txt.xz")) {
            Files.copy(in, excerpt);
        }
        compressed = Files.readAllBytes(excerpt);
        try (InputStream in = new org.tukaani.xz.XZInputStream(new ByteArrayInputStream(compressed))) {
            plain = in.readAllBytes();
        }
    }

    private static String[] args(String cmd, String trace, String... more) {
        return argList(cmd, trace, more).toArray(new String[0]);
    }

    private static List<String> argList(String cmd, String trace, String... more) {
        List<String> a = new ArrayList<>();
        if (cmd.equals("replay")) {
            a.addAll(List.of(trace, "--slab", "all"));
        } else {
            a.addAll(List.of(trace, "--no-chart"));
        }
        a.addAll(List.of("--no-timing", "mem=128M"));
        a.addAll(List.of(more));
        return a;
    }

    private static Object command(String cmd) {
        return cmd.equals("replay") ? ReplayCommandTest.replay() : new CompareCommand().withTicker(() -> 0);
    }

    /** The report of the regular file, with its name replaced by {@code name}. */
    private static String regularReport(String cmd, String name, String... more) {
        Result r = ReplayCommandTest.run(command(cmd), args(cmd, excerpt.toString(), more));
        assertThat(r.exit()).as(r.err()).isZero();
        return r.out().replace(excerpt.toString(), name);
    }

    private static Path mkfifo(String name) throws Exception {
        Path fifo = tmp.resolve(name);
        Files.deleteIfExists(fifo);
        Process p;
        try {
            p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        } catch (IOException e) {
            assumeTrue(false, "no mkfifo here");
            throw e;
        }
        assumeTrue(p.waitFor() == 0, "mkfifo failed");
        return fifo;
    }

    /** Writes {@code data} into the FIFO on a thread of its own (opening it blocks until read). */
    private static Thread writer(Path fifo, byte[] data) {
        Thread t = new Thread(
                () -> {
                    try (OutputStream out = Files.newOutputStream(fifo)) {
                        out.write(data);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                },
                "fifo writer");
        t.setDaemon(true);
        t.start();
        return t;
    }

    @ParameterizedTest
    @ValueSource(strings = {"replay", "compare"})
    void fifo_xzCompressed_terminatesWithTheRegularFilesReport(String cmd) throws Exception {
        Path fifo = mkfifo("trace-" + cmd + ".fifo");
        String expected = regularReport(cmd, fifo.toString());
        Result r = assertTimeoutPreemptively(DEADLINE, () -> {
            Thread w = writer(fifo, compressed);
            Result res = ReplayCommandTest.run(command(cmd), args(cmd, fifo.toString()));
            w.join();
            return res;
        });
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void fifo_plainText_json_sameAsRegularFile() throws Exception {
        Path fifo = mkfifo("plain.fifo");
        String expected = regularReport("replay", fifo.toString(), "--json");
        Result r = assertTimeoutPreemptively(DEADLINE, () -> {
            Thread w = writer(fifo, plain);
            Result res = ReplayCommandTest.run(ReplayCommandTest.replay(), args("replay", fifo.toString(), "--json"));
            w.join();
            return res;
        });
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void fifo_writerClosesWithoutWriting_rejectedAsEmpty() throws Exception {
        Path fifo = mkfifo("empty.fifo");
        Result r = assertTimeoutPreemptively(DEADLINE, () -> {
            Thread w = writer(fifo, new byte[0]);
            Result res = ReplayCommandTest.run(ReplayCommandTest.replay(), fifo.toString());
            w.join();
            return res;
        });
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("kmemlab replay: " + fifo + ": empty trace\n");
    }

    /** {@code -} reads System.in (here replaced), compressed or not, for replay and compare. */
    @ParameterizedTest
    @ValueSource(strings = {"replay:xz", "replay:plain", "compare:xz"})
    void dash_readsStandardInput_sameReportAsTheFile(String c) {
        String cmd = c.substring(0, c.indexOf(':'));
        byte[] data = c.endsWith("xz") ? compressed : plain;
        String expected = regularReport(cmd, "(standard input)");
        InputStream saved = System.in;
        Result r;
        try {
            System.setIn(new ByteArrayInputStream(data));
            r = assertTimeoutPreemptively(DEADLINE, () -> ReplayCommandTest.run(command(cmd), args(cmd, "-")));
        } finally {
            System.setIn(saved);
        }
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(expected);
    }

    @Test
    void dotSlashDash_isAFileNamedDash() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("dash"));
        Files.copy(excerpt, dir.resolve("-"));
        Result r = ReplayCommandTest.run(
                ReplayCommandTest.replay(), dir.resolve("-").toString(), "--no-timing", "mem=128M");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("trace: " + dir.resolve("-") + " (ftrace, 8012 lines");
    }

    // --- a real process, whose standard input is a pipe -------------------------------------

    /** Runs Main (no launcher) with {@code stdin} piped in; returns exit code and stdout. */
    private static Result runMain(byte[] stdin, String... cmdline) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(cmdline));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.redirectError(ProcessBuilder.Redirect.PIPE);
        Process p = pb.start();
        Thread feed = new Thread(
                () -> {
                    try (OutputStream o = p.getOutputStream()) {
                        o.write(stdin);
                    } catch (IOException e) {
                        // The process stopped reading (it failed): its exit code says why.
                    }
                },
                "stdin feeder");
        feed.setDaemon(true);
        feed.start();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread drain = new Thread(
                () -> {
                    try {
                        p.getErrorStream().transferTo(err);
                    } catch (IOException e) {
                        // Gone with the process.
                    }
                },
                "stderr drain");
        drain.setDaemon(true);
        drain.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(DEADLINE.toSeconds(), TimeUnit.SECONDS))
                .as("process finished")
                .isTrue();
        drain.join();
        return new Result(p.exitValue(), out, err.toString(StandardCharsets.UTF_8));
    }

    private static List<String> java(List<String> args) {
        List<String> c = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        c.addAll(args);
        return c;
    }

    @ParameterizedTest
    @ValueSource(strings = {"/dev/stdin", "/dev/fd/0", "-"})
    void process_stdinIsAPipe_pathsToItReplayAsTheFile(String path) throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/fd/0")), "no /dev/fd here");
        String name = path.equals("-") ? "(standard input)" : path;
        String expected = regularReport("replay", name);
        Result r = assertTimeoutPreemptively(
                DEADLINE.plusSeconds(10),
                () -> runMain(
                        compressed,
                        java(prepend("replay", argList("replay", path))).toArray(new String[0])));
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo(expected);
    }

    private static List<String> prepend(String first, List<String> rest) {
        List<String> l = new ArrayList<>(List.of(first));
        l.addAll(rest);
        return l;
    }

    /** bash's {@code <(…)}: a /dev/fd/N of a pipe that only the replay reads. */
    @Test
    void process_bashProcessSubstitution_replaysAsTheFile() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/bin/bash")) && Files.exists(Path.of("/dev/fd/0")), "no bash here");
        String java = String.join(
                " ", java(List.of()).stream().map(s -> "'" + s + "'").toList());
        String script = java + " compare <(cat '" + excerpt + "') --no-chart --no-timing mem=128M";
        Result r = assertTimeoutPreemptively(
                DEADLINE.plusSeconds(10), () -> runMain(new byte[0], "/bin/bash", "-c", script));
        assertThat(r.exit()).as(r.err()).isZero();
        String first = r.out().substring(0, r.out().indexOf('\n'));
        assertThat(first).matches("trace: /dev/fd/\\d+ \\(ftrace, 8012 lines, recorded on 2 CPUs\\)");
        String name = first.substring("trace: ".length(), first.indexOf(" (ftrace"));
        assertThat(r.out()).isEqualTo(regularReport("compare", name));
    }
}
