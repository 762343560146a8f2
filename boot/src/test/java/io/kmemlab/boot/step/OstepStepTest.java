package io.kmemlab.boot.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.malloc.UserAllocators;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.mm.user.HeapViewText;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.proc.Process;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code malloc replay OPLIST --step} on an allocator with a heap view prints what the
 * {@code malloc ostep} lab's real-heap transcript ({@link HeapViewText#ostepTranscript}, malloc.py's
 * {@code -c} output mode over a real heap) prints for the same op list: the same op lines and free
 * lists, op for op, with addresses taken relative to each heap's first block.
 */
class OstepStepTest {
    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]{6,}");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"first-fit", "best-fit", "worst-fit", "next-fit", "first-fit:order=size-asc"})
    void stepOfAnOpList_isTheOstepTranscriptOfTheSameOps(String allocator, @TempDir Path dir) throws Exception {
        String ops = "+10,+30,-0,+3,+20,-1,+64,-2,-3,+100,-4,-5";
        Path t = dir.resolve("ops.txt");
        Files.writeString(t, ops + "\n");
        Cli.Run r = Cli.run("malloc", "replay", t.toString(), "--allocator", allocator, "--step");
        assertThat(r.exit()).as(r.err()).isZero();
        String stepped = r.out().substring(0, r.out().indexOf("trace: ops.txt ("));

        Kernel k = Kernel.boot(List.of()).kernel();
        Process p = k.processes().spawn("ostep");
        p.runOn(0);
        UserAllocators all = UserAllocators.load();
        UserAllocator a = all.create(UserAllocators.Spec.parse(allocator), p);
        String transcript = HeapViewText.ostepTranscript(a, ops);

        assertThat(relative(stepped)).isEqualTo(relative(transcript));
        assertThat(stepped).contains("Free List [ Size ");
    }

    /** Every address as its distance from the first address in the text. */
    private static String relative(String text) {
        Matcher m = HEX.matcher(text);
        long base = -1;
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            long v = Long.parseUnsignedLong(m.group().substring(2), 16);
            if (base < 0) {
                base = v;
            }
            m.appendReplacement(sb, "@" + (v - base));
        }
        m.appendTail(sb);
        return sb.toString();
    }
}
