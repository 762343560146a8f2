package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.user.Mman;
import org.junit.jupiter.api.Test;

/**
 * What compaction does to a user page, through the reverse map: allocate a new frame, copy the
 * bytes, tell the map, free the old frame. The process sees the same bytes at the same address.
 */
class RmapMigrationTest {
    @Test
    void migratedAnonymousPage_isFollowedByItsPte() {
        ProcTesting t = new ProcTesting();
        Process p = t.table.spawn("mig");
        long a = p.mmap(0, 4 * 4096, Mman.PROT_READ | Mman.PROT_WRITE, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
        p.writeU64(a + 4096 + 16, 0xfeedL);
        int old = p.pfnAt(a + 4096);
        UserPageRmap rmap = t.table.rmap();
        assertThat(rmap.mayMigrate(old, 0)).isTrue();
        assertThat(rmap.mayMigrate(old, 1)).isFalse();
        assertThat(rmap.owner(old)).isSameAs(p);
        assertThat(rmap.address(old)).isEqualTo(a + 4096);
        assertThat(rmap.mayMigrate(t.table.zeroPfn(), 0))
                .as("the zero page stays")
                .isFalse();
        int pgd = p.mm.pgtables.pgdPfn;
        assertThat(rmap.mayMigrate(pgd, 0))
                .as("page tables are not movable here")
                .isFalse();

        int fresh = t.pages.allocPages(0, Gfp.GFP_HIGHUSER_MOVABLE, 0);
        t.machine.mem().copy(Addr.pfnToVirt(fresh), Addr.pfnToVirt(old), Addr.PAGE_SIZE);
        rmap.migrated(old, fresh, 0);
        t.pages.freePages(0, old, 0);

        assertThat(p.pfnAt(a + 4096)).isEqualTo(fresh);
        assertThat(p.readU64(a + 4096 + 16)).isEqualTo(0xfeedL);
        assertThat(rmap.owner(fresh)).isSameAs(p);
        assertThat(rmap.owner(old)).isNull();
        assertThat(rmap.migrations()).isEqualTo(1);
        t.valid();
        p.exitGroup(0);
        assertThat(t.pages.allocatedPages()).isEqualTo(1);
    }
}
