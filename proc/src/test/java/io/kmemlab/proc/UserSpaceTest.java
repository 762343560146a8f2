package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import io.kmemlab.mm.user.UserSpace;
import org.junit.jupiter.api.Test;

/** The process as a user-space allocator sees it: memmove, abort, warnings and user time. */
class UserSpaceTest {
    private static final int RW = Mman.PROT_READ | Mman.PROT_WRITE;
    private static final int ANON = Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS;

    private final ProcTesting t = new ProcTesting();
    private final Process p = t.table.spawn("alloc");
    private final UserSpace u = p;

    private long filled(long len) {
        long a = u.mmap(0, 3 * 4096 * 4, RW, ANON);
        for (long i = 0; i < len; i++) {
            u.writeU8(a + i, (int) (i * 7 + 3));
        }
        return a;
    }

    @Test
    void copy_isAMemmove_acrossPages_inBothOverlapDirections() {
        long len = 3 * 4096 + 100;
        long a = filled(len);
        assertThat(u.copy(a + 5000, a, len)).isTrue();
        for (long i = 0; i < len; i += 97) {
            assertThat(u.readU8(a + 5000 + i)).as("up, byte %d", i).isEqualTo((int) ((i * 7 + 3) & 0xff));
        }
        long b = filled(len);
        assertThat(u.copy(b, b + 5000, len - 5000)).isTrue();
        for (long i = 0; i < len - 5000; i += 97) {
            assertThat(u.readU8(b + i)).as("down, byte %d", i).isEqualTo((int) (((i + 5000) * 7 + 3) & 0xff));
        }
        t.valid();
    }

    @Test
    void abort_writesStderr_killsWithSigabrt_andLaterCallsFail() {
        u.warn("a warning");
        assertThat(u.alive()).isTrue();
        u.abort("free(): invalid pointer");
        assertThat(u.alive()).isFalse();
        assertThat(p.killSignal()).isEqualTo(Process.SIGABRT);
        assertThat(p.stderr()).containsExactly("a warning", "free(): invalid pointer");
        assertThat(u.mmap(0, 4096, RW, ANON)).isEqualTo(-Errno.ESRCH);
        assertThat(t.table.process(p.pid())).isNull();
        t.valid();
    }

    @Test
    void chargeUser_advancesTheClock_andBooksUserTime() {
        long t0 = u.nowNanos();
        u.chargeUser(250);
        assertThat(u.nowNanos() - t0).isEqualTo(250);
        assertThat(p.timeNanos(io.kmemlab.mm.user.TimeCategory.USER)).isGreaterThanOrEqualTo(250);
    }
}
