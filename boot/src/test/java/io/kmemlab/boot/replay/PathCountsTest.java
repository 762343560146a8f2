package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.VirtualFs;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PathCounts reads the caches' metrics; the numbers are the ones the views print (here the test,
 * and only the test, reads the text back to compare): SLUB's sysfs statistics files, SLAB's
 * cpustat columns.
 */
class PathCountsTest {

    private static SlabLayer bootAndWork(String allocator) {
        Kernel.BootResult r = Kernel.boot(List.of("mem=256M", "nr_cpus=2", "slab=" + allocator));
        assertThat(r.error()).isNull();
        SlabLayer layer = r.kernel().slab();
        List<Long> objs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            objs.add(layer.kmalloc(i & 1, 16 + (i * 37) % 2000, Gfp.GFP_KERNEL, 0));
        }
        for (int i = 0; i < objs.size(); i += 2) {
            layer.kfree((i / 2) & 1, objs.get(i), 0);
        }
        return layer;
    }

    /** The total at the start of a SLUB stat file ({@code "123 C0=100 C1=23"}). */
    private static long leading(String text) {
        return Long.parseLong(text.trim().split(" ")[0]);
    }

    @Test
    void slub_sumsTheStatisticsFilesOfEveryCache() {
        SlabLayer layer = bootAndWork("slub");
        VirtualFs vfs = layer.machine().vfs();
        long[] sum = new long[4];
        for (KmemCache c : layer.caches()) {
            String dir = "/sys/kernel/slab/" + c.name() + "/";
            sum[0] += leading(vfs.read(dir + "alloc_fastpath"));
            sum[1] += leading(vfs.read(dir + "alloc_slowpath"));
            sum[2] += leading(vfs.read(dir + "free_fastpath"));
            sum[3] += leading(vfs.read(dir + "free_slowpath"));
        }
        PathCounts p = PathCounts.of(layer);
        assertThat(p.exposed()).isTrue();
        assertThat(new long[] {p.allocFast(), p.allocSlow(), p.freeFast(), p.freeSlow()})
                .containsExactly(sum);
        assertThat(p.allocFast() + p.allocSlow()).isGreaterThanOrEqualTo(3000);
        assertThat(p.freeFast() + p.freeSlow()).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void slab_sumsTheCpustatColumnsOfEveryCache() {
        SlabLayer layer = bootAndWork("slab");
        long[] sum = new long[4];
        for (KmemCache c : layer.caches()) {
            String stats = c.impl().slabinfoStats();
            String[] v = stats.substring(stats.indexOf(": cpustat") + ": cpustat".length())
                    .trim()
                    .split("\\s+");
            for (int i = 0; i < 4; i++) {
                sum[i] += Long.parseLong(v[i]);
            }
        }
        PathCounts p = PathCounts.of(layer);
        assertThat(new long[] {p.allocFast(), p.allocSlow(), p.freeFast(), p.freeSlow()})
                .containsExactly(sum);
        assertThat(p.allocFast()).isPositive();
        assertThat(p.freeFast()).isPositive();
    }

    @Test
    void slob_hasNoSplit() {
        assertThat(PathCounts.of(bootAndWork("slob"))).isEqualTo(PathCounts.NONE);
    }
}
