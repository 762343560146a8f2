package io.kmemlab.mm.trace.read;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.trace.Symbols;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser's memos (prefix, key order, call sites) only save work: a parser that has seen
 * every earlier line gives each line exactly the fields a parser that has seen none gives it.
 * Both share one {@link Symbols}, so call-site addresses are comparable (the cold parser reads
 * each line first, so symbols get their ids in the same order either way).
 */
class ParserMemoTest {
    private static final String PREFIX = "              sh-16387   [000] .....   ";

    @Test
    void memoEdgeLines_warmParser_sameFieldsAsColdParser() {
        List<String> lines = List.of(
                PREFIX + "470.908141: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=000000000d6ee48a name=filp",
                // Same prefix bytes, then a second space: the timestamp is not where the memo says.
                PREFIX + " 470.908142: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=000000000d6ee48a name=filp",
                // Same prefix, the token there is not a timestamp.
                PREFIX + "470.9081x3: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=000000000d6ee48a name=filp",
                // Same prefix, a control byte after it.
                PREFIX + "470.908144: kmem_cache_free: call_site=__fput+0x141/0x2a0 ptr=0000\u0001000d6ee48a name=filp",
                // Same prefix, a tab where the timestamp starts.
                PREFIX + "\t470.908145: kfree: call_site=__fput+0x141/0x2a0 ptr=0000000000000000",
                // Same prefix, line cut inside the prefix memo's length.
                PREFIX.substring(0, 30),
                // Keys in another order than the last line of the event, one unknown, one missing.
                PREFIX
                        + "470.908146: kmem_cache_free: name=filp ptr=000000000d6ee48a cold=1 call_site=__fput+0x141/0x2a0",
                PREFIX + "470.908147: kmem_cache_free: ptr=000000000d6ee48a",
                PREFIX + "470.908148: kmem_cache_free: ptr= name=filp",
                PREFIX + "470.908149: kmem_cache_free: ptrx=1 name=filp",
                PREFIX + "470.908150: kmem_cache_free: pt=1 ptr=000000000d6ee48a",
                // A module symbol, then the same call site from the cache.
                PREFIX + "470.908151: kfree: call_site=nf_ct_free+0x1f/0x40 [nf_conntrack] ptr=00000000000000ab",
                PREFIX + "470.908152: kfree: call_site=nf_ct_free+0x1f/0x40 ptr=00000000000000ac",
                // A pointer that is 16 characters but not all hex.
                PREFIX + "470.908153: kfree: call_site=nf_ct_free+0x1f/0x40 ptr=00000000000000g1",
                // Another task on another CPU, then back.
                "          <idle>-0       [001] ..s2.   470.908154: kfree: call_site=0xffffffff81234567 ptr=(null)",
                PREFIX
                        + "470.908155: mm_page_alloc: page=0000000052c8008a pfn=0x115fb1 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP",
                PREFIX
                        + "470.908156: mm_page_alloc: page=0000000052c8008a pfn=0x115fb1 order=99 migratetype=1 gfp_flags=GFP_KERNEL");
        assertSameAsCold(lines);
    }

    @Test
    void capturedLinesAndSeededMutations_warmParser_sameFieldsAsColdParser() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/traces/kmem-618-head300.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        Random random = new Random(42);
        String alphabet = " -:[]().=|+/x0123456789abcdefGKz_\t\r#";
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n")) {
            lines.add(line);
            // Each mutation right after its original, so the memos are hot with its bytes.
            for (int m = 0; m < 3 && !line.isEmpty(); m++) {
                StringBuilder b = new StringBuilder(line);
                int i = random.nextInt(b.length());
                switch (random.nextInt(5)) {
                    case 0 -> b.setLength(i);
                    case 1 -> b.setCharAt(i, alphabet.charAt(random.nextInt(alphabet.length())));
                    case 2 -> b.deleteCharAt(i);
                    case 3 -> b.insert(i, alphabet.charAt(random.nextInt(alphabet.length())));
                    default -> b.setCharAt(i, (char) random.nextInt(256));
                }
                lines.add(b.toString());
            }
        }
        assertThat(lines).hasSizeGreaterThan(1000);
        assertSameAsCold(lines);
    }

    private static void assertSameAsCold(List<String> lines) {
        Symbols symbols = new Symbols();
        FtraceLineParser warm = new FtraceLineParser(symbols);
        TraceLine w = new TraceLine();
        TraceLine c = new TraceLine();
        long lineNo = 0;
        for (String line : lines) {
            byte[] b = line.getBytes(StandardCharsets.ISO_8859_1);
            lineNo++;
            // Pad around the line: the parser must only look at [from, to).
            byte[] padded = new byte[b.length + 16];
            System.arraycopy(b, 0, padded, 8, b.length);
            new FtraceLineParser(symbols).parse(padded, 8, 8 + b.length, lineNo, c);
            warm.parse(padded, 8, 8 + b.length, lineNo, w);
            assertThat(fields(w)).as("line %d: %s", lineNo, line).isEqualTo(fields(c));
        }
    }

    private static String fields(TraceLine l) {
        return l.kind() + "|" + l.op() + "|" + l.eventName() + "|" + l.reason() + "|" + l.comm() + "|" + l.pid()
                + "|" + l.cpu() + "|" + l.nanos() + "|" + l.callSite() + "|" + l.ptr() + "|" + l.cacheName()
                + "|" + l.bytesReq() + "|" + l.bytesAlloc() + "|" + l.gfpFlags() + "|" + l.node() + "|"
                + l.accounted() + "|" + l.pfn() + "|" + l.order() + "|" + l.migratetype() + "|" + l.percpuRefill()
                + "|" + l.fallbackOrder() + "|" + l.fallbackMigratetype() + "|" + l.changeOwnership();
    }
}
