package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The array-headed lists (PageFrames.list*) against a deque per list, and against PfnList's links. */
class PageFramesListTest {
    private static final int LISTS = 4;

    private static List<Integer> forward(PageFrames f, int[] heads, int i) {
        List<Integer> out = new ArrayList<>();
        for (int p = heads[2 * i]; p != PageFrames.NIL; p = f.next(p)) {
            out.add(p);
        }
        return out;
    }

    private static List<Integer> backward(PageFrames f, int[] heads, int i) {
        List<Integer> out = new ArrayList<>();
        for (int p = heads[2 * i + 1]; p != PageFrames.NIL; p = f.prev(p)) {
            out.add(0, p);
        }
        return out;
    }

    @Test
    void randomAddsAndPolls_matchADequePerList_bothWays() {
        PageFrames f = new PageFrames(256);
        f.initAll();
        int[] heads = new int[2 * LISTS];
        Arrays.fill(heads, PageFrames.NIL);
        List<Deque<Integer>> model = new ArrayList<>();
        for (int i = 0; i < LISTS; i++) {
            model.add(new ArrayDeque<>());
        }
        Deque<Integer> spare = new ArrayDeque<>();
        for (int p = 0; p < 256; p++) {
            spare.add(p);
        }
        SplittableRandom r = new SplittableRandom(17);
        for (int step = 0; step < 20_000; step++) {
            int i = r.nextInt(LISTS);
            int op = r.nextInt(4);
            if (op < 2 && !spare.isEmpty()) {
                int pfn = spare.poll();
                if (op == 0) {
                    f.listAddHead(heads, i, pfn);
                    model.get(i).addFirst(pfn);
                } else {
                    f.listAddTail(heads, i, pfn);
                    model.get(i).addLast(pfn);
                }
            } else {
                Integer want = op == 2 ? model.get(i).pollFirst() : model.get(i).pollLast();
                int got = op == 2 ? f.listPollFirst(heads, i) : f.listPollLast(heads, i);
                assertThat(got).isEqualTo(want == null ? PageFrames.NIL : want);
                if (got != PageFrames.NIL) {
                    // an unlinked frame carries no links, as PfnList leaves it
                    assertThat(f.next(got)).isEqualTo(PageFrames.NIL);
                    assertThat(f.prev(got)).isEqualTo(PageFrames.NIL);
                    spare.add(got);
                }
            }
            List<Integer> expect = new ArrayList<>(model.get(i));
            assertThat(forward(f, heads, i)).isEqualTo(expect);
            assertThat(backward(f, heads, i)).isEqualTo(expect);
        }
    }

    @Test
    void sameLinksAsPfnList() {
        PageFrames a = new PageFrames(32);
        PageFrames b = new PageFrames(32);
        a.initAll();
        b.initAll();
        int[] heads = {PageFrames.NIL, PageFrames.NIL};
        PfnList l = new PfnList(b);
        int[] pfns = {7, 3, 12, 30, 1};
        for (int k = 0; k < pfns.length; k++) {
            if (k % 2 == 0) {
                a.listAddHead(heads, 0, pfns[k]);
                l.addHead(pfns[k]);
            } else {
                a.listAddTail(heads, 0, pfns[k]);
                l.addTail(pfns[k]);
            }
        }
        assertThat(a.listPollFirst(heads, 0)).isEqualTo(l.pollFirst());
        assertThat(a.listPollLast(heads, 0)).isEqualTo(l.pollLast());
        for (int p = 0; p < 32; p++) {
            assertThat(a.next(p)).as("next of %d", p).isEqualTo(b.next(p));
            assertThat(a.prev(p)).as("prev of %d", p).isEqualTo(b.prev(p));
        }
        assertThat(heads[0]).isEqualTo(l.first());
        assertThat(heads[1]).isEqualTo(l.last());
    }
}
