package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PfnListTest {
    private final PageFrames frames = new PageFrames(64);

    {
        frames.initAll();
    }

    private List<Integer> walk(PfnList l) {
        List<Integer> out = new ArrayList<>();
        for (int p = l.first(); p != PageFrames.NIL; p = l.next(p)) {
            out.add(p);
        }
        return out;
    }

    @Test
    void addHeadAddTailRemove_keepOrderAndSize() {
        PfnList l = new PfnList(frames);
        l.addTail(5);
        l.addHead(3);
        l.addTail(9);
        assertThat(walk(l)).containsExactly(3, 5, 9);
        l.remove(5);
        assertThat(walk(l)).containsExactly(3, 9);
        assertThat(l.size()).isEqualTo(2);
        assertThat(l.pollLast()).isEqualTo(9);
        assertThat(l.pollFirst()).isEqualTo(3);
        assertThat(l.isEmpty()).isTrue();
        assertThat(l.pollFirst()).isEqualTo(PageFrames.NIL);
    }

    @Test
    void frameFields_packWithoutInterference() {
        frames.setZone(7, 2);
        frames.setOrder(7, 10);
        frames.setRefcount(7, 1000);
        frames.setPcpMigratetype(7, 4);
        frames.set(7, PageFrames.PG_BUDDY);
        assertThat(frames.zone(7)).isEqualTo(2);
        assertThat(frames.order(7)).isEqualTo(10);
        assertThat(frames.refcount(7)).isEqualTo(1000);
        assertThat(frames.pcpMigratetype(7)).isEqualTo(4);
        assertThat(frames.test(7, PageFrames.PG_BUDDY)).isTrue();
        frames.reset(7);
        assertThat(frames.zone(7)).isEqualTo(2);
        assertThat(frames.order(7)).isZero();
        assertThat(frames.refcount(7)).isZero();
        assertThat(frames.test(7, PageFrames.PG_BUDDY)).isFalse();
    }

    @Test
    void compound_tailsPointToHead() {
        frames.prepCompound(16, 3);
        assertThat(frames.compoundHead(16)).isEqualTo(16);
        assertThat(frames.compoundHead(23)).isEqualTo(16);
        assertThat(frames.order(16)).isEqualTo(3);
        frames.clearCompound(16, 3);
        assertThat(frames.compoundHead(23)).isEqualTo(23);
    }

    @Test
    void rotateToFront_everyLengthAndPosition_sameLinksAsMovingTheFrontToTheTailOneByOne() {
        for (int n = 1; n <= 7; n++) {
            for (int k = 0; k < n; k++) {
                PageFrames a = new PageFrames(64);
                PageFrames b = new PageFrames(64);
                a.initAll();
                b.initAll();
                PfnList la = new PfnList(a);
                PfnList lb = new PfnList(b);
                for (int i = 0; i < n; i++) {
                    la.addTail(10 + 3 * i);
                    lb.addTail(10 + 3 * i);
                }
                int target = 10 + 3 * k;
                la.rotateToFront(target);
                while (lb.first() != target) {
                    lb.moveToTail(lb.first());
                }
                assertThat(walk(la)).as("n=%d k=%d", n, k).isEqualTo(walk(lb));
                assertThat(la.first()).isEqualTo(target);
                assertThat(la.last()).isEqualTo(lb.last());
                assertThat(la.size()).isEqualTo(n);
                for (int pfn = 0; pfn < 64; pfn++) {
                    assertThat(a.next(pfn)).as("next of %d", pfn).isEqualTo(b.next(pfn));
                    assertThat(a.prev(pfn)).as("prev of %d", pfn).isEqualTo(b.prev(pfn));
                }
            }
        }
    }
}
