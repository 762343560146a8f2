package io.kmemlab.mm.user.trace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Any text, in any format, reads without an exception; every operation kept is valid against an
 * independent model of the ids' history; a recording reads back as the same operations.
 */
class MallocTracePropertyTest {
    @Provide
    Arbitrary<String> repLine() {
        Arbitrary<String> op = Arbitraries.of("a", "r", "f", "x", "", "a a");
        Arbitrary<String> id = Arbitraries.oneOf(
                Arbitraries.integers().between(0, 12).map(String::valueOf), Arbitraries.of("-1", "z", "99999999999"));
        Arbitrary<String> size = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 5000).map(String::valueOf),
                Arbitraries.of("-7", "999999999999999999999", "0x10", ""));
        return Combinators.combine(op, id, size).as((o, i, s) -> (o + " " + i + " " + s).strip());
    }

    @Provide
    Arbitrary<String> anyLine() {
        return Arbitraries.oneOf(
                repLine(),
                Arbitraries.strings().ofMaxLength(30),
                Arbitraries.of(
                        "= Start",
                        "@ ./t:[0x11c0] + 0x1000 0x10",
                        "- 0x1000",
                        "< 0x1000",
                        "> 0x2000 0x20",
                        "! 0x2000 0x7fffffffffffffff",
                        "+ (nil) 0x5",
                        "+10,-0,+3",
                        "--1,+x",
                        "# end 3 ops",
                        "c 1 4 25",
                        "m 2 3 8"));
    }

    @Property(tries = 300)
    void anyText_readsWithoutException_andKeepsOnlyValidOps(
            @ForAll @Size(max = 40) List<@From("anyLine") String> lines) {
        String text = String.join("\n", lines);
        int physical = text.split("\n", -1).length;
        for (MallocTraceFormat f : MallocTraceFormat.values()) {
            MallocTrace t = f.read("t", text);
            assertValid(t);
            assertThat(t.reportedProblems())
                    .allSatisfy(p -> assertThat(p.line()).isBetween(1, physical + 1));
        }
    }

    @Property(tries = 300)
    void rep_recording_readsBackAsTheSameOps(@ForAll @Size(max = 60) List<@From("repLine") String> ops)
            throws IOException {
        MallocTrace t =
                MallocTraceFormat.REP.read("t", "0\n13\n" + ops.size() + "\n1\n" + String.join("\n", ops) + "\n");
        StringWriter w = new StringWriter();
        MallocTraceWriter.write(t, w);
        MallocTrace back = MallocTraceFormat.KMEMLAB.read("t", w.toString());
        assertThat(back.totalProblems()).isZero();
        assertThat(back.size()).isEqualTo(t.size());
        for (int i = 0; i < t.size(); i++) {
            assertThat(back.op(i)).isEqualTo(t.op(i));
            assertThat(back.id(i)).isEqualTo(t.id(i));
            assertThat(back.bytes(i)).isEqualTo(t.bytes(i));
        }
    }

    /** The model: an id is live from its allocation to its free; frees and reallocs need a live id. */
    private static void assertValid(MallocTrace t) {
        Map<Long, Boolean> live = new HashMap<>();
        for (int i = 0; i < t.size(); i++) {
            long id = t.id(i);
            assertThat(id).isBetween(0L, MallocTrace.MAX_ID);
            assertThat(t.bytes(i)).isBetween(0L, MallocTrace.MAX_SIZE);
            switch (t.op(i)) {
                case FREE, REALLOC ->
                    assertThat(live.getOrDefault(id, false))
                            .as("op %d (line %d) on a live id", i, t.line(i))
                            .isTrue();
                default -> {}
            }
            live.put(id, t.op(i) != MallocOp.FREE);
            if (i > 0) {
                assertThat(t.line(i)).isGreaterThanOrEqualTo(t.line(i - 1));
            }
        }
    }
}
