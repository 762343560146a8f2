package io.kmemlab.boot.replay.source;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import io.kmemlab.mm.trace.read.TraceOp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    private static List<String> events(Workload w, long seed, int n) throws Exception {
        List<String> out = new ArrayList<>();
        try (EventSource.Stream s = w.source(seed, n, 2).open(new Symbols())) {
            TraceLine l = new TraceLine();
            while (s.next(l)) {
                out.add(l.op() + " " + l.cpu() + " " + l.comm() + "-" + l.pid() + " @" + l.nanos() + " " + l.ptr() + " "
                        + l.cacheName() + " " + l.bytesReq() + "/" + l.bytesAlloc() + " " + l.gfpFlags());
            }
        }
        return out;
    }

    @Test
    void sameSeed_sameStream_otherSeed_otherStream() throws Exception {
        for (Workload w : Workload.values()) {
            List<String> a = events(w, 42, 3000);
            assertThat(a).hasSize(3000);
            assertThat(events(w, 42, 3000)).as(w.cliName()).isEqualTo(a);
            assertThat(events(w, 43, 3000)).as(w.cliName()).isNotEqualTo(a);
        }
    }

    @Test
    void everyFreeNamesALiveObject_andTimeOnlyMovesForward() throws Exception {
        for (Workload w : Workload.values()) {
            Set<Long> live = new HashSet<>();
            long last = 0;
            try (EventSource.Stream s = w.source(5, 20_000, 4).open(new Symbols())) {
                TraceLine l = new TraceLine();
                while (s.next(l)) {
                    assertThat(l.nanos()).isGreaterThan(last);
                    assertThat(l.nanos() % 1000).isZero();
                    assertThat(l.cpu()).isBetween(0, 3);
                    last = l.nanos();
                    if (l.op() == TraceOp.KMALLOC || l.op() == TraceOp.KMEM_CACHE_ALLOC) {
                        assertThat(live.add(l.ptr())).isTrue();
                    } else {
                        assertThat(live.remove(l.ptr()))
                                .as(w.cliName() + " " + l)
                                .isTrue();
                    }
                }
            }
        }
    }

    @Test
    void kmallocSizeTable_coversEveryKmallocLineOfTheCapture() {
        // The capture has 5,857 kmalloc lines; the GFP table lists the masks seen at least 3 times.
        assertThat(java.util.Arrays.stream(Workload.KMALLOC_SIZES)
                        .mapToInt(e -> e[1])
                        .sum())
                .isEqualTo(5857);
        assertThat(java.util.Arrays.stream(Workload.KMALLOC_GFP)
                        .mapToInt(e -> e[1])
                        .sum())
                .isEqualTo(5843);
    }

    @Test
    void kmallocBucket_isSlubsSizeClass() {
        assertThat(Workload.kmallocBucket(1)).isEqualTo(8);
        assertThat(Workload.kmallocBucket(11)).isEqualTo(16);
        assertThat(Workload.kmallocBucket(72)).isEqualTo(96);
        assertThat(Workload.kmallocBucket(97)).isEqualTo(128);
        assertThat(Workload.kmallocBucket(176)).isEqualTo(192);
        assertThat(Workload.kmallocBucket(640)).isEqualTo(1024);
        assertThat(Workload.kmallocBucket(8192)).isEqualTo(8192);
        assertThat(Workload.kmallocBucket(8193)).isEqualTo(16384);
        assertThat(Workload.kmallocBucket(20000)).isEqualTo(32768);
    }
}
