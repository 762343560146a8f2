package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 2 §4/§5 acceptance: {@code kmemlab boot}, {@code --version}, and how every subcommand
 * treats bad kernel command-line words (a message naming the word, exit code 2, no Java trace).
 */
class BootCliAcceptanceTest {

    @Test
    void version_printsNameAndVersion_exit0() {
        Cli.Run r = Cli.run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("kmemlab \\S+ \\(emulating Linux 6\\.18 mm\\)\n");
    }

    @Test
    void boot1G2cpus_logsLikeTheKernel_inTheKernelsOrder() {
        Cli.Run r = Cli.run("boot", "mem=1G", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        List<String> lines = Arrays.asList(r.out().split("\n"));
        // every line carries printk's "[%5lu.%06lu] " time stamp
        assertThat(lines).allMatch(l -> l.matches("\\[ {0,4}\\d+\\.\\d{6}\\] .*"), "printk time stamp");
        List<String> text = new ArrayList<>();
        for (String l : lines) {
            text.add(l.substring(l.indexOf("] ") + 2));
        }
        // memblock.md §5 formats, in boot order (mem_init_print_info runs after kmem_cache_init)
        assertThat(text)
                .containsSubsequence(
                        "Command line: mem=1G nr_cpus=2",
                        "BIOS-provided physical RAM map:",
                        "BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable",
                        "BIOS-e820: [mem 0x0000000000100000-0x000000003fffffff] usable",
                        "Zone ranges:",
                        "  DMA      [mem 0x0000000000001000-0x0000000000ffffff]",
                        "  DMA32    [mem 0x0000000001000000-0x000000003fffffff]",
                        "  Normal   empty",
                        "Movable zone start for each node",
                        "Early memory node ranges",
                        "  node   0: [mem 0x0000000000001000-0x000000000009efff]",
                        "  node   0: [mem 0x0000000000100000-0x000000003fffffff]",
                        "Initmem setup node 0 [mem 0x0000000000001000-0x000000003fffffff]",
                        "On node 0, zone DMA: 1 pages in unavailable ranges",
                        "On node 0, zone DMA: 97 pages in unavailable ranges",
                        // 3998 DMA + 258048 DMA32 present pages; note the two spaces
                        "Built 1 zonelists, mobility grouping on.  Total pages: 262046",
                        "SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1");
        assertThat(text)
                .anyMatch(l -> l.matches("Memory: \\d+K/1048184K available \\(\\d+K kernel code, \\d+K rwdata, "
                        + "\\d+K rodata, \\d+K init, \\d+K bss, \\d+K reserved, 0K cma-reserved\\)"));
        assertThat(text.indexOf("SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1"))
                .isLessThan(indexStartingWith(text, "Memory: "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"slab", "slob"})
    void boot_otherAllocators_bootWithoutTheSlubLine(String slab) {
        Cli.Run r = Cli.run("boot", "mem=1G", "nr_cpus=2", "slab=" + slab);
        assertThat(r.exit()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out())
                .contains("Built 1 zonelists, mobility grouping on.  Total pages: 262046\n")
                .doesNotContain("SLUB: HWalign");
    }

    static List<String[]> badWords() {
        return List.of(
                new String[] {"mem=0", "kmemlab: invalid boot parameter 'mem=0'"},
                new String[] {"mem=abc", "kmemlab: invalid boot parameter 'mem=abc'"},
                new String[] {"mem=", "kmemlab: invalid boot parameter 'mem='"},
                new String[] {"nr_cpus=0", "kmemlab: invalid boot parameter 'nr_cpus=0'"},
                new String[] {"nr_cpus=abc", "kmemlab: invalid boot parameter 'nr_cpus=abc'"},
                new String[] {"slab=foo", "kmemlab: invalid boot parameter 'slab=foo'"},
                new String[] {"min_free_kbytes=-1", "kmemlab: invalid boot parameter 'min_free_kbytes=-1'"},
                new String[] {"trace_event=kmem:nope", "kmemlab: invalid boot parameter 'trace_event=kmem:nope'"},
                new String[] {"foo=1", "kmemlab: unknown boot parameter 'foo=1'"},
                // the allocator's own words name the spelling the user wrote
                new String[] {"slub_min_objects=-1", "kmemlab: slub_min_objects=-1: "},
                new String[] {"slub_max_order=x", "kmemlab: slub_max_order=x: "},
                new String[] {"slab_min_order=-2", "kmemlab: slab_min_order=-2: "});
    }

    @ParameterizedTest
    @MethodSource("badWords")
    void badBootWord_everySubcommand_exit2NamingTheWord_noJavaTrace(String word, String message) {
        List<String[]> invocations = List.of(
                new String[] {"boot", word},
                new String[] {"run", "-e", "echo never", word},
                new String[] {"shell", word},
                new String[] {"layout", "64", word});
        for (String[] args : invocations) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as("exit of %s", List.of(args)).isEqualTo(2);
            assertThat(r.err())
                    .as("stderr of %s", List.of(args))
                    .startsWith(message)
                    .doesNotContain("Exception", "\tat ");
            assertThat(r.out()).as("stdout of %s", List.of(args)).isEmpty();
        }
    }

    @Test
    void allocatorWordUnderTheWrongAllocator_exit2() {
        Cli.Run r = Cli.run("boot", "slob_fit=best");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("kmemlab: boot parameter 'slob_fit=best' belongs to slab=slob, not slab=slub\n");
        assertThat(Cli.run("boot", "slob_fit=best", "slab=slob").exit()).isZero();
    }

    @Test
    void slubDebugPerCacheList_boots() {
        Cli.Run r = Cli.run("boot", "slub_debug=FZ,kmalloc-64", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Command line: slub_debug=FZ,kmalloc-64 nr_cpus=2\n");
    }

    @Test
    void slubDebugUnknownOption_bootsAndNamesTheLetterAsWritten() {
        // parse_slub_debug_flags() switches on tolower(*str) but prints *str
        Cli.Run r = Cli.run("boot", "slub_debug=FQ");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("] slab_debug option 'Q' unknown. skipped\n");
    }

    @Test
    void unknownSubcommandOrOption_isAUsageError_noJavaTrace() {
        for (String[] args : List.of(
                new String[] {"nosuch"},
                new String[] {"run", "--nope", "-e", "echo"},
                new String[] {"layout"},
                new String[] {"layout", "abc"})) {
            Cli.Run r = Cli.run(args);
            assertThat(r.exit()).as("%s", List.of(args)).isEqualTo(2);
            assertThat(r.err()).doesNotContain("Exception", "\tat ");
        }
    }

    private static int indexStartingWith(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }
}
