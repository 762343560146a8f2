package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Overcommit;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import org.junit.jupiter.api.Test;

/** vm.overcommit_memory 0, 1 and 2 as __vm_enough_memory applies them to mmap, brk and mprotect. */
class OvercommitTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    private final ProcTesting t = new ProcTesting(64L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
    private final Overcommit oc = t.machine.overcommit();
    private final Process p = t.table.spawn("oc");

    private long totalram() {
        return t.pages.managedPages();
    }

    @Test
    void committedAs_countsPrivateWritableMappings_andGivesThemBack() {
        long before = oc.committedPages();
        long a = p.mmap(0, 10 << 12, RW, ANON);
        assertThat(oc.committedPages() - before).isEqualTo(10);
        p.mmap(0, 10 << 12, Mman.PROT_READ, ANON);
        p.mmap(0, 10 << 12, RW, ANON | Mman.MAP_NORESERVE);
        p.mmap(0, 10 << 12, RW, Mman.MAP_SHARED | Mman.MAP_ANONYMOUS);
        assertThat(oc.committedPages() - before)
                .as("read-only, NORESERVE and shared are not charged")
                .isEqualTo(10);
        assertThat(p.munmap(a + (4 << 12), 2 << 12)).isZero();
        assertThat(oc.committedPages() - before).isEqualTo(8);
        p.exitGroup(0);
        assertThat(oc.committedPages()).isZero();
    }

    @Test
    void mode0_refusesOnlyASingleRequestLargerThanRam() {
        assertThat(p.mmap(0, (totalram() + 1) << 12, RW, ANON)).isEqualTo(-Errno.ENOMEM);
        assertThat(t.machine.dmesg().text())
                .contains("__vm_enough_memory: pid: " + p.pid() + ", comm: oc, bytes: " + ((totalram() + 1) << 12)
                        + " not enough memory for the allocation");
        assertThat(p.mmap(0, totalram() << 12, RW, ANON)).isPositive();
        assertThat(p.mmap(0, totalram() << 12, RW, ANON))
                .as("the sum may exceed RAM")
                .isPositive();
    }

    @Test
    void mode1_neverRefuses() {
        assertThat(oc.setOvercommitMemory(Overcommit.OVERCOMMIT_ALWAYS)).isNull();
        long a = p.mmap(0, 1L << 40, RW, ANON);
        assertThat(a).isPositive();
        assertThat(oc.committedPages()).isGreaterThanOrEqualTo((1L << 40) >>> 12);
        t.valid();
    }

    @Test
    void mode2_refusesPastTheCommitLimit_lessTheReserves() {
        t.machine.vfs().write("/proc/sys/vm/overcommit_memory", "2\n");
        t.machine.vfs().write("/proc/sys/vm/overcommit_ratio", "50\n");
        long limit = totalram() * 50 / 100;
        assertThat(oc.commitLimitPages()).isEqualTo(limit);
        long admin = oc.adminReserveKbytes() >>> 2;
        // Unprivileged: the admin reserve is kept back, and the user reserve's slice of total_vm.
        long room = limit - admin - Math.min(p.totalVm() / 32, oc.userReserveKbytes() >>> 2) - oc.committedPages();
        assertThat(p.mmap(0, (room + 1) << 12, RW, ANON)).isEqualTo(-Errno.ENOMEM);
        assertThat(p.mmap(0, (room - 1) << 12, RW, ANON)).isPositive();
        assertThat(p.mmap(0, 1L << 20, RW, ANON | Mman.MAP_NORESERVE))
                .as("NORESERVE is charged in mode 2")
                .isEqualTo(-Errno.ENOMEM);
        long ro = p.mmap(0, 1L << 20, Mman.PROT_READ, ANON);
        assertThat(ro).as("read-only is never charged").isPositive();
        assertThat(p.mprotect(ro, 1L << 20, RW))
                .as("making it writable charges it")
                .isEqualTo(-Errno.ENOMEM);
        assertThat(p.brk(p.brkAddress() + (1L << 20))).as("brk cannot move").isEqualTo(p.brkAddress());
        t.valid();
    }

    @Test
    void sysctls_readAndWriteAsTheKernels() {
        var vfs = t.machine.vfs();
        assertThat(vfs.read("/proc/sys/vm/overcommit_memory")).isEqualTo("0\n");
        assertThat(vfs.read("/proc/sys/vm/overcommit_ratio")).isEqualTo("50\n");
        assertThat(vfs.write("/proc/sys/vm/overcommit_memory", "3")).isEqualTo("EINVAL");
        assertThat(vfs.write("/proc/sys/vm/overcommit_kbytes", "65536")).isNull();
        assertThat(vfs.read("/proc/sys/vm/overcommit_ratio"))
                .as("kbytes clears ratio")
                .isEqualTo("0\n");
        assertThat(oc.commitLimitPages()).isEqualTo(65536 / 4);
        assertThat(vfs.write("/proc/sys/vm/overcommit_ratio", "80")).isNull();
        assertThat(vfs.read("/proc/sys/vm/overcommit_kbytes"))
                .as("ratio clears kbytes")
                .isEqualTo("0\n");
        assertThat(oc.commitLimitPages()).isEqualTo(totalram() * 80 / 100);
    }

    @Test
    void guardPages_ofAnUntouchedRegion_giveTheirChargeBack() {
        long a = p.mmap(0, 16 << 12, RW, ANON);
        long c = oc.committedPages();
        assertThat(p.mprotect(a, 4096, Mman.PROT_NONE)).isZero();
        assertThat(oc.committedPages()).isEqualTo(c - 1);
        assertThat(p.vmas())
                .filteredOn(v -> v.start() == a)
                .singleElement()
                .satisfies(v -> assertThat(v.flags() & VmFlags.VM_ACCOUNT).isZero());
        t.valid();
    }
}
