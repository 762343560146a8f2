package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 2 §5 conventions, through {@code kmemlab run} and {@code kmemlab shell} in-process:
 * separators, comments, {@code $name = COMMAND} binding, {@code $name+OFFSET}, numbers alone on a
 * line, errors naming the script line, stop-at-first-error and {@code --keep-going}.
 */
class ShellLanguageAcceptanceTest {
    private static final String ADDR = "0xffff888[0-9a-f]{9}";

    @Test
    void binding_printsNameEqualsLowercaseDirectMapAddress() {
        Cli.Run r = Cli.run("run", "-e", "$a = alloc_pages 0; $p = kmalloc 64\n$P_2=kzalloc 8");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("\\$a = " + ADDR + "\n\\$p = " + ADDR + "\n\\$P_2 = " + ADDR + "\n");
    }

    @Test
    void variableWithOffset_isAnAddressEverywhere() {
        Cli.Run r = Cli.run(
                "run",
                "-e",
                "$p = kmalloc 128\npoke $p+64 0x12 0x34\npeek $p+0x40 2\nmemset $p+66 0xab 1\n"
                        + "peek $p+64 3\nkfree $p");
        assertThat(r.exit()).isZero();
        String[] lines = r.out().split("\n");
        long p = Long.parseUnsignedLong(lines[0].substring("$p = 0x".length()), 16);
        assertThat(lines[1]).isEqualTo(String.format("%016x: 12 34", p + 64) + " ".repeat(44) + ".4");
        assertThat(lines[2]).isEqualTo(String.format("%016x: 12 34 ab", p + 64) + " ".repeat(41) + ".4.");
    }

    @Test
    void numberResult_printsAloneInDecimal() {
        Cli.Run r = Cli.run("run", "-e", "$p = kmalloc 100; ksize $p; $q = kmalloc 11; ksize $q; cpu");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("\\$p = " + ADDR + "\n128\n\\$q = " + ADDR + "\n16\n0\n");
    }

    @Test
    void commentsAndSeparators() {
        Cli.Run r = Cli.run("run", "-e", "# a comment line\necho a; echo b # trailing comment\n\n;;echo c");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).isEqualTo("a\nb\nc\n");
    }

    @Test
    void run_stopsAtFirstError_exit1_messageNamesTheScriptLine() {
        Cli.Run r = Cli.run("run", "-e", "echo one\necho two; kfree 0xffff888000100000\necho three");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).startsWith("one\ntwo\n").doesNotContain("three");
        assertThat(r.err()).startsWith("kmemlab: line 2: kfree: ").doesNotContain("Exception");
    }

    @Test
    void run_keepGoing_runsEverything_exit1() {
        Cli.Run r = Cli.run("run", "--keep-going", "-e", "echo one\n__free_pages 0x1 0\nnosuch\necho three");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).isEqualTo("one\nthree\n");
        assertThat(r.err())
                .isEqualTo("kmemlab: line 2: __free_pages: 0x1 is not the address of a page\n"
                        + "kmemlab: line 3: nosuch: command not found\n");
    }

    @Test
    void run_file_and_stdin_withBootWords(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("t.kmem");
        Files.writeString(f, "$p = kmalloc 11\nksize $p\n");
        Cli.Run fromFile = Cli.run("run", f.toString(), "slab=slob");
        assertThat(fromFile.exit()).isZero();
        // slob.md: ksize(kmalloc(11)) is 12
        assertThat(fromFile.out()).endsWith("\n12\n");
        Cli.Run fromStdin = Cli.withInput("$p = kmalloc 11\nksize $p\n", "run", "-", "slab=slob");
        assertThat(fromStdin.out()).isEqualTo(fromFile.out());
    }

    @Test
    void shell_onAPipe_runsEveryLine_andCarriesOnAfterErrors() {
        Cli.Run r = Cli.withInput("echo a\nkfree 0xffff888000100000\nnosuch\necho b\nexit\necho never\n", "shell");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("a\n").endsWith("b\n").doesNotContain("never");
        assertThat(r.err())
                .contains("kmemlab: line 2: kfree: ", "kmemlab: line 3: nosuch: command not found\n")
                .doesNotContain("Exception");
    }

    @Test
    void errors_neverShowAJavaTrace() {
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "kfree $nope; peek $p+ 4; alloc_pages x; alloc_pages 99; alloc_pages -1; __free_pages 0xffffffffffffffff 0;"
                        + " poke 0x10 1; peek 0xffff888000000000 99999999999; memset 0 0 0; kmalloc 0x; cpu 9;"
                        + " sleep -1; tick abc; kmem_cache_create; ls /nope; cat /; echo x > /proc/meminfo; trace on kmem:x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out() + r.err()).doesNotContain("Exception", "\tat ", "internal error");
        assertThat(r.err().split("\n")).hasSize(18).allMatch(l -> l.startsWith("kmemlab: line 1: "));
    }
}
