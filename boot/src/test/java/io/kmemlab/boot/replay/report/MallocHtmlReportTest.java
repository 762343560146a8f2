package io.kmemlab.boot.replay.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.MallocFigures;
import io.kmemlab.boot.malloc.MallocReport;
import io.kmemlab.boot.malloc.MallocTraceFiles;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.boot.testing.Golden;
import io.kmemlab.mm.testing.Resources;
import io.kmemlab.mm.user.trace.MallocReplayer;
import io.kmemlab.mm.user.trace.MallocTrace;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The page of {@code kmemlab report malloc}: its data pinned on a small trace (report-small.rep:
 * 87 operations with one block glibc mmaps) through glibc, jemalloc and first fit on 64 MiB
 * machines; its sections; the heap maps against each allocator's own figures; the physical maps'
 * page-table and user pages against the process's counters; and the same bytes from the same input.
 */
class MallocHtmlReportTest {
    static final List<String> ALLOCATORS = List.of("glibc", "jemalloc", "first-fit");
    static final List<String> WORDS = List.of("mem=64M", "nr_cpus=2");

    record Small(MallocTrace trace, List<MallocHtmlReport.Run> runs) {
        String page() {
            return MallocHtmlReport.render(trace.name(), MallocReport.header(trace), "mem=64M nr_cpus=2", runs);
        }

        String data() {
            return MallocHtmlReport.data(trace.name(), runs);
        }
    }

    /** The resource as a file of its own name (the trace's name, and the process's comm). */
    static MallocTrace trace(String resource) throws Exception {
        Path dir = Files.createTempDirectory("kmemlab-report-malloc");
        Path file = dir.resolve(Path.of(resource).getFileName().toString());
        Files.writeString(file, Resources.text(resource), StandardCharsets.UTF_8);
        try {
            return MallocTraceFiles.read(file.toString(), InputStream.nullInputStream(), null);
        } finally {
            Files.delete(file);
            Files.delete(dir);
        }
    }

    static Small run(String resource, List<String> allocators) throws Exception {
        MallocTrace t = trace(resource);
        UserAllocators all = UserAllocators.load();
        List<MallocHtmlReport.Run> runs = new ArrayList<>();
        for (String a : allocators) {
            runs.add(MallocHtmlReport.run(
                    () -> Kernel.boot(WORDS).kernel(),
                    t,
                    all,
                    UserAllocators.Spec.parse(a),
                    new MallocReplayer.Settings(false)));
        }
        return new Small(t, runs);
    }

    static Small small() throws Exception {
        return run("/malloc/report-small.rep", ALLOCATORS);
    }

    @Test
    void data_smallTrace_matchesGolden() throws Exception {
        Golden.assertMatches("report-malloc-small-data.json", small().data() + "\n");
    }

    @Test
    void page_hasEverySectionAndOneDataDocument_andNeedsNoNetwork() throws Exception {
        Small s = small();
        String html = s.page();
        for (String id : List.of(
                "summary",
                "memory",
                "fragmentation",
                "heap",
                "map",
                "kmemlab-data",
                "hbytes",
                "hzoom",
                "zoom",
                "tip")) {
            assertThat(html).contains("id=\"" + id + "\"");
        }
        assertThat(count(html, "<svg class=\"chart\"")).isEqualTo(5);
        assertThat(count(html, "<polyline class=\"series\"")).isEqualTo(5 * ALLOCATORS.size());
        assertThat(html).doesNotContain("http://").doesNotContain("https://").doesNotContain(" src=");
        assertThat(html).contains(s.data().replace("</", "<\\/"));
        assertThat(count(html, "</script>")).isEqualTo(2);
        assertThat(html)
                .contains(MallocReport.table(figures(s)).lines().findFirst().orElseThrow());
    }

    @Test
    void heapColours_everyKeyOfEveryMapHasOne() throws Exception {
        Small s = small();
        List<String> keys = new ArrayList<>();
        for (MallocHtmlReport.Run r : s.runs()) {
            keys.addAll(r.probe().heapPeak().legend());
            keys.addAll(r.probe().heapEnd().legend());
        }
        assertThat(keys).contains("allocated:mmapped", "free:tcache", "metadata:base");
        assertThat(MallocHtmlReport.heapColours(keys)).containsOnlyKeys(new java.util.HashSet<>(keys));
    }

    @Test
    void render_sameInputTwice_sameBytes() throws Exception {
        assertThat(small().page()).isEqualTo(small().page());
    }

    /**
     * Every run repeats its peak; glibc's end map tiles its brk heap (the heap less the mmapped
     * block) and then the mmapped block's mapping, its allocated chunks are the live usable bytes plus a header word each, and jemalloc's
     * and first fit's allocated chunks cover at least the live usable bytes (first fit's blocks
     * tile its heap but for the boundary tags at its ends).
     */
    @Test
    void heapMaps_agreeWithEachAllocatorsFigures() throws Exception {
        Small s = small();
        for (MallocHtmlReport.Run r : s.runs()) {
            MallocFigures f = r.figures();
            assertThat(r.peakRepeated()).as(f.allocator()).isTrue();
            assertThat(r.peakLine()).isPositive();
            HeapMap end = r.probe().heapEnd();
            HeapMap peak = r.probe().heapPeak();
            assertThat(end).as(f.allocator()).isNotNull();
            assertThat(peak).isNotNull();
            long allocated = end.bytes("allocated");
            int n = 0;
            for (int i = 0; i < end.chunks().length; i += HeapMap.CHUNK_FIELDS) {
                if (end.legend().get((int) end.chunks()[i + 2]).equals("allocated")) {
                    n++;
                }
            }
            switch (f.allocator()) {
                case "glibc" -> {
                    // the brk heap, then the 200000-byte block's own mapping (request + 8, in pages)
                    long mmapped = (200_000 + 8 + 4095) & ~4095L;
                    assertThat(end.segments()).hasSize(4);
                    assertThat(end.segments()[1]).isEqualTo(f.finalHeapBytes() - mmapped);
                    assertThat(end.segments()[3]).isEqualTo(mmapped);
                    assertThat(end.bytes("allocated:mmapped")).isEqualTo(mmapped);
                    // each brk chunk is its usable bytes and a size word; an mmapped one two words more
                    assertThat(allocated - 8L * n).isEqualTo(f.liveUsable() - (mmapped - 16));
                    assertThat(end.legend()).contains("top", "metadata:tcache_perthread_struct");
                }
                case "jemalloc" -> {
                    assertThat(allocated).isGreaterThanOrEqualTo(f.liveUsable());
                    assertThat(end.legend()).contains("metadata:base", "free:retained extent");
                }
                default -> {
                    assertThat(allocated).isGreaterThanOrEqualTo(f.liveUsable());
                    // the blocks tile the brk heap but for its prologue and epilogue tags
                    assertThat(f.finalHeapBytes() - end.segments()[1]).isBetween(0L, 32L);
                }
            }
        }
    }

    /**
     * The physical maps name the process's frames: its page tables are VmPTE plus the PGD, its
     * anonymous pages its anonymous RSS, all owned by its pid; at the end, before the process
     * exits.
     */
    @Test
    void physicalMaps_pageTablesAndUserPagesAreTheProcesss() throws Exception {
        Small s = small();
        for (MallocHtmlReport.Run r : s.runs()) {
            MallocFigures f = r.figures();
            MemoryMap end = r.probe().physicalEnd();
            assertThat(end.frames("page table")).as(f.allocator()).isEqualTo(f.pageTablesKb() / 4 + 1);
            assertThat(end.frames("user anon") + end.frames("user file") + end.frames("user shmem"))
                    .as(f.allocator() + " RSS")
                    .isEqualTo(f.rssKb() / 4);
            assertThat(end.owners()).anyMatch(o -> o.startsWith("pid " + f.pid() + " (") && o.contains(", VMA "));
            assertThat(end.owners()).contains("pid " + f.pid() + " (" + ownerComm(end) + "): PGD");
            assertThat(r.probe().physicalPeak().frames("page table")).isPositive();
        }
    }

    private static String ownerComm(MemoryMap m) {
        for (String o : m.owners()) {
            int open = o.indexOf('(');
            if (o.startsWith("pid ") && open > 0) {
                return o.substring(open + 1, o.indexOf(')'));
            }
        }
        return "?";
    }

    private static List<MallocFigures> figures(Small s) {
        List<MallocFigures> f = new ArrayList<>();
        for (MallocHtmlReport.Run r : s.runs()) {
            f.add(r.figures());
        }
        return f;
    }

    private static int count(String s, String what) {
        Matcher m = Pattern.compile(Pattern.quote(what)).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** The page as the command writes it, for the browser check. */
    static Path writePage(Path file) throws Exception {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, small().page(), StandardCharsets.UTF_8);
        return file;
    }
}
