package io.kmemlab.boot.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 12's acceptance scenario through the shell: on mem=64M, order-0 movable pages until memory
 * runs out, every other one freed, then an order-9 movable request compacts and succeeds; the
 * shell's $vars follow the migrated pages and their bytes came along.
 */
class CompactionScenarioTest {

    @Test
    void fragmentedMovableMemory_order9Request_compactsAndSucceeds() {
        Kernel kernel = Kernel.boot(List.of("mem=64M", "nr_cpus=1")).kernel();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Shell shell = new Shell(
                kernel,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int n = 0;
        while (shell.run("$p" + n + " = alloc_pages 0 GFP_HIGHUSER_MOVABLE|__GFP_NOWARN", false)
                        .failed()
                == 0) {
            assertThat(shell.run("poke $p" + n + "+100 " + (n & 0xff) + " " + ((n >> 8) & 0xff), false)
                            .failed())
                    .isZero();
            n++;
        }
        assertThat(n).isGreaterThan(14000);
        for (int i = 0; i < n; i += 2) {
            assertThat(shell.run("__free_pages $p" + i + " 0", false).failed()).isZero();
        }
        out.reset();
        assertThat(shell.run("$huge = alloc_pages 9 GFP_HIGHUSER_MOVABLE", false)
                        .failed())
                .isZero();
        String text = out.toString(StandardCharsets.UTF_8);
        Matcher moved = Pattern.compile("\\$p(\\d+) = 0x\\p{XDigit}+ \\(migrated by compaction from")
                .matcher(text);
        int moves = 0;
        Map<String, Long> vars = shell.variables();
        while (moved.find()) {
            int i = Integer.parseInt(moved.group(1));
            assertThat(i % 2).as("only live pages move").isOne();
            long addr = vars.get("p" + i);
            assertThat(kernel.machine().mem().readU8(addr + 100)).isEqualTo(i & 0xff);
            assertThat(kernel.machine().mem().readU8(addr + 101)).isEqualTo((i >> 8) & 0xff);
            moves++;
        }
        assertThat(moves).isPositive();
        assertThat(text).contains("$huge = ");
        String vmstat = kernel.machine().vfs().read("/proc/vmstat");
        assertThat(vmstat)
                .containsPattern("(?m)^compact_stall [1-9]\\d*$")
                .contains("\ncompact_success 1\n")
                .containsPattern("(?m)^compact_isolated [1-9]\\d*$");
        assertThat(kernel.pageAllocator().validate()).isEmpty();
    }

    @Test
    void sysctls_readAndWriteAsTheKernels() {
        Kernel kernel = Kernel.boot(List.of("mem=64M", "nr_cpus=1")).kernel();
        io.kmemlab.mm.VirtualFs vfs = kernel.machine().vfs();
        assertThat(vfs.read("/proc/sys/vm/compaction_proactiveness")).isEqualTo("20\n");
        assertThat(vfs.read("/proc/sys/vm/extfrag_threshold")).isEqualTo("500\n");
        assertThat(vfs.write("/proc/sys/vm/compact_memory", "2")).isEqualTo("EINVAL");
        assertThat(vfs.write("/proc/sys/vm/compact_memory", "1")).isNull();
        assertThat(vfs.write("/proc/sys/vm/extfrag_threshold", "1001")).isEqualTo("EINVAL");
        assertThat(vfs.write("/proc/sys/vm/extfrag_threshold", "300")).isNull();
        assertThat(vfs.read("/proc/sys/vm/extfrag_threshold")).isEqualTo("300\n");
        assertThat(vfs.write("/proc/sys/vm/compaction_proactiveness", "0")).isNull();
        assertThat(vfs.read("/proc/sys/vm/compaction_proactiveness")).isEqualTo("0\n");
        assertThat(vfs.read("/proc/vmstat"))
                .contains("\ncompact_migrate_scanned ")
                .contains("\ncompact_daemon_free_scanned 0\n");
        assertThat(vfs.node("/sys/kernel/tracing/events/compaction/mm_compaction_begin/enable"))
                .isNotNull();
        assertThat(vfs.node("/sys/kernel/tracing/events/migrate/mm_migrate_pages/enable"))
                .isNotNull();
        assertThat(vfs.write("/sys/kernel/tracing/set_event", "compaction:mm_compaction_end"))
                .isNull();
        assertThat(vfs.read("/sys/kernel/tracing/set_event")).isEqualTo("compaction:mm_compaction_end\n");
    }
}
