package io.kmemlab.mm.user.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every kind of bad input: reported with its line number, counted, and the reading goes on. */
class MallocTraceBadInputTest {
    private static MallocTrace rep(String ops, int numIds, int numOps) {
        return MallocTraceFormat.REP.read("t", "20000000\n" + numIds + "\n" + numOps + "\n1\n" + ops);
    }

    private static String reports(MallocTrace t) {
        StringBuilder sb = new StringBuilder();
        t.reportedProblems().forEach(p -> sb.append(p.report()).append('\n'));
        return sb.toString();
    }

    @Test
    void rep_eachIdMistake_namedWithItsLine() {
        MallocTrace t = rep(
                "a 0 8\nf 1\nf 0\nf 0\nr 0 16\nr 2 16\na 3 8\na 3 8\na 9 8\na 4 -5\na 5 999999999999999999\nx 1\na 6\n",
                8,
                13);
        assertThat(reports(t))
                .isEqualTo("line 6: free of an id never allocated: f 1\n"
                        + "line 8: free of a freed id: f 0\n"
                        + "line 9: realloc of a freed id: r 0 16\n"
                        + "line 10: realloc of an id never allocated: r 2 16\n"
                        + "line 13: unknown id: a 9 8 (the header declares 8 ids)\n"
                        + "line 14: negative size: a 4 -5\n"
                        + "line 15: absurd size: a 5 999999999999999999 (more than the 128 TiB user address space)\n"
                        + "line 16: malformed line: 'x 1' (an op is a, r or f)\n"
                        + "line 17: malformed line: 'a 6' (no size)\n");
        // The good ones all stay: a 0, f 0, a 3 and a 3 again (the first block leaks, as in replay.c).
        assertThat(t.size()).isEqualTo(4);
        assertThat(t.liveIdReuses()).isEqualTo(1);
        assertThat(t.totalProblems()).isEqualTo(9);
        assertThat(t.problems(TraceProblem.DOUBLE_FREE)).isEqualTo(1);
    }

    @Test
    void rep_fewerOpsThanTheHeader_isTruncated() {
        MallocTrace t = rep("a 0 8\nf 0\n", 1, 5);
        assertThat(reports(t)).isEqualTo("line 7: truncated file: the header promises 5 ops, the file ends after 2\n");
        assertThat(t.size()).isEqualTo(2);
    }

    @Test
    void rep_lastLineCutOff_isTruncated() {
        // A copy that stopped mid-line: 'a 1' with no newline and no size.
        MallocTrace t = rep("a 0 8\na 1", 2, 2);
        assertThat(reports(t)).isEqualTo("line 6: truncated file: last line cut off: 'a 1'\n");
        assertThat(t.size()).isEqualTo(1);
    }

    @Test
    void rep_headerEndsEarly() {
        MallocTrace t = MallocTraceFormat.REP.read("t", "20000000\n692\n");
        assertThat(reports(t)).isEqualTo("line 3: truncated file: the file ends inside the header (2 of 4 numbers)\n");
    }

    @Test
    void ostep_badItemsAndFreesOfUnallocatedPointers() {
        MallocTrace t = MallocTraceFormat.OSTEP.read("t", "+10,-0,-0,*3,-7\n+4,--1\n");
        assertThat(reports(t))
                .isEqualTo("line 1: free of a freed id: f 0\n"
                        + "line 1: malformed line: '*3' (items are +SIZE to allocate, -INDEX to free)\n"
                        + "line 1: free of an id never allocated: f 7\n"
                        + "line 2: malformed line: '--1' (items are +SIZE to allocate, -INDEX to free)\n");
        assertThat(t.size()).isEqualTo(3);
    }

    @Test
    void mtrace_unknownAddressesAndBrokenPairs() {
        String log = "= Start\n"
                + "@ ./t:[0x11c0] + 0x1000 0x10\n"
                + "@ ./t:[0x11c8] - 0x2000\n"
                + "@ ./t:[0x11d0] < 0x1000\n"
                + "@ ./t:[0x11d8] + 0x3000 0x20\n"
                + "> 0x4000 0x30\n"
                + "@ ./t:[0x11e0] < 0x5000\n"
                + "@ ./t:[0x11e0] > 0x6000 0x40\n"
                + "+ 0x3000 0x8\n"
                + "- 0x3000 0x8\n"
                + "@ ./t:[0x11f0] ? 0x1\n"
                + "@ ./t:[0x11f8] < 0x3000";
        MallocTrace t = MallocTraceFormat.MTRACE.read("t", log);
        assertThat(reports(t))
                .isEqualTo("line 3: free of an address never allocated: - 0x2000\n"
                        + "line 4: malformed line: '<' not followed by its '>' line\n"
                        + "line 6: malformed line: '> 0x4000 0x30' ('>' without its '<' line)\n"
                        + "line 7: free of an address never allocated: < 0x5000 (realloc of it replays as malloc)\n"
                        + "line 9: allocation of a live address: + 0x3000 is live already (a free is missing)\n"
                        + "line 10: malformed line: '- 0x3000 0x8' (extra fields)\n"
                        + "line 11: malformed line: '@ ./t:[0x11f0] ? 0x1' (the operation is one of + - < > !)\n"
                        + "line 12: truncated file: the file ends after '<' without its '>' line\n");
    }

    @Test
    void kmemlab_withoutItsEndLine_isTruncated() {
        MallocTrace t = MallocTraceFormat.KMEMLAB.read("t", "# kmemlab malloc trace 1\na 0 8\nf 0\n");
        assertThat(reports(t))
                .isEqualTo("line 4: truncated file: no '# end N ops' line (the recording stops after 2 ops)\n");
        MallocTrace short_ = MallocTraceFormat.KMEMLAB.read("t", "# kmemlab malloc trace 1\na 0 8\n# end 2 ops\n");
        assertThat(reports(short_)).isEqualTo("line 3: truncated file: the end line counts 2 ops, the file has 1\n");
    }

    @Test
    void manyProblems_allCounted_firstOnesKept() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            sb.append("f ").append(i).append('\n');
        }
        MallocTrace t = rep(sb.toString(), 1000, 1000);
        assertThat(t.problems(TraceProblem.NEVER_ALLOCATED)).isEqualTo(1000);
        assertThat(t.reportedProblems()).hasSize(MallocTrace.MAX_REPORTED);
        assertThat(t.size()).isZero();
    }
}
