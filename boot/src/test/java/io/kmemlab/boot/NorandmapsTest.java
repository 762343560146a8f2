package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.proc.Process;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The norandmaps boot word, and the process table a boot brings up. */
class NorandmapsTest {
    @Test
    void norandmaps_isABareWord() {
        assertThat(BootParams.parse(List.of("norandmaps"), BootParamsTest.CLAIMS)
                        .params()
                        .norandmaps())
                .isTrue();
        assertThat(BootParams.parse(List.of("mem=1G"), BootParamsTest.CLAIMS)
                        .params()
                        .norandmaps())
                .isFalse();
        assertThat(BootParams.parse(List.of("norandmaps=1"), BootParamsTest.CLAIMS)
                        .error())
                .isEqualTo("kmemlab: invalid boot parameter 'norandmaps=1' (norandmaps takes no value)");
    }

    @Test
    void processes_getTheClassicLayoutUnderNorandmaps_andASeededOneOtherwise() {
        Kernel fixed = Kernel.boot(List.of("mem=256M", "norandmaps")).kernel();
        Process p = fixed.processes().spawn("a");
        assertThat(p.startCode()).isEqualTo(0x555555555000L);
        assertThat(p.mmapBase()).isEqualTo(0x7ffff7fff000L);
        assertThat(fixed.machine().vfs().read("/proc/sys/kernel/randomize_va_space"))
                .isEqualTo("0\n");
        Kernel r1 = Kernel.boot(List.of("mem=256M", "seed=7")).kernel();
        Kernel r2 = Kernel.boot(List.of("mem=256M", "seed=7")).kernel();
        Kernel r3 = Kernel.boot(List.of("mem=256M", "seed=8")).kernel();
        long b1 = r1.processes().spawn("a").mmapBase();
        assertThat(r2.processes().spawn("a").mmapBase()).isEqualTo(b1);
        assertThat(r3.processes().spawn("a").mmapBase()).isNotEqualTo(b1);
        assertThat(r1.machine().vfs().read("/proc/sys/kernel/randomize_va_space"))
                .isEqualTo("2\n");
    }

    @Test
    void theZeroPage_isTheFirstPageOfTheImagesBss_reservedAndZero() {
        Kernel k = Kernel.boot(List.of("mem=256M")).kernel();
        int zp = k.processes().zeroPfn();
        assertThat(Addr.pfnToPhys(zp)).isEqualTo(k.image().initEnd());
        assertThat(k.machine().frames().test(zp, PageFrames.PG_RESERVED)).isTrue();
        assertThat(k.machine().mem().allEqual(Addr.pfnToVirt(zp), 0, Addr.PAGE_SIZE))
                .isTrue();
        assertThat(k.processes().validate()).isEmpty();
    }
}
