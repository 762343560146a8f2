package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.testing.Cli;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 §7: the same page dumped by two reports prints the same {@code flags:} line. One report
 * is the slab layer's (free_large_kmalloc's "Not a kmalloc allocation"), the other the buddy
 * allocator's bad_page; both print through mm-core's one __dump_page formatter.
 */
class DumpPageAcceptanceTest {
    private static final Pattern DUMP =
            Pattern.compile("\\] page: refcount:(\\d+) mapcount:0 mapping:0{16} index:0x0 pfn:0x([0-9a-f]+)\n"
                    + "\\[[ 0-9.]+\\] (flags: 0x[0-9a-f]+\\([a-z|]*node=0\\|zone=\\d\\))\n");

    @Test
    void kfreeOfAPageThenADoubleFree_bothDumpsPrintTheKernelsFlagsLine() {
        Cli.Run r = Cli.run(
                "run",
                "--keep-going",
                "-e",
                "$a = alloc_pages 0\nkfree $a\n__free_pages $a 0\n__free_pages $a 0\n",
                "mem=1G");
        Matcher m = DUMP.matcher(r.out());
        List<String[]> dumps = new java.util.ArrayList<>();
        while (m.find()) {
            dumps.add(new String[] {m.group(1), m.group(2), m.group(3)});
        }
        assertThat(dumps).as(r.out()).hasSize(2);
        assertThat(r.out())
                .contains(
                        "page dumped because: Not a kmalloc allocation",
                        "page dumped because: VM_BUG_ON_PAGE(page_ref_count(page) == 0)");
        // same page, refcount 1 then 0, and one flags line for both (mem=1G: the page is in DMA32)
        assertThat(dumps.get(0)[1]).isEqualTo(dumps.get(1)[1]);
        assertThat(dumps.get(0)[0]).isEqualTo("1");
        assertThat(dumps.get(1)[0]).isEqualTo("0");
        assertThat(dumps.get(0)[2]).isEqualTo(dumps.get(1)[2]).isEqualTo("flags: 0x4000000000000000(node=0|zone=1)");
    }
}
