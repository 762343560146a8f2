package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.replay.source.LoadedTrace;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * One reading feeds machines whose kallsyms already hold other symbols: each machine takes the
 * reader's call-site slots into its own (by name and size), so its trace names the functions the
 * input named.
 */
class CallSiteSlotTest {
    private static final String P = "              sh-16387   [000] .....   470.9";

    @Test
    void callSitesOfALoadedTrace_nameTheSameFunctionsOnEveryMachine() {
        String text = P + "00001: kmalloc: call_site=alloc_pipe_info+0x5d/0x230 ptr=00000000dfae8be8 bytes_req=176 "
                + "bytes_alloc=192 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
                + P + "00002: kfree: call_site=free_pipe_info+0x9b/0xd0 ptr=00000000dfae8be8\n"
                + P + "00003: kfree: call_site=ffffffff81234567 ptr=0000000000000000\n";
        LoadedTrace trace = LoadedTrace.parse(text.getBytes(StandardCharsets.UTF_8), TraceInputFormat.FTRACE, "t", 1);
        for (int shift = 0; shift < 3; shift++) {
            ReplayTarget t = SimpleSlabAllocator.factory(64L << 20, 2).boot("simple", List.of());
            for (int i = 0; i < shift; i++) {
                // Symbols the machine defined before the replay: its slots differ from the reader's.
                t.machine().symbols().slot("before_" + i, 0x10);
            }
            List<String> lines = new ArrayList<>();
            t.machine().tracer().addSink(lines::add);
            t.machine().tracer().enable("kmem:kmalloc,kmem:kfree");
            ReplayEngine e = trace.engine(t, ReplayOptions.DEFAULT);
            trace.replay(e);
            assertThat(lines).anyMatch(l -> l.contains("kmalloc: call_site=alloc_pipe_info+0x5d/0x230 "));
            assertThat(lines).anyMatch(l -> l.contains("kfree: call_site=free_pipe_info+0x9b/0xd0 "));
            // A raw hex call site names no slot of the reader: kept as it is.
            assertThat(lines).anyMatch(l -> l.contains("kfree: call_site=0xffffffff81234567 "));
        }
    }
}
