package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.trace.CacheDefinition;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * kmemlab's {@code # kmemlab cache:} comments read back. A damaged one is malformed (line number
 * and reason, counted), because losing it would silently change the replay; other comments stay
 * comments.
 */
class CacheCommentParserTest {
    private static final String EVENT =
            "  sh-1 [000] ..... 1.000001: kfree: call_site=a+0x0/0x1 ptr=0000000000001000\n";

    private static List<TraceLine> read(String text) throws IOException {
        List<TraceLine> lines = new ArrayList<>();
        try (KmemTraceReader r = new KmemTraceReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), TraceInputFormat.FTRACE, null)) {
            while (true) {
                TraceLine l = new TraceLine();
                if (!r.next(l)) {
                    break;
                }
                lines.add(l);
            }
        }
        return lines;
    }

    @Test
    void sheafCapacity_isWrittenOnlyWhenSet_andReadsBack() throws IOException {
        CacheDefinition d = new CacheDefinition("maple_node", 256, 256, 0x100, false, 0, 0, -1, 0, 32);
        assertThat(d.commentLine()).contains(" freeptr_offset=-1 sheaf_capacity=32 events=0");
        assertThat(d.withEvents(0).sheafCapacity()).isEqualTo(32);
        List<TraceLine> lines = read(d.commentLine() + "\n" + EVENT);
        assertThat(lines.get(0).cacheDefinition()).isEqualTo(d);
        CacheDefinition plain = new CacheDefinition("plain", 64, 0, 0, false, 0, 0, -1, 0);
        assertThat(plain.commentLine()).doesNotContain("sheaf_capacity");
        List<TraceLine> bad = read(plain.commentLine().replace(" events=", " sheaf_capacity=-4 events=") + "\n");
        assertThat(bad.get(0).kind()).isEqualTo(TraceLine.Kind.MALFORMED);
    }

    @Test
    void writtenLine_readsBackAsTheSameDefinition() throws IOException {
        CacheDefinition d = new CacheDefinition("sock_inode_cache", 768, 0, 0x00042000, true, 8, 32, -1, 2);
        List<TraceLine> lines = read("# tracer: nop\n" + d.commentLine() + "\n" + EVENT);
        assertThat(lines).hasSize(2);
        TraceLine c = lines.get(0);
        assertThat(c.kind()).isEqualTo(TraceLine.Kind.CACHE_DEFINITION);
        assertThat(c.lineNo()).isEqualTo(2);
        assertThat(c.cacheDefinition()).isEqualTo(d);
        assertThat(c.cacheName()).isEqualTo("sock_inode_cache");
        assertThat(lines.get(1).kind()).isEqualTo(TraceLine.Kind.EVENT);
    }

    @Test
    void keysInAnyOrder_unknownKeysIgnored_onlyNameAndSizeRequired_crlfAndIndentTolerated() throws IOException {
        List<TraceLine> lines = read("  # kmemlab cache: size=96 future_key=abc name=anon_vma ctor=1\r\n" + EVENT);
        assertThat(lines.get(0).kind()).isEqualTo(TraceLine.Kind.CACHE_DEFINITION);
        assertThat(lines.get(0).cacheDefinition())
                .isEqualTo(new CacheDefinition("anon_vma", 96, 0, 0, true, 0, 0, -1, 0));
    }

    @Test
    void otherComments_includingOtherKmemlabOnes_stayComments() throws IOException {
        try (KmemTraceReader r = new KmemTraceReader(
                new ByteArrayInputStream(("# kmemlab replay on slab=slub   #P:2\n"
                                + "# kmemlab caches: name=x size=8\n#kmemlab cache: name=x size=8\n# tracer: nop\n"
                                + EVENT)
                        .getBytes(StandardCharsets.US_ASCII)),
                TraceInputFormat.FTRACE,
                null)) {
            TraceLine l = new TraceLine();
            assertThat(r.next(l)).isTrue();
            assertThat(l.kind()).isEqualTo(TraceLine.Kind.EVENT);
            assertThat(l.lineNo()).isEqualTo(5);
            assertThat(r.nonEventLines()).isEqualTo(4);
            assertThat(r.cacheComments()).isZero();
        }
    }

    @Test
    void wellFormedComment_isCountedAsANonEventLine_malformedOneIsNot() throws IOException {
        try (KmemTraceReader r = new KmemTraceReader(
                new ByteArrayInputStream(("# kmemlab cache: name=a size=8\n" + "# kmemlab cache: name=b\n")
                        .getBytes(StandardCharsets.US_ASCII)),
                TraceInputFormat.FTRACE,
                null)) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                // drain
            }
            assertThat(r.cacheComments()).isEqualTo(2);
            assertThat(r.nonEventLines()).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "name=a                                   | kmemlab cache comment: missing size=",
                "size=64                                  | kmemlab cache comment: missing name=",
                "name=a size=0                            | kmemlab cache comment: size out of range",
                "name=a size=-8                           | kmemlab cache comment: size out of range",
                "name=a size=18446744073709551615         | kmemlab cache comment: size out of range",
                "name=a size=sixty                        | kmemlab cache comment: size out of range",
                "name=a size=64 align=-1                  | kmemlab cache comment: align out of range",
                "name=a size=64 flags=42000               | kmemlab cache comment: flags is not a 32-bit 0x… value",
                "name=a size=64 flags=0x100000000         | kmemlab cache comment: flags is not a 32-bit 0x… value",
                "name=a size=64 ctor=yes                  | kmemlab cache comment: ctor is not 0 or 1",
                "name=a size=64 usersize=-1               | kmemlab cache comment: usersize out of range",
                "name=a size=64 events=99999999999        | kmemlab cache comment: events out of range",
                "name=a size=64 freeptr_offset=-2         | kmemlab cache comment: freeptr_offset out of range",
                "name=a size=64 truncat                   | kmemlab cache comment: word is not key=value",
                "name= size=64                            | kmemlab cache comment: word is not key=value",
                "name=a size=64 =5                        | kmemlab cache comment: word is not key=value",
            })
    void damagedComment_isMalformedWithItsLineNumber_andReadingGoesOn(String words, String reason) throws IOException {
        List<TraceLine> lines = read("# tracer: nop\n# kmemlab cache: " + words + "\n" + EVENT);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0).kind()).isEqualTo(TraceLine.Kind.MALFORMED);
        assertThat(lines.get(0).lineNo()).isEqualTo(2);
        assertThat(lines.get(0).reason()).isEqualTo(reason);
        assertThat(lines.get(1).kind()).isEqualTo(TraceLine.Kind.EVENT);
    }

    @Test
    void binaryBytesInAComment_areMalformed() throws IOException {
        List<TraceLine> lines = read("# kmemlab cache: name=a\u0001\u0002 size=64\n" + EVENT);
        assertThat(lines.get(0).kind()).isEqualTo(TraceLine.Kind.MALFORMED);
        assertThat(lines.get(0).reason()).isEqualTo("binary data in kmemlab cache comment");
    }

    @Test
    void truncatedAtTheColon_isMalformed() throws IOException {
        List<TraceLine> lines = read("# kmemlab cache:");
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0).reason()).isEqualTo("kmemlab cache comment: missing name=");
    }

    @Test
    void detect_kmemlabTraceWhoseProbeHoldsOnlyCacheComments_isFtrace() {
        StringBuilder sb = new StringBuilder("# tracer: nop\n#\n");
        while (sb.length() < 70_000) {
            sb.append(new CacheDefinition("cache" + sb.length(), 64, 0, 0, false, 0, 0, -1, 0).commentLine())
                    .append('\n');
        }
        byte[] head = sb.toString().getBytes(StandardCharsets.US_ASCII);
        assertThat(TraceInputFormat.detect(head, 1 << 16)).isEqualTo(TraceInputFormat.FTRACE);
        byte[] plain = "# just a comment\n# kmemlab cache notes\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(TraceInputFormat.detect(plain, plain.length)).isNull();
    }
}
