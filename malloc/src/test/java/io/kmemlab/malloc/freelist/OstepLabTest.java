package io.kmemlab.malloc.freelist;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.testing.Golden;
import io.kmemlab.mm.user.UserHeapLab;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OSTEP's malloc.py, run here: {@code golden/ostep/cases.txt} names each case, where its golden
 * output came from, and its arguments. "original" goldens are the output of malloc.py itself
 * (ostep-homework 6c6cfc7e, python3 3.11), byte for byte; "fixed" goldens come from a copy of
 * malloc.py patched the way {@link OstepMalloc} differs (size-sorted lists kept sorted, searches
 * stopping where the order allows, next fit) — a second, independent implementation of the fix.
 */
class OstepLabTest {

    record Case(String name, String source, String args) {
        @Override
        public String toString() {
            return name + " (" + source + "): " + args;
        }
    }

    static Stream<Case> cases() throws IOException {
        List<Case> cases = new ArrayList<>();
        try (InputStream in = OstepLabTest.class.getResourceAsStream("/golden/ostep/cases.txt")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    String[] f = line.split("\\|", 3);
                    cases.add(new Case(f[0], f[1], f[2]));
                }
            }
        }
        assertThat(cases).hasSizeGreaterThan(30);
        return cases.stream();
    }

    private static String[] run(String args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int rc = new OstepLab()
                .run(
                        args.isEmpty() ? List.of() : Arrays.asList(args.split(" ")),
                        new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {
            Integer.toString(rc), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)
        };
    }

    @ParameterizedTest
    @MethodSource("cases")
    void output_isMallocPys(Case c) {
        String[] r = run(c.args());
        assertThat(r[2]).isEmpty();
        assertThat(r[0]).isEqualTo("0");
        Golden.assertMatches("ostep/" + c.name() + ".txt", r[1]);
    }

    @Test
    void theLabIsFoundByServiceLoader() {
        assertThat(ServiceLoader.load(UserHeapLab.class).stream()
                        .map(p -> p.get().name()))
                .contains("ostep");
    }

    @Test
    void sortedLists_countFewerElementsThanMallocPy_forTheSameBlocks() {
        // best fit under SIZESORT+: the first fit is the best; malloc.py walks on to the end
        String fixed = run("-A +5,+10,+5,+10,-0,-2,+4 -p BEST -l SIZESORT+ -c")[1];
        assertThat(fixed).contains("ptr[4] = Alloc(4) returned 1000 (searched 1 elements)");
        // worst fit under SIZESORT-: the head is the largest
        String worst = run("-A +5,+10,-0,+50 -p WORST -l SIZESORT- -c")[1];
        assertThat(worst).contains("ptr[2] = Alloc(50) returned 1015 (searched 1 elements)");
        // best fit under SIZESORT-: stops at the first block too small
        String desc = run("-A +5,+10,+20,-0,-1,-2,+8 -p BEST -l SIZESORT- -c")[1];
        assertThat(desc)
                .contains("Free List [ Size 4 ]: [ addr:1035 sz:65 ][ addr:1015 sz:20 ][ addr:1005 sz:10 ]"
                        + "[ addr:1000 sz:5 ]");
        assertThat(desc).contains("ptr[3] = Alloc(8) returned 1005 (searched 4 elements)");
    }

    @Test
    void badOptions_areUsageErrors() {
        String[] r = run("-n x");
        assertThat(r[0]).isEqualTo("2");
        assertThat(r[2]).contains("error: option -n: invalid integer value: 'x'");
        assertThat(run("-p SOMETIMES -c")[2]).contains("policy SOMETIMES is not one of");
        assertThat(run("-A +1,*3 -c")[2]).contains("badly specified operand");
        assertThat(run("--bogus")[2]).contains("no such option: --bogus");
        assertThat(run("-a 0")[0]).isEqualTo("2");
        assertThat(run("-h")[1]).contains("-A OPSLIST, --allocList=OPSLIST");
    }

    @Test
    void optparseSpellings_meanTheSame() {
        String a = run("-n 7 -s 3 -c -C")[1];
        assertThat(run("-n7 -s3 -cC")[1]).isEqualTo(a);
        assertThat(run("--numOps=7 --seed 3 --compute --coalesce")[1]).isEqualTo(a);
        assertThat(run("--num=7 --se=3 --comp --coal")[1]).isEqualTo(a);
    }
}
