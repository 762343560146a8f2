package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.trace.read.KmemTraceReader;
import io.kmemlab.mm.trace.read.TraceInputFormat;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A real kernel's trace names its caches only; the replay creates the catalogued ones as 6.18
 * does (KernelCaches): vm_area_struct TYPESAFE_BY_RCU with 32-object sheaves (60 under 7.1's
 * rule), maple_node 256-aligned with 32, merging by the real flags, and the trace's slot sizes.
 */
class KernelCachesReplayTest {
    private static final String P = "              sh-16387   [000] .....   470.9";

    private static String alloc(int us, String name, long ptr, int req, int slot) {
        return P + String.format("%05d", us) + ": kmem_cache_alloc: call_site=vm_area_alloc+0x1f/0x60 ptr="
                + String.format("%016x", ptr) + " name=" + name + " bytes_req=" + req + " bytes_alloc=" + slot
                + " gfp_flags=GFP_KERNEL node=-1 accounted=true\n";
    }

    @ParameterizedTest
    @CsvSource({"6.18, 32, 32", "7.1, 60, 32"})
    void replay_createsTheCataloguedCachesWithTheirRealArguments(String version, String vmaCap, String mapleCap)
            throws IOException {
        ReplayTarget t =
                new KernelReplayFactory().boot("slub", List.of("mem=256M", "nr_cpus=2", "slub_version=" + version));
        ReplayEngine e = new ReplayEngine(t, ReplayOptions.DEFAULT);
        String text = alloc(1, "vm_area_struct", 0x1000, 192, 192)
                + alloc(2, "maple_node", 0x2000, 256, 256)
                + alloc(3, "anon_vma", 0x3000, 96, 104)
                + alloc(4, "dentry", 0x4000, 192, 192);
        try (KmemTraceReader r = new KmemTraceReader(
                new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                TraceInputFormat.FTRACE,
                t.machine().symbols())) {
            TraceLine l = new TraceLine();
            while (r.next(l)) {
                e.apply(l);
            }
        }
        ReplayStats s = e.finish();
        assertThat(s.applied()).isEqualTo(4);
        assertThat(s.cachesSlotMismatch()).isZero();
        VirtualFs vfs = t.machine().vfs();
        assertThat(vfs.read("/sys/kernel/slab/vm_area_struct/sheaf_capacity")).isEqualTo(vmaCap + "\n");
        assertThat(vfs.read("/sys/kernel/slab/vm_area_struct/destroy_by_rcu")).isEqualTo("1\n");
        assertThat(vfs.read("/sys/kernel/slab/vm_area_struct/align")).isEqualTo("64\n");
        assertThat(vfs.read("/sys/kernel/slab/maple_node/sheaf_capacity")).isEqualTo(mapleCap + "\n");
        assertThat(vfs.read("/sys/kernel/slab/maple_node/align")).isEqualTo("256\n");
        assertThat(vfs.read("/sys/kernel/slab/anon_vma/ctor")).isNotEmpty();
        // vm_area_struct keeps its own cache; the uncatalogued dentry of the same slot does not
        // merge into it (TYPESAFE_BY_RCU, and it asked for sheaves)
        assertThat(t.slab().find("dentry")).isNotSameAs(t.slab().find("vm_area_struct"));
        assertThat(t.slab().allocator().validate()).isEmpty();
    }
}
