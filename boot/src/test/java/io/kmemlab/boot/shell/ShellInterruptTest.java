package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §7: Ctrl-C during a command stops the command, not the session. The terminal's SIGINT
 * handler calls {@link Shell#interrupt}; here the output stream plays the user, pressing Ctrl-C
 * once the dump has printed some bytes, so the test is deterministic.
 */
class ShellInterruptTest {
    /** A terminal that presses Ctrl-C after {@code after} bytes have reached it. */
    static final class CtrlCAfter extends OutputStream {
        final ByteArrayOutputStream seen = new ByteArrayOutputStream();
        long after;
        Shell shell;

        @Override
        public void write(int b) {
            seen.write(b);
            if (after > 0 && seen.size() >= after) {
                after = 0;
                shell.interrupt();
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        String text() {
            return seen.toString(StandardCharsets.UTF_8);
        }
    }

    CtrlCAfter term;
    ByteArrayOutputStream err;
    Shell shell;

    @BeforeEach
    void boot() {
        Kernel kernel = Kernel.boot(List.of("mem=64M", "nr_cpus=1")).kernel();
        term = new CtrlCAfter();
        err = new ByteArrayOutputStream();
        shell = new Shell(
                kernel,
                new PrintStream(term, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        term.shell = shell;
    }

    @Test
    void ctrlC_duringAMegabytePeek_stopsItAtALineEnd_andTheSessionGoesOn() {
        // the case: `$q = kmalloc 64; peek $q 1048576`, Ctrl-C while it prints
        shell.run("$q = kmalloc 64", false);
        long q = shell.variables().get("q");
        term.after = term.seen.size() + 10_000;
        Shell.RunResult r = shell.run("peek $q 1048576; kmalloc 32", false);

        String printed = term.text();
        // a full dump is 65536 rows of 66 characters: only the first few KiB made it
        assertThat(printed.length()).isLessThan(20_000);
        assertThat(printed).endsWith("\n^C\n");
        String[] rows = printed.substring(printed.indexOf('\n') + 1).split("\n");
        assertThat(rows[rows.length - 2]).matches("[0-9a-f]{16}: ([0-9a-f]{2} ){15}[0-9a-f]{2}  .{16}");
        assertThat(r.stopped()).isTrue();
        assertThat(r.executed()).as("the kmalloc after the peek did not run").isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();

        // the next command line runs as usual, with every variable still bound
        term.seen.reset();
        assertThat(shell.interrupted()).isTrue();
        Shell.RunResult next = shell.run("ksize $q; peek $q 16", false);
        assertThat(next.ok()).isTrue();
        assertThat(shell.interrupted()).isFalse();
        assertThat(shell.variables()).containsEntry("q", q);
        assertThat(term.text()).startsWith("64\n" + String.format("%016x: ", q)).doesNotContain("^C");
    }

    @Test
    void ctrlC_betweenStatements_stopsTheRestOfTheLine() {
        term.after = 1;
        Shell.RunResult r = shell.run("$a = kmalloc 64; $b = kmalloc 64; $c = kmalloc 64", false);
        assertThat(r.executed()).isEqualTo(1);
        assertThat(shell.variables()).containsOnlyKeys("a");
        assertThat(term.text()).endsWith("\n^C\n");
    }

    @Test
    void interruptBeforeARun_isForgotten() {
        shell.interrupt();
        Shell.RunResult r = shell.run("$a = kmalloc 64; $b = kmalloc 64", false);
        assertThat(r.ok()).isTrue();
        assertThat(r.executed()).isEqualTo(2);
        assertThat(term.text()).doesNotContain("^C");
    }
}
