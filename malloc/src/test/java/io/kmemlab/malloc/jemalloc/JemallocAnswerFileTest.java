package io.kmemlab.malloc.jemalloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.testing.FlatUserSpace;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replays real programs' traces (mawk, git log -p, bash; recorded on Debian 12) and compares with
 * what Debian's libjemalloc2 5.3.0 answered for the same replay: every usable size, stats.allocated
 * and stats.active, and each bin's counters in malloc_stats_print's JSON.
 */
class JemallocAnswerFileTest {
    private static final Pattern BIN = Pattern.compile(
            "\\{\"nmalloc\":(\\d+),\"ndalloc\":(\\d+),\"curregs\":(\\d+),\"nrequests\":(\\d+),\"nfills\":(\\d+),"
                    + "\"nflushes\":(\\d+),\"nreslabs\":(\\d+),\"curslabs\":(\\d+),\"nonfull_slabs\":(\\d+)");

    record Run(List<String> got, List<String> want) {}

    static Run run(String name, String conf) throws IOException {
        List<String> rep = TraceReplayer.readXz("/jemalloc/" + name + ".rep.xz");
        String tag = conf.isEmpty() ? "" : "." + conf.replace(':', '-').replace(',', '+');
        List<String> want = TraceReplayer.readXz("/jemalloc/" + name + ".jemalloc-5.3" + tag + ".out.xz");
        Jemalloc je = new Jemalloc(new FlatUserSpace(), JemallocConfig.parse(conf));
        List<String> got = TraceReplayer.replay(rep, je);
        assertThat(je.validate()).isEmpty();
        return new Run(got, want);
    }

    static List<String> ops(List<String> lines) {
        return lines.stream()
                .filter(l -> l.startsWith("a ") || l.startsWith("r "))
                .toList();
    }

    static String figure(List<String> lines, String key) {
        return lines.stream()
                .filter(l -> l.startsWith("# " + key + " "))
                .findFirst()
                .orElse("?");
    }

    static String json(List<String> lines) {
        return lines.stream().filter(l -> l.startsWith("{")).findFirst().orElse("");
    }

    /** Per bin: nmalloc ndalloc curregs nrequests nfills nflushes nreslabs curslabs nonfull_slabs. */
    static List<String> bins(String json) {
        int at = json.indexOf("\"bins\":[");
        List<String> rows = new ArrayList<>();
        Matcher m = BIN.matcher(json);
        int b = 0;
        while (at >= 0 && m.find(at) && rows.size() < SizeClasses.NBINS) {
            StringBuilder sb = new StringBuilder("bin " + (b++) + " size " + SizeClasses.index2size(rows.size()));
            String[] names = {
                "nmalloc",
                "ndalloc",
                "curregs",
                "nrequests",
                "nfills",
                "nflushes",
                "nreslabs",
                "curslabs",
                "nonfull_slabs"
            };
            for (int k = 0; k < names.length; k++) {
                sb.append(' ').append(names[k]).append('=').append(m.group(k + 1));
            }
            rows.add(sb.toString());
            at = m.end();
        }
        return rows;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mawk", "git", "bash"})
    void usableSizes_matchJemallocOpForOp(String name) throws IOException {
        Run r = run(name, "");
        assertThat(ops(r.got())).containsExactlyElementsOf(ops(r.want()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mawk", "git", "bash"})
    void allocatedAndActive_matchJemalloc(String name) throws IOException {
        Run r = run(name, "");
        for (String k : new String[] {"stats.allocated", "stats.active"}) {
            assertThat(figure(r.got(), k)).as(k).isEqualTo(figure(r.want(), k));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mawk", "git", "bash"})
    void binCounters_matchJemalloc(String name) throws IOException {
        Run r = run(name, "");
        assertThat(bins(json(r.got()))).containsExactlyElementsOf(bins(json(r.want())));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mawk", "git", "bash"})
    void metadataResidentMappedRetained_matchJemalloc(String name) throws IOException {
        Run r = run(name, "");
        for (String k : new String[] {"stats.metadata", "stats.resident", "stats.mapped", "stats.retained"}) {
            assertThat(figure(r.got(), k)).as(k).isEqualTo(figure(r.want(), k));
        }
    }

    /**
     * More programs (sort, ls -laR, python3 building a dict, sed, tar, find, perl filling a hash),
     * recorded here with the shared recorder, and git's trace under MALLOC_CONF settings that change
     * the library's decisions; answers made by the real library (each replayed twice and kept only
     * when both runs agreed). Everything is compared: usable sizes, the six stats.* figures and every
     * bin counter.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "sort",
                "ls",
                "python3",
                "sed",
                "tar",
                "find",
                "perl",
                "git narenas:1",
                "git narenas:16",
                "git tcache:false",
                "git narenas:1,tcache:false",
                "git dirty_decay_ms:0",
                "git muzzy_decay_ms:1000",
                "git retain:false",
                "git tcache_max:4096",
                "git lg_tcache_nslots_mul:0",
                "git tcache_nslots_small_max:64",
                "git tcache_gc_incr_bytes:8192",
                "git tcache_gc_delay_bytes:4096",
                "git lg_tcache_flush_small_div:2",
                "git lg_extent_max_active_fit:2",
                "git oversize_threshold:1048576",
                "git oversize_threshold:65536",
                "git oversize_threshold:0"
            })
    void moreProgramsAndOptions_matchJemallocExactly(String spec) throws IOException {
        String[] p = spec.split(" ", 2);
        Run r = run(p[0], p.length > 1 ? p[1] : "");
        assertThat(ops(r.got())).containsExactlyElementsOf(ops(r.want()));
        for (String k : Jemalloc.FIGURES) {
            assertThat(figure(r.got(), k)).as(k).isEqualTo(figure(r.want(), k));
        }
        assertThat(bins(json(r.got()))).containsExactlyElementsOf(bins(json(r.want())));
    }
}
