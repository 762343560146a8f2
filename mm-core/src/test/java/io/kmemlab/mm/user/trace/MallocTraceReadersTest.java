package io.kmemlab.mm.user.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.testing.Golden;
import io.kmemlab.mm.testing.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each format read into operations on ids: golden recordings of real and hand-made traces. */
class MallocTraceReadersTest {
    private static MallocTrace read(MallocTraceFormat f, String text) {
        return f.read("t", text);
    }

    @Test
    void rep_mawk_allOpsNoProblems() {
        // The real mawk trace of shared/malloc-traces: header 20000000 / 692 ids / 833 ops / 1.
        MallocTrace t = read(MallocTraceFormat.REP, Resources.text("/malloc-traces/mawk.rep"));
        assertThat(t.totalProblems()).as(t.reportedProblems().toString()).isZero();
        assertThat(t.size()).isEqualTo(833);
        assertThat(t.maxId()).isEqualTo(691);
        assertThat(t.count(MallocOp.MALLOC) + t.count(MallocOp.REALLOC)).isEqualTo(692 + t.count(MallocOp.REALLOC));
        assertThat(t.line(0)).isEqualTo(5);
        Golden.assertMatches("malloc/mawk.rep.read.txt", TraceDump.dump(t));
    }

    @Test
    void rep_headerOnOneLine_andCrLf() {
        // mdriver reads the header with fscanf: four numbers, wherever the line breaks fall.
        MallocTrace t = read(MallocTraceFormat.REP, "100 2 3 1\r\na 0 10\r\nr 0 20\r\nf 0\r\n");
        assertThat(t.totalProblems()).isZero();
        assertThat(t.size()).isEqualTo(3);
        assertThat(t.op(1)).isEqualTo(MallocOp.REALLOC);
        assertThat(t.requestSize(1)).isEqualTo(20);
    }

    @Test
    void ostep_opList_allocatesInOrder() {
        // OSTEP's malloc.py -A +10,-0,+3,+5,-2 (its README's example shape).
        MallocTrace t = read(MallocTraceFormat.OSTEP, "+10,-0,+3,+5,-2\n");
        assertThat(t.totalProblems()).isZero();
        Golden.assertMatches("malloc/ostep.read.txt", TraceDump.dump(t));
        assertThat(t.id(3)).isEqualTo(2);
        assertThat(t.op(4)).isEqualTo(MallocOp.FREE);
        assertThat(t.id(4)).isEqualTo(2);
    }

    @Test
    void mtrace_realGlibc236Log() {
        // A real log of glibc 2.36's mtrace() (glibc-mtrace-t.c): calloc logged as + of n·s, an
        // mmapped block, a realloc pair, posix_memalign, realloc(NULL), realloc(p, 0) as '-',
        // strdup with a symbolic caller, = Start and = End.
        MallocTrace t = read(MallocTraceFormat.MTRACE, Resources.text("/malloc-traces/glibc-mtrace-t.mtrace"));
        assertThat(t.totalProblems()).isZero();
        assertThat(t.count(MallocOp.MALLOC)).isEqualTo(6);
        assertThat(t.count(MallocOp.REALLOC)).isEqualTo(1);
        assertThat(t.count(MallocOp.FREE)).isEqualTo(4);
        Golden.assertMatches("malloc/glibc-mtrace-t.read.txt", TraceDump.dump(t));
    }

    @Test
    void mtrace_failedCallsAndNoEnd() {
        // glibc-mtrace-u.c: malloc(SIZE_MAX/2) logs '+ (nil) 0x7fff…', a failed realloc '!', and
        // without muntrace() the log has no '= End' (not a truncation).
        MallocTrace t = read(MallocTraceFormat.MTRACE, Resources.text("/malloc-traces/glibc-mtrace-u.mtrace"));
        assertThat(t.problems(TraceProblem.ABSURD_SIZE)).isEqualTo(2);
        assertThat(t.problems(TraceProblem.TRUNCATED)).isZero();
        assertThat(t.totalProblems()).isEqualTo(2);
        Golden.assertMatches("malloc/glibc-mtrace-u.read.txt", TraceDump.dump(t));
    }

    @Test
    void kmemlab_roundTrip_keepsCallocAndMemalign() {
        String text = "# kmemlab malloc trace 1\n# a comment\na 0 10\nc 1 4 25\nm 2 64 48\nr 0 100\nf 1\n# end 5 ops\n";
        MallocTrace t = read(MallocTraceFormat.KMEMLAB, text);
        assertThat(t.totalProblems()).isZero();
        assertThat(t.bytes(1)).isEqualTo(100);
        assertThat(t.arg(2)).isEqualTo(64);
        MallocTrace again = read(MallocTraceFormat.KMEMLAB, TraceDump.dump(t));
        assertThat(again.totalProblems()).isZero();
        assertThat(TraceDump.dump(again).replace("from t (kmemlab)", ""))
                .isEqualTo(TraceDump.dump(t).replace("from t (kmemlab)", "").replace("# 8 lines", "# 9 lines"));
        Golden.assertMatches("malloc/kmemlab.read.txt", TraceDump.dump(t));
    }

    @Test
    void detect_eachFormatFromItsFirstLines() {
        assertThat(MallocTraceFormat.detect(List.of("20000000", "692", "833", "1", "a 0 5")))
                .isEqualTo(MallocTraceFormat.REP);
        assertThat(MallocTraceFormat.detect(List.of("+10,-0,+3"))).isEqualTo(MallocTraceFormat.OSTEP);
        assertThat(MallocTraceFormat.detect(List.of("= Start", "@ ./t:[0x11c0] + 0x56480d2242a0 0xa")))
                .isEqualTo(MallocTraceFormat.MTRACE);
        assertThat(MallocTraceFormat.detect(List.of("+ 0x56480d2242a0 0xa"))).isEqualTo(MallocTraceFormat.MTRACE);
        assertThat(MallocTraceFormat.detect(List.of("# kmemlab malloc trace 1", "a 0 1")))
                .isEqualTo(MallocTraceFormat.KMEMLAB);
        assertThat(MallocTraceFormat.detect(List.of("a 0 2a0 24", "a 1 2c0 472")))
                .isNull();
        assertThat(AnswerFile.looksLike(List.of("a 0 2a0 24", "a 1 2c0 472"))).isTrue();
        assertThat(MallocTraceFormat.detect(List.of("hello world"))).isNull();
        assertThat(MallocTraceFormat.detect(List.of())).isNull();
    }
}
