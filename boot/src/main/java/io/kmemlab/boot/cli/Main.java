package io.kmemlab.boot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The kmemlab command line. */
@Command(
        name = "kmemlab",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Emulates the Linux kernel's page and slab allocators.")
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** Version from the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"kmemlab " + (v == null ? "dev" : v)};
        }
    }
}
