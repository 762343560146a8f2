package io.kmemlab.boot.testing;

import io.kmemlab.boot.Components;
import io.kmemlab.boot.StandardComponents;
import io.kmemlab.boot.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Runs the kmemlab command line in-process with captured output. */
public final class Cli {
    /** What a run printed and returned. */
    public record Run(int exit, String out, String err) {}

    private Cli() {}

    public static Run run(String... args) {
        return run(StandardComponents::get, "", args);
    }

    public static Run withInput(String input, String... args) {
        return run(StandardComponents::get, input, args);
    }

    public static Run run(Supplier<Components> components, String input, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int exit = new Main(components, o, e, new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)))
                .execute(args);
        o.flush();
        e.flush();
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
