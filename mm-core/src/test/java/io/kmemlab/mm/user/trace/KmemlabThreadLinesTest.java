package io.kmemlab.mm.user.trace;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** kmemlab's recording with {@code t TID} lines: a multi-threaded program's operations by thread. */
class KmemlabThreadLinesTest {
    @Test
    void threadLines_nameTheThreadOfTheFollowingOps_andAreNotOps() {
        // the shape scripts/mt-record.c writes: a producer's mallocs, a consumer's frees
        String text = "# kmemlab malloc trace 1\nt 1\na 0 24\na 1 111\nt 2\nf 0\nr 1 200\nt 1\nf 1\n# end 5 ops\n";
        MallocTrace t = MallocTraceFormat.KMEMLAB.read("mt", text);
        assertThat(t.totalProblems()).isZero();
        assertThat(t.size()).isEqualTo(5);
        assertThat(t.nrThreads()).isEqualTo(3);
        assertThat(new int[] {t.thread(0), t.thread(1), t.thread(2), t.thread(3), t.thread(4)})
                .containsExactly(1, 1, 2, 2, 1);
    }

    @Test
    void aTraceWithoutThreadLines_isAllTheMainThreads() {
        MallocTrace t = MallocTraceFormat.KMEMLAB.read("st", "# kmemlab malloc trace 1\na 0 8\nf 0\n# end 2 ops\n");
        assertThat(t.nrThreads()).isEqualTo(1);
        assertThat(t.thread(1)).isZero();
    }

    @Test
    void aBadThreadLine_isReportedWithItsLineNumber_andTheRunGoesOn() {
        MallocTrace t = MallocTraceFormat.KMEMLAB.read(
                "bad", "# kmemlab malloc trace 1\nt x\na 0 8\nt 5000\nf 0\n# end 2 ops\n");
        assertThat(t.size()).isEqualTo(2);
        assertThat(t.problems(TraceProblem.MALFORMED)).isEqualTo(2);
        assertThat(t.reportedProblems().get(0).line()).isEqualTo(2);
        assertThat(t.reportedProblems().get(1).line()).isEqualTo(4);
        assertThat(t.nrThreads()).isEqualTo(1);
    }
}
