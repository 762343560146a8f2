package io.kmemlab.boot.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.BootParams;
import io.kmemlab.boot.Components;
import io.kmemlab.boot.shell.Shell;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.mm.slab.SlabAllocatorProvider;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §7: the help lists what the code knows (boot words, script commands, exit), limits are
 * named, and a usage error is one line and a hint, not the whole help under it.
 */
class HelpAndUsageTest {

    @Test
    void bootHelp_listsEveryBootWord_fromBootParamsAndTheAllocators() {
        Cli.Run r = Cli.run("boot", "--help");
        assertThat(r.exit()).isZero();
        for (BootParams.Word w : BootParams.WORDS) {
            assertThat(r.out()).contains("\n  " + w.synopsis() + " ");
        }
        assertThat(BootParams.KNOWN_WORDS).contains("mem", "nr_cpus", "slab", "seed");
        for (SlabAllocatorProvider p : Components.discoveredSlabProviders()) {
            assertThat(p.bootWords()).isNotEmpty();
            for (String word : p.bootWords()) {
                assertThat(r.out()).containsPattern("[ :]" + word + "( |\n)");
            }
        }
        assertThat(r.out()).contains("  slab=slub: ", "  slab=slab: ", "  slab=slob: ", "slub_debug");
    }

    @Test
    void runAndShellHelp_listTheScriptCommandsAndExit() {
        String commands = Shell.commandsHelp();
        assertThat(commands).contains("\n  exit ", "\n  peek ADDR LEN ", "\n  kmalloc SIZE [GFP] ");
        for (String cmd : new String[] {"run", "shell"}) {
            Cli.Run r = Cli.run(cmd, "--help");
            assertThat(r.exit()).isZero();
            assertThat(r.out())
                    .as(cmd)
                    .startsWith("Usage: kmemlab " + cmd)
                    .contains(commands)
                    .contains("Boot words: see 'kmemlab boot --help'.");
        }
        assertThat(Cli.run("shell", "--help").out()).contains("Ctrl-C stops a running command");
    }

    @Test
    void shellHelp_listsExitAndCtrlC() {
        Cli.Run r = Cli.withInput("help\nhelp exit\n", "shell", "mem=64M");
        assertThat(r.out())
                .contains("\n  exit                                         leave the shell")
                .contains("Ctrl-C stops a running command and returns to the prompt.\n")
                .endsWith("usage: exit\n  leave the shell (also 'quit' or Ctrl-D); in a script, stop it here\n");
    }

    @Test
    void exit_inAScript_stopsItThere_successfully() {
        Cli.Run r = Cli.run("run", "-e", "$a = kmalloc 8; exit; $b = kmalloc 8", "mem=64M");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("$a = ").doesNotContain("$b");
        Cli.Run sh = Cli.withInput("$a = kmalloc 8; exit\n$b = kmalloc 8\n", "shell", "mem=64M");
        assertThat(sh.exit()).isZero();
        assertThat(sh.out()).startsWith("$a = ").doesNotContain("$b");
    }

    @Test
    void peekAndMemset_nameTheirLimit_inHelpAndInTheError() {
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "help peek; help memset; $q = kmalloc 64; peek $q 1048577; memset $q 0 2000000; peek $q 1048576",
                "mem=64M");
        assertThat(r.out()).contains("LEN at most 1048576 (1 MiB)\n");
        assertThat(r.err())
                .isEqualTo("kmemlab: line 1: peek: length 1048577 is over the limit of 1048576 bytes (1 MiB)\n"
                        + "kmemlab: line 1: memset: length 2000000 is over the limit of 1048576 bytes (1 MiB)\n");
        // at the limit the dump is whole: 65536 rows
        assertThat(r.out().split("\n"))
                .filteredOn(l -> l.matches("[0-9a-f]{16}: .*"))
                .hasSize(65536);
    }

    @Test
    void usageError_isOneLineAndAHint_notTheWholeHelp() {
        Cli.Run unknown = Cli.run("boot", "--nope");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).isEqualTo("kmemlab: Unknown option: '--nope'\nTry 'kmemlab boot --help'.\n");
        assertThat(unknown.out()).isEmpty();
        Cli.Run missing = Cli.run("run", "-e");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err())
                .startsWith("kmemlab: Missing required parameter for option '--execute'")
                .endsWith("\nTry 'kmemlab run --help'.\n")
                .doesNotContain("Usage:");
        assertThat(missing.err().split("\n")).hasSize(2);
        Cli.Run top = Cli.run("--bogus");
        assertThat(top.err()).endsWith("Try 'kmemlab --help'.\n").doesNotContain("Usage:");
    }
}
