package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.shell.Shell;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A booted kernel with a shell whose output is captured, for acceptance checks that also need to
 * look inside the machine (report counters) after a script ran.
 */
final class Session {
    final Kernel kernel;
    final Shell shell;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Session(String... words) {
        Kernel.BootResult b = Kernel.boot(List.of(words));
        assertThat(b.error()).as("boot %s", List.of(words)).isNull();
        kernel = b.kernel();
        shell = new Shell(
                kernel,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    /** Runs with --keep-going semantics. */
    Shell.RunResult run(String script) {
        return shell.run(script, true);
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    long reports() {
        return kernel.machine().dmesg().totalReports();
    }

    /** No Java stack trace or exception name leaked anywhere. */
    void assertNoJavaTrace() {
        assertThat(out() + err()).doesNotContain("Exception", "\tat io.", "internal error");
    }
}
