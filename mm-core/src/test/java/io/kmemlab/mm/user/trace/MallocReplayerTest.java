package io.kmemlab.mm.user.trace;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.testing.FlatUserSpace;
import io.kmemlab.mm.testing.Resources;
import io.kmemlab.mm.testing.TinyBrkAllocator;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserHeapMetric;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A trace replayed into an allocator, printed as the answer files print it, and compared. */
class MallocReplayerTest {
    private static List<String> replay(MallocTrace t, List<String> out) {
        FlatUserSpace space = new FlatUserSpace();
        TinyBrkAllocator a = new TinyBrkAllocator(space, "tiny", true);
        MallocReplayer.Outcome o = MallocReplayer.replay(t, a, space, (i, ptr, usable, heapEnd) -> {
            if (t.op(i).allocates()) {
                out.add(OpsFormat.line(t.op(i).answerLetter(), t.id(i), ptr, usable, space.startBrk(), heapEnd));
            }
        });
        assertThat(o.invalid()).isEmpty();
        assertThat(o.applied()).isEqualTo(t.size());
        return out;
    }

    @Test
    void ops_offsetsFromTheInitialBreak_mmapForOwnMappings() {
        MallocTrace t = MallocTraceFormat.REP.read("t", "0\n4\n6\n1\na 0 10\na 1 200000\nr 0 40\nf 1\na 2 10\na 3 0\n");
        List<String> lines = replay(t, new ArrayList<>());
        // 10 bytes: an 8-byte header, a 24-byte block; realloc moves to a 48-byte block after it; the
        // freed 24-byte block is reused for id 2.
        assertThat(lines).containsExactly("a 0 8 24", "a 1 mmap 200696", "r 0 28 40", "a 2 8 24", "a 3 58 8");
    }

    @Test
    void ops_withoutABrkHeap_printDash() {
        assertThat(OpsFormat.line('a', 7, 0x7f0000001000L, 4096, 0x555555559000L, 0x555555559000L))
                .isEqualTo("a 7 - 4096");
        assertThat(OpsFormat.line('a', 7, 0, 0, 0x1000, 0x5000)).isEqualTo("a 7 - 0");
        assertThat(OpsFormat.line('r', 7, 0x12a0, 24, 0x1000, 0x5000)).isEqualTo("r 7 2a0 24");
    }

    @Test
    void mawk_answers_comparedLineByLine() {
        MallocTrace t = MallocTraceFormat.REP.read("mawk.rep", Resources.text("/malloc-traces/mawk.rep"));
        AnswerFile glibc = AnswerFile.read(Resources.text("/malloc-traces/mawk.glibc-2.36.out"));
        // replay.c prints one line per a/r op: 692 mallocs and the reallocs of mawk.
        assertThat(glibc.ops()).hasSize((int) (t.count(MallocOp.MALLOC) + t.count(MallocOp.REALLOC)));
        assertThat(glibc.problems()).isEmpty();
        assertThat(glibc.trailer().get(0)).startsWith("# mallinfo2 arena=946176 ");
        assertThat(glibc.compare(glibc.ops()).exact()).isTrue();
        assertThat(glibc.compare(glibc.ops()).identicalShare()).isEqualTo(1.0);

        List<String> ours = replay(t, new ArrayList<>());
        AnswerFile.Comparison c = glibc.compare(ours);
        assertThat(c.ourOps()).isEqualTo(c.answerOps());
        // The tiny allocator is not glibc: the first line already differs (glibc's tcache header
        // puts the first chunk at 0x2a0), but usable sizes of 24 agree where glibc's do.
        assertThat(c.firstDifference()).isZero();
        assertThat(c.identical()).isLessThan(c.answerOps());
        assertThat(c.sameUsable()).isPositive();

        AnswerFile jemalloc = AnswerFile.read(Resources.text("/malloc-traces/mawk.jemalloc-5.3.out"));
        assertThat(jemalloc.ops()).hasSize(glibc.ops().size());
        assertThat(jemalloc.ops().get(0)).isEqualTo("a 0 - 8");
    }

    @Test
    void answers_oneLineChanged_shareDrops() {
        AnswerFile a = AnswerFile.read("a 0 2a0 24\na 1 2c0 472\nr 1 2c0 2056\n# brk_end_offset 21000\n<xml/>\n");
        AnswerFile.Comparison c = a.compare(List.of("a 0 2a0 24", "a 1 2c0 480", "r 1 2c0 2056"));
        assertThat(c.identical()).isEqualTo(2);
        assertThat(c.samePlace()).isEqualTo(3);
        assertThat(c.sameUsable()).isEqualTo(2);
        assertThat(c.firstDifference()).isEqualTo(1);
        assertThat(c.identicalShare()).isEqualTo(2.0 / 3);
        assertThat(a.compare(List.of("a 0 2a0 24")).firstDifference()).isEqualTo(1);
        assertThat(a.trailer()).containsExactly("# brk_end_offset 21000", "<xml/>");
    }

    @Test
    void answers_badLines_reportedWithTheirNumbers() {
        AnswerFile a = AnswerFile.read("a 0 2a0 24\nq 1 2c0 472\na 2 zz 3\na 3 2c0");
        assertThat(a.ops()).containsExactly("a 0 2a0 24");
        assertThat(a.problems())
                .extracting(MallocTrace.Problem::report)
                .containsExactly(
                        "line 2: malformed line: 'q 1 2c0 472'",
                        "line 3: malformed line: 'a 2 zz 3'",
                        "line 4: truncated file: 'a 3 2c0'");
    }

    @Test
    void fill_catchesAReallocThatLosesData_andACallocNotZeroed() {
        // The CS:APP driver's check: a realloc that forgets to copy loses the id's bytes (0x05 here;
        // id 0 would fill with zeros, which fresh memory holds anyway).
        MallocTrace t = MallocTraceFormat.KMEMLAB.read(
                "t", "# kmemlab malloc trace 1\na 5 100\nr 5 5000\nf 5\na 1 64\nf 1\nc 2 4 16\n# end 6 ops\n");
        FlatUserSpace space = new FlatUserSpace();
        TinyBrkAllocator tiny = new TinyBrkAllocator(space, "tiny", true);
        UserAllocator forgetful = new ForgetfulRealloc(tiny);
        MallocReplayer.Outcome o = MallocReplayer.replay(t, forgetful, space, new MallocReplayer.Settings(true), null);
        // Line 3: the realloc; line 7: calloc reuses id 1's 64-byte block (its bytes still 0x01).
        assertThat(o.dataErrors()).isEqualTo(2);
        assertThat(o.firstDataErrorLine()).isEqualTo(3);
        FlatUserSpace clean = new FlatUserSpace();
        TinyBrkAllocator good = new TinyBrkAllocator(clean, "tiny", true);
        assertThat(MallocReplayer.replay(t, good, clean, new MallocReplayer.Settings(true), null)
                        .dataErrors())
                .isZero();
        // Filled, the blocks are the process's memory: the heap's pages were faulted in.
        assertThat(clean.minflt()).isPositive();
    }

    /** realloc without the copy, calloc without the zeroing: what the fill check is for. */
    private record ForgetfulRealloc(TinyBrkAllocator a) implements UserAllocator {
        @Override
        public String name() {
            return "forgetful";
        }

        @Override
        public long malloc(long size) {
            return a.malloc(size);
        }

        @Override
        public void free(long ptr) {
            a.free(ptr);
        }

        @Override
        public long realloc(long ptr, long size) {
            long q = a.malloc(size);
            a.free(ptr);
            return q;
        }

        @Override
        public long calloc(long n, long size) {
            return a.malloc(n * size);
        }

        @Override
        public long memalign(long alignment, long size) {
            return a.memalign(alignment, size);
        }

        @Override
        public long usableSize(long ptr) {
            return a.usableSize(ptr);
        }

        @Override
        public List<String> validate() {
            return a.validate();
        }

        @Override
        public UserHeapMetric metric() {
            return a.metric();
        }
    }
}
