package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.memblock.Memblock;
import io.kmemlab.boot.testing.FakeZonedAllocator;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.ZoneType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The boot sequence against a simple page allocator: what memblock hands over, and the log. */
class KernelBootTest {

    static Kernel boot(String... words) {
        Kernel.BootResult r = Kernel.boot(List.of(words), FakeZonedAllocator.components(List.of()));
        assertThat(r.error()).isNull();
        return r.kernel();
    }

    @Test
    void mem24G_matchesTheReferenceZoneSizes() {
        Kernel k = boot("mem=24G", "nr_cpus=2");
        assertThat(k.zonePresent(ZoneType.DMA)).isEqualTo(3998);
        assertThat(k.zonePresent(ZoneType.DMA32)).isEqualTo(782336);
        assertThat(k.zonePresent(ZoneType.NORMAL)).isEqualTo(5505024);
        assertThat(k.totalPages()).isEqualTo(6291358);
        assertThat(k.zoneStartPfn(ZoneType.DMA)).isEqualTo(1);
        assertThat(k.zoneEndPfn(ZoneType.DMA) - k.zoneStartPfn(ZoneType.DMA)).isEqualTo(4095);
        assertThat(k.dmesg())
                .contains(
                        "] Zone ranges:\n",
                        "]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]\n",
                        "]   DMA32    [mem 0x0000000001000000-0x00000000ffffffff]\n",
                        "]   Normal   [mem 0x0000000100000000-0x000000063fffffff]\n",
                        "]   node   0: [mem 0x0000000000001000-0x000000000009efff]\n",
                        "] Initmem setup node 0 [mem 0x0000000000001000-0x000000063fffffff]\n",
                        "] On node 0, zone DMA: 97 pages in unavailable ranges\n",
                        "] Built 1 zonelists, mobility grouping on.  Total pages: 6291358\n",
                        "K/25165432K available (18907K kernel code, 2544K rwdata, 10292K rodata, 3732K init, 1168K bss, ",
                        "] Freeing unused kernel image (initmem) memory: 3732K\n");
    }

    @Test
    void dmaZone_managedIs3840_becauseTheFirstMegabyteStaysReserved() {
        Kernel k = boot("mem=1G");
        FakeZonedAllocator fa = (FakeZonedAllocator) k.pageAllocator();
        long dmaManaged = 0;
        for (int[] c : fa.chunks) {
            if (c[0] < ZoneType.MAX_DMA_PFN) {
                dmaManaged += 1L << c[1];
            }
        }
        assertThat(dmaManaged).isEqualTo(3840);
    }

    @Test
    void bootChunks_areNaturallyAlignedUpToOrder10AndAvoidReservations() {
        Kernel k = boot("mem=1G");
        FakeZonedAllocator fa = (FakeZonedAllocator) k.pageAllocator();
        long sum = 0;
        for (int[] c : fa.chunks) {
            int pfn = c[0];
            int order = c[1];
            assertThat(order).isBetween(0, 10);
            assertThat(pfn & ((1 << order) - 1)).isZero();
            assertThat(k.memblock().isReserved(Addr.pfnToPhys(pfn))).isFalse();
            assertThat(k.memblock().isMemory(Addr.pfnToPhys(pfn))).isTrue();
            sum += 1L << order;
        }
        long present = k.zonePresent(ZoneType.DMA) + k.zonePresent(ZoneType.DMA32);
        long reservedPages = 0;
        for (int i = 0; i < k.memblock().reserved().cnt(); i++) {
            long s = Math.max(k.memblock().reserved().base(i), 0x1000);
            long e = k.memblock().reserved().end(i);
            long ps = s >>> 12;
            long pe = (e + 4095) >>> 12;
            for (long p = ps; p < pe; p++) {
                if (k.machine().frames().valid((int) p)) {
                    reservedPages++;
                }
            }
        }
        assertThat(sum).isEqualTo(present - reservedPages);
        // The init section is freed afterwards, page by page.
        assertThat(fa.reservedFreed).isEqualTo(3732 / 4);
    }

    @Test
    void holes_areMarkedInThePageFrames() {
        Kernel k = boot("mem=4G");
        PageFrames f = k.machine().frames();
        assertThat(f.valid(0)).isFalse();
        assertThat(f.valid(0x9f)).isFalse();
        assertThat(f.valid(0xff)).isFalse();
        assertThat(f.valid(0x100)).isTrue();
        assertThat(f.valid(0xc0000)).isFalse();
        assertThat(f.valid(0xfffff)).isFalse();
        assertThat(f.valid(0x100000)).isTrue();
        assertThat(k.machine().nrFrames()).isEqualTo(0x140000);
    }

    @Test
    void earlyAllocations_areTopDownAndKernReserved() {
        Kernel k = boot("mem=1G", "nr_cpus=2");
        String reserved = k.machine().vfs().read("/sys/kernel/debug/memblock/reserved");
        assertThat(reserved)
                .isEqualTo("   0: 0x0000000000000000..0x00000000000fffff    x NONE\n"
                        + "   1: 0x0000000001000000..0x00000000033c8fff    x RSV_KERN\n"
                        + "   2: 0x000000003ec00000..0x000000003ec3ffff    0 RSV_KERN\n"
                        + "   3: 0x000000003ed00000..0x000000003ed3ffff    0 RSV_KERN\n"
                        + "   4: 0x000000003ee00000..0x000000003fdfffff    0 RSV_KERN\n"
                        + "   5: 0x000000003ffd5000..0x000000003fffffff    0 RSV_KERN\n");
        assertThat(k.machine().vfs().read("/sys/kernel/debug/memblock/memory"))
                .isEqualTo("   0: 0x0000000000001000..0x000000000009fbff    0 NONE\n"
                        + "   1: 0x0000000000100000..0x000000003fffffff    0 NONE\n");
    }

    @Test
    void memblockDebug_printsDumpAndCalls() {
        Kernel k = boot("mem=1G", "memblock=debug");
        assertThat(k.dmesg())
                .contains(
                        "] MEMBLOCK configuration:\n",
                        "]  memory.cnt  = 0x2\n",
                        "] memblock_add: [0x0000000000100000-0x000000003fffffff] e820__memblock_setup\n");
        assertThat(boot("mem=1G").dmesg()).doesNotContain("MEMBLOCK configuration");
    }

    @Test
    void smallMachine_bootsTinyImageWithSectionRoundedHole() {
        Kernel k = boot("mem=16M");
        assertThat(k.image()).isEqualTo(KernelImage.TINY);
        assertThat(k.dmesg())
                .contains("]   DMA32    empty\n", "] On node 0, zone DMA: 28672 pages in unavailable ranges\n");
    }

    @Test
    void percpu_unitSizeFollowsCpuCount() {
        assertThat(boot("nr_cpus=1").dmesg()).contains("u2097152\n");
        assertThat(boot("nr_cpus=2").dmesg()).contains("u1048576\n");
        assertThat(boot("nr_cpus=8").dmesg()).contains("u262144\n");
    }

    @Test
    void minFreeKbytes_isPassedToTheWatermarkInit() {
        assertThat(((FakeZonedAllocator) boot("min_free_kbytes=4096").pageAllocator()).userMinFreeKbytes)
                .isEqualTo(4096);
        assertThat(((FakeZonedAllocator) boot().pageAllocator()).userMinFreeKbytes)
                .isEqualTo(-1);
    }

    @Test
    void badWords_failWithExitCode2() {
        for (String w : new String[] {"mem=0", "mem=abc", "nr_cpus=0", "foo=1", "trace_event=kmem:nope"}) {
            Kernel.BootResult r = Kernel.boot(List.of(w), FakeZonedAllocator.components(List.of()));
            assertThat(r.ok()).isFalse();
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.error()).contains("'" + w + "'");
        }
    }

    @Test
    void tooSmallForTheCpus_failsLikeAPanicNotAnException() {
        Kernel.BootResult r = Kernel.boot(List.of("mem=16M", "nr_cpus=512"), FakeZonedAllocator.components(List.of()));
        assertThat(r.ok()).isFalse();
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.error())
                .isEqualTo("kmemlab: the machine cannot boot with 'mem=16M nr_cpus=512': "
                        + "Kernel panic - not syncing: Failed to initialize percpu areas.");
    }

    @Test
    void unalignedMem_roundsDownToWholePages() {
        Kernel k = boot("mem=20000001");
        assertThat(k.machine().nrFrames()).isEqualTo(20000001 / 4096);
        assertThat(k.memblock().validate()).isEmpty();
    }

    @Test
    void noSlabProvider_bootsWithoutSlabAndSaysWhy() {
        Kernel k = boot();
        assertThat(k.slab()).isNull();
        assertThat(k.slabUnavailable()).isEqualTo("slab allocator 'slub' is not available");
    }

    @Test
    void tracefsEnableFiles_toggleEvents() {
        Kernel k = boot("trace_event=kmem:mm_page_alloc");
        var vfs = k.machine().vfs();
        assertThat(vfs.read("/sys/kernel/tracing/events/kmem/mm_page_alloc/enable"))
                .isEqualTo("1\n");
        assertThat(vfs.write("/sys/kernel/tracing/events/kmem/kmalloc/enable", "1\n"))
                .isNull();
        assertThat(vfs.read("/sys/kernel/tracing/set_event")).isEqualTo("kmem:mm_page_alloc\nkmem:kmalloc\n");
        assertThat(vfs.write("/sys/kernel/tracing/events/kmem/kmalloc/enable", "2"))
                .isEqualTo("EINVAL");
        assertThat(vfs.read("/sys/kernel/tracing/trace")).startsWith("# tracer: nop\n");
    }

    @Test
    void memblock_isConsistentAfterBoot() {
        for (String m : new String[] {"mem=16M", "mem=1G", "mem=5G", "mem=64G"}) {
            Memblock mb = boot(m).memblock();
            assertThat(mb.validate()).isEmpty();
        }
    }
}
