package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The keys of /proc/meminfo, /proc/vmstat and /proc/zoneinfo equal those a live Linux 6.18.44
 * kernel prints, in its order (key lists copied from its files into {@code linux-6.18/}).
 */
class ProcKeysTest {
    private static List<String> keys(String resource) {
        try (InputStream in = ProcKeysTest.class.getResourceAsStream("/linux-6.18/" + resource)) {
            assertThat(in).as(resource).isNotNull();
            List<String> keys = new ArrayList<>();
            for (String l : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!l.isBlank() && !l.startsWith("#")) {
                    keys.add(l.trim());
                }
            }
            return keys;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> firstWords(String text) {
        return text.lines().map(l -> l.trim().split("\\s+")[0]).toList();
    }

    @Test
    void meminfo_printsThe54KeysOf618_inOrder() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        List<String> expected = keys("meminfo.keys");
        assertThat(expected).hasSize(54);
        assertThat(firstWords(BuddyViews.meminfo(b, b.machine()))).containsExactlyElementsOf(expected);
    }

    @Test
    void vmstat_printsEveryKeyOf618_inOrder() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        List<String> expected = keys("vmstat.keys");
        assertThat(expected).hasSize(192);
        assertThat(firstWords(BuddyViews.vmstat(b, b.machine()))).containsExactlyElementsOf(expected);
    }

    @Test
    void zoneinfo_firstPopulatedZone_printsThe51NodeLines_thenTheZoneLinesOf618() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        List<String> lines = BuddyViews.zoneinfo(b, b.machine()).lines().toList();
        assertThat(lines.get(0)).isEqualTo("Node 0, zone      DMA");
        assertThat(lines.get(1)).isEqualTo("  per-node stats");
        List<String> node = keys("zoneinfo-node.keys");
        assertThat(node).hasSize(51);
        assertThat(firstWords(String.join("\n", lines.subList(2, 2 + node.size()))))
                .containsExactlyElementsOf(node);
        List<String> zone = keys("zoneinfo-zone.keys");
        int from = 2 + node.size();
        assertThat(firstWords(String.join("\n", lines.subList(from, from + zone.size()))))
                .containsExactlyElementsOf(zone);
        assertThat(lines.get(from + zone.size())).isEqualTo("  pagesets");
    }

    @Test
    void zoneinfo_everyPopulatedZone_printsTheSameZoneLines() {
        BuddyAllocator b = TestBoot.kernelLike(64L << 20, 2);
        List<String> zone = keys("zoneinfo-zone.keys");
        List<String> lines = BuddyViews.zoneinfo(b, b.machine()).lines().toList();
        int dma32 = lines.indexOf("Node 0, zone    DMA32");
        assertThat(dma32).isPositive();
        assertThat(firstWords(String.join("\n", lines.subList(dma32 + 1, dma32 + 1 + zone.size()))))
                .containsExactlyElementsOf(zone);
    }
}
