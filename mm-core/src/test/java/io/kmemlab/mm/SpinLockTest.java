package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SpinLockTest {
    @Test
    void tryLockFailsWhileHeldAndCountsOnlyAcquisitions() {
        SpinLock l = new SpinLock("pcp->lock");
        assertThat(l.tryLock()).isTrue();
        assertThat(l.isLocked()).isTrue();
        assertThat(l.tryLock()).isFalse();
        l.unlock();
        assertThat(l.isLocked()).isFalse();
        l.lock();
        l.unlock();
        assertThat(l.acquisitions()).isEqualTo(2);
        assertThat(l.contentions()).isZero();
    }

    @Test
    void relockingAHeldLockIsADeadlockNamedByTheLock() {
        SpinLock l = new SpinLock("zone->lock:Normal");
        l.lock();
        assertThatThrownBy(l::lock).isInstanceOf(IllegalStateException.class).hasMessageContaining("zone->lock:Normal");
        assertThat(l.contentions()).isEqualTo(1);
        assertThat(l.acquisitions()).isEqualTo(1);
        l.unlock();
    }
}
