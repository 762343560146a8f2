package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProcessSmokeTest {
    @Test
    void spawnMapTouchUnmap() {
        ProcTesting t = new ProcTesting();
        Process p = t.table.spawn("demo");
        assertThat(p).isNotNull();
        t.valid();
        long a = p.mmap(0, 1 << 20, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        assertThat(a).isPositive();
        assertThat(p.touchRange(a, 1 << 20, true)).isEqualTo(256);
        assertThat(p.rss(Pte.MM_ANONPAGES)).isEqualTo(257);
        t.valid();
        System.out.print(ProcViews.maps(p));
        System.out.print(ProcViews.status(p, 2, 1000));
        System.out.print(ProcViews.smapsRollup(p.smapsRollup()));
        System.out.print(ProcViews.stat(p));
        assertThat(p.munmap(a, 1 << 20)).isZero();
        assertThat(p.rss(Pte.MM_ANONPAGES)).isEqualTo(1);
        t.valid();
        p.exitGroup(0);
        t.valid();
        assertThat(t.pages.allocatedPages()).isEqualTo(1);
    }
}
