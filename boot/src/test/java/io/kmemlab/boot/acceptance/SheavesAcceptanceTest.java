package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.replay.KernelCaches;
import io.kmemlab.boot.shell.Shell;
import io.kmemlab.boot.testing.Cli;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabLayer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 12 §1–§3 through the commands: {@code layout --sheaf-capacity}, alignments above PAGE_SIZE,
 * the shell's {@code sheaf_capacity=}, the boot word {@code slub_version=7.1}, and the catalogue of
 * the kernel's caches a replay creates.
 */
class SheavesAcceptanceTest {

    private static String key(String out, String key) {
        for (String l : out.split("\n")) {
            if (l.startsWith(key + ": ")) {
                return l.substring(key.length() + 2);
            }
        }
        return null;
    }

    @Test
    void layout_sheafCapacity_isAmongTheKeys() {
        Cli.Run r = Cli.run("layout", "256", "--align", "256", "--sheaf-capacity", "32", "nr_cpus=2");
        assertThat(r.exit()).isZero();
        assertThat(key(r.out(), "sheaf_capacity")).isEqualTo("32");
        assertThat(key(Cli.run("layout", "256", "nr_cpus=2").out(), "sheaf_capacity"))
                .isEqualTo("0");
        // 7.1: capacity by stride, the request a floor
        assertThat(key(Cli.run("layout", "192", "slub_version=7.1").out(), "sheaf_capacity"))
                .isEqualTo("60");
        assertThat(key(
                        Cli.run("layout", "256", "--sheaf-capacity", "32", "slub_version=7.1")
                                .out(),
                        "sheaf_capacity"))
                .isEqualTo("32");
    }

    @Test
    void layout_alignAbovePageSize_isTakenAsTheKernelTakesIt() {
        // kmalloc-8k's geometry: slab_size 8192, align 8192, order 3, 4 objects (slub.md §3 table)
        Cli.Run r = Cli.run("layout", "8192", "--align", "8192", "nr_cpus=2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(key(r.out(), "slab_size")).isEqualTo("8192");
        assertThat(key(r.out(), "align")).isEqualTo("8192");
        assertThat(key(r.out(), "order")).isEqualTo("3");
        assertThat(key(r.out(), "objs_per_slab")).isEqualTo("4");
        // a small object with a large alignment takes a whole aligned slot
        Cli.Run small = Cli.run("layout", "100", "--align", "16384", "nr_cpus=2");
        assertThat(small.exit()).as(small.err()).isZero();
        assertThat(key(small.out(), "slab_size")).isEqualTo("16384");
        // still refused: not a power of two, or larger than a slab can be
        assertThat(Cli.run("layout", "8192", "--align", "12288").exit()).isNotZero();
        assertThat(Cli.run("layout", "8192", "--align", String.valueOf(8L << 20))
                        .exit())
                .isNotZero();
    }

    @Test
    void layout_alignAbovePageSize_underEveryAllocator() {
        for (String a : List.of("slab", "slob")) {
            Cli.Run r = Cli.run("layout", "8192", "--align", "8192", "slab=" + a);
            assertThat(r.exit()).as(a + ": " + r.err()).isZero();
        }
    }

    @Test
    void shell_kmemCacheCreate_sheafCapacity_showsInSysfs_andTheCacheWorks() {
        Kernel k = Kernel.boot(List.of("mem=256M", "nr_cpus=2")).kernel();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Shell sh = new Shell(
                k,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Shell.RunResult r = sh.run(
                "kmem_cache_create mt 256 align=256 sheaf_capacity=32\n"
                        + "$a = kmem_cache_alloc mt\n"
                        + "kmem_cache_free mt $a\n"
                        + "cat /sys/kernel/slab/mt/sheaf_capacity /sys/kernel/slab/mt/alloc_cpu_sheaf"
                        + " /sys/kernel/slab/mt/free_cpu_sheaf\n",
                false);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(r.failed()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).endsWith("32\n1 C0=1\n1 C0=1\n");
        Shell.RunResult bad = sh.run("kmem_cache_create mt2 64 sheaf_capacity=-1\n", false);
        assertThat(bad.failed()).isEqualTo(1);
    }

    @Test
    void bootWord_slubVersion71_isTakenByTheBoot_andRefusesOthers() {
        Kernel.BootResult ok = Kernel.boot(List.of("mem=64M", "slub_version=7.1"));
        assertThat(ok.ok()).isTrue();
        SlabLayer slab = ok.kernel().slab();
        assertThat(ok.kernel().machine().vfs().read("/sys/kernel/slab/kmalloc-64/sheaf_capacity"))
                .isEqualTo("60\n");
        assertThat(slab.find("kmalloc-64")).isNotNull();
        Kernel.BootResult bad = Kernel.boot(List.of("mem=64M", "slub_version=8.0"));
        assertThat(bad.ok()).isFalse();
        assertThat(bad.error()).contains("slub_version=8.0");
    }

    @Test
    void catalogue_vmAreaStructAndMapleNode_asThe618KernelCreatesThem() {
        KernelCaches.Spec vma = KernelCaches.find("vm_area_struct");
        KernelCaches.Spec maple = KernelCaches.find("maple_node");
        assertThat(vma.sheafCapacity()).isEqualTo(32);
        assertThat(maple.sheafCapacity()).isEqualTo(32);
        // the live 6.18.44 kernel: vm_area_struct 192/192 align 64, maple_node 256/256 align 256
        Kernel k = Kernel.boot(List.of("mem=64M", "nr_cpus=2")).kernel();
        KmemCache v = k.slab().kmemCacheCreate("vm_area_struct", 192, vma.flags(), vma.args(192));
        KmemCache m = k.slab().kmemCacheCreate("maple_node", 256, maple.flags(), maple.args(256));
        assertThat(v.impl().size()).isEqualTo(192);
        assertThat(v.impl().align()).isEqualTo(64);
        assertThat(m.impl().size()).isEqualTo(256);
        assertThat(m.impl().align()).isEqualTo(256);
        assertThat(vma.shape(192).slubSize()).isEqualTo(192);
        var vfs = k.machine().vfs();
        assertThat(vfs.read("/sys/kernel/slab/vm_area_struct/sheaf_capacity")).isEqualTo("32\n");
        assertThat(vfs.read("/sys/kernel/slab/vm_area_struct/destroy_by_rcu")).isEqualTo("1\n");
        assertThat(vfs.read("/sys/kernel/slab/maple_node/sheaf_capacity")).isEqualTo("32\n");
        assertThat(vfs.read("/sys/kernel/slab/maple_node/aliases")).isEqualTo("0\n");
    }

    @Test
    void compare_putsTheSlubOf71BesideThatOf618_withTheSheafRows() {
        Cli.Run r = Cli.run(
                "compare", "--workload", "fork", "--events", "3000", "--no-chart", "--json", "mem=256M", "nr_cpus=2");
        assertThat(r.exit()).as(r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("\"slab\"", "\"slub\"", "\"slub-7.1\"", "\"slob\"");
        assertThat(out).contains("\"sheaf_objects\"", "\"sheaf_bytes\"");
        Cli.Run table = Cli.run("compare", "--workload", "fork", "--events", "3000", "--no-chart", "mem=256M");
        assertThat(table.exit()).as(table.err()).isZero();
        String header = table.out()
                .lines()
                .filter(l -> l.contains("slub-7.1"))
                .findFirst()
                .orElseThrow();
        assertThat(header.indexOf("slab")).isLessThan(header.indexOf("slub "));
        assertThat(header.indexOf("slub ")).isLessThan(header.indexOf("slub-7.1"));
        assertThat(header.indexOf("slub-7.1")).isLessThan(header.indexOf("slob"));
        assertThat(table.out()).contains("in sheaves", "sheaf memory");
    }

    @Test
    void shell_prefillApi_asTheMapleTreeUsesIt_andKfreeRcuThroughTheRcuSheaf() {
        Kernel k = Kernel.boot(List.of("mem=256M", "nr_cpus=2")).kernel();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Shell sh = new Shell(
                k,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        Shell.RunResult r = sh.run(
                "kmem_cache_create mn 256 align=256 sheaf_capacity=32\n"
                        + "$s = kmem_cache_prefill_sheaf mn 10\n"
                        + "kmem_cache_sheaf_size mn $s\n"
                        + "$a = kmem_cache_alloc_from_sheaf mn $s\n"
                        + "kmem_cache_sheaf_size mn $s\n"
                        + "$t = kmem_cache_refill_sheaf mn $s 40\n"
                        + "kmem_cache_sheaf_size mn $t\n"
                        + "kmem_cache_return_sheaf mn $t\n"
                        + "kfree_rcu $a\n"
                        + "cat /sys/kernel/slab/mn/sheaf_prefill_slow /sys/kernel/slab/mn/sheaf_prefill_oversize"
                        + " /sys/kernel/slab/mn/free_rcu_sheaf\n",
                false);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(r.failed()).isZero();
        String o = out.toString(StandardCharsets.UTF_8);
        // a regular sheaf is filled to capacity (32); one object taken; 40 needs an oversize sheaf
        assertThat(o).contains("\n32\n", "\n31\n", "\n40\n");
        assertThat(o).endsWith("1 C0=1\n1 C0=1\n1 C0=1\n");
        Shell.RunResult bad = sh.run("kmem_cache_return_sheaf mn 0xffff888000001000\n", false);
        assertThat(bad.failed()).isEqualTo(1);
        // under SLAB, which predates sheaves, the prefill returns NULL
        Kernel slab = Kernel.boot(List.of("mem=256M", "slab=slab")).kernel();
        Shell sh2 = new Shell(
                slab,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(sh2.run("kmem_cache_create mn 256\n$s = kmem_cache_prefill_sheaf mn 4\n", false)
                        .failed())
                .isEqualTo(1);
    }

    /**
     * /sys/kernel/slab/{maple_node,vm_area_struct,kmalloc-8k}/ of the live 6.18.44 kernel of these
     * machines (2 CPUs): object_size, slab_size, align, order, objs_per_slab, min_partial,
     * cpu_partial, sheaf_capacity — reproduced by layout with the cache's creation arguments.
     */
    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            value = {
                "256 --align 256 --sheaf-capacity 32; 256,256,256,0,16,5,52,32",
                "192 --flags HWCACHE_ALIGN,TYPESAFE_BY_RCU,ACCOUNT --freeptr-offset 0 --sheaf-capacity 32;"
                        + " 192,192,64,0,21,5,120,32",
                "8192 --align 8192; 8192,8192,8192,3,4,6,6,0"
            })
    void layout_reproducesTheLive618Caches(String args, String live) {
        List<String> a = new java.util.ArrayList<>(List.of("layout"));
        a.addAll(List.of(args.split(" ")));
        a.add("nr_cpus=2");
        Cli.Run r = Cli.run(a.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isZero();
        String[] keys = {
            "object_size",
            "slab_size",
            "align",
            "order",
            "objs_per_slab",
            "min_partial",
            "cpu_partial",
            "sheaf_capacity"
        };
        String[] want = live.trim().split(",");
        for (int i = 0; i < keys.length; i++) {
            assertThat(key(r.out(), keys[i])).as(args + " " + keys[i]).isEqualTo(want[i]);
        }
    }
}
