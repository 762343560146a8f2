package io.kmemlab.buddy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.mm.PageFrames;
import org.junit.jupiter.api.Test;

/** pcp->lock kept inline in PerCpuPages behaves as io.kmemlab.mm.SpinLock does. */
class PerCpuPagesLockTest {
    private final PerCpuPages pcp = new PerCpuPages(new PageFrames(16), 13, "pcp->lock:Normal:0");

    @Test
    void tryLockFailsWhileHeldAndCountsOnlyAcquisitions() {
        assertThat(pcp.tryLock()).isTrue();
        assertThat(pcp.isLocked()).isTrue();
        assertThat(pcp.tryLock()).isFalse();
        pcp.unlock();
        assertThat(pcp.isLocked()).isFalse();
        pcp.lock();
        pcp.unlock();
        assertThat(pcp.lockAcquisitions()).isEqualTo(2);
        assertThat(pcp.lockContentions()).isZero();
    }

    @Test
    void relockingIsADeadlockNamedByTheLock() {
        pcp.lock();
        assertThatThrownBy(pcp::lock)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("pcp->lock:Normal:0");
        assertThat(pcp.lockContentions()).isEqualTo(1);
        pcp.unlock();
    }

    @Test
    void emptyListsAndLengthByWalking() {
        assertThat(pcp.nrLists()).isEqualTo(13);
        for (int i = 0; i < 13; i++) {
            assertThat(pcp.isEmpty(i)).isTrue();
            assertThat(pcp.listLength(i)).isZero();
        }
        assertThat(pcp.listLength(13)).isZero();
        assertThat(pcp.listLength(-1)).isZero();
    }
}
