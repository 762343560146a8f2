package io.kmemlab.boot.malloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.testing.Resources;
import io.kmemlab.mm.user.trace.AnswerFile;
import io.kmemlab.mm.user.trace.MallocOp;
import io.kmemlab.mm.user.trace.MallocReplayer;
import io.kmemlab.mm.user.trace.MallocTrace;
import io.kmemlab.mm.user.trace.MallocTraceFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every user-space allocator on the class path (module malloc's, and the tests' tiny ones) replays
 * the real mawk trace in a process of a booted kernel: every op applies, nothing fails, the
 * allocator's invariants hold, and the kernel saw its system calls and faults. Where the real
 * allocator's answers are at hand (glibc 2.36, jemalloc 5.3), the op lines must be theirs.
 */
class EveryAllocatorAcceptanceTest {
    private static final MallocTrace MAWK =
            MallocTraceFormat.REP.read("mawk.rep", Resources.text("/malloc-traces/mawk.rep"));

    static Stream<String> allocators() {
        return UserAllocators.load().names().stream();
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void mawk_appliesEveryOp_inARealProcess(String name) {
        Kernel k = Kernel.boot(List.of("mem=256M")).kernel();
        MallocRun.Result r = MallocRun.run(k, MAWK, UserAllocators.load(), UserAllocators.Spec.parse(name), true);
        MallocFigures f = r.figures();
        assertThat(f.diedAt()).as(f.death()).isZero();
        assertThat(f.applied()).isEqualTo(MAWK.size());
        assertThat(f.nullReturns()).isZero();
        assertThat(f.invalid()).isEmpty();
        assertThat(f.totalSyscalls()).isPositive();
        assertThat(f.minflt()).isPositive();
        assertThat(f.rssKb()).isPositive();
        // The program had 905,391 bytes live at its peak: no heap can be smaller.
        assertThat(f.peakLiveRequested()).isEqualTo(905_391);
        assertThat(f.peakHeapBytes()).isGreaterThanOrEqualTo(f.peakLiveRequested());
        assertThat(r.ops()).hasSize((int) (MAWK.count(MallocOp.MALLOC) + MAWK.count(MallocOp.REALLOC)));
        // Usable sizes cover the requests (malloc_usable_size >= n).
        for (int i = 0, line = 0; i < MAWK.size(); i++) {
            if (MAWK.op(i).allocates()) {
                String[] field = r.ops().get(line++).split(" ");
                assertThat(Long.parseLong(field[3])).isGreaterThanOrEqualTo(MAWK.bytes(i));
            }
        }
        k.processes().processes().forEach(p -> assertThat(p.alive()).isFalse());
        // Used as the malloc lab's driver uses its blocks: realloc keeps the bytes, calloc zeroes.
        MallocFigures filled = MallocRun.run(
                        k,
                        MAWK,
                        UserAllocators.load(),
                        UserAllocators.Spec.parse(name),
                        new MallocReplayer.Settings(true),
                        false)
                .figures();
        assertThat(filled.dataErrors())
                .as("first at line %d", filled.firstDataErrorLine())
                .isZero();
        assertThat(filled.invalid()).isEmpty();
        assertThat(filled.rssKb()).isGreaterThan(f.rssKb() - 1);
    }

    @ParameterizedTest
    @MethodSource("answers")
    void mawk_opLines_areTheRealAllocators(String name, String answerFile) {
        assumeTrue(UserAllocators.load().names().contains(name), name + " is not on the class path");
        Kernel k = Kernel.boot(List.of("mem=256M")).kernel();
        MallocRun.Result r = MallocRun.run(k, MAWK, UserAllocators.load(), UserAllocators.Spec.parse(name), true);
        AnswerFile answers = AnswerFile.read(Resources.text("/malloc-traces/" + answerFile));
        AnswerFile.Comparison c = answers.compare(r.ops());
        assertThat(c.firstDifference())
                .as(
                        "first difference: %s",
                        c.firstDifference() < 0 ? "" : answers.ops().get(c.firstDifference()))
                .isEqualTo(-1);
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> answers() {
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of("glibc", "mawk.glibc-2.36.out"),
                org.junit.jupiter.params.provider.Arguments.of("jemalloc", "mawk.jemalloc-5.3.out"));
    }
}
