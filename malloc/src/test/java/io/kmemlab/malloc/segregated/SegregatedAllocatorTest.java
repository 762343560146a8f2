package io.kmemlab.malloc.segregated;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.ArrayUserSpace;
import org.junit.jupiter.api.Test;

class SegregatedAllocatorTest {

    @Test
    void classOf_everySize_fallsInItsPowerOfTwoClass() {
        for (long size = 1; size <= (1L << 25); size += size < 70_000 ? 1 : 4093) {
            int c = SegregatedAllocator.classOf(size);
            assertThat(size).as("size %d in class %d", size, c).isLessThanOrEqualTo(SegregatedAllocator.classLimit(c));
            if (c > 0) {
                assertThat(size).isGreaterThan(SegregatedAllocator.classLimit(c - 1));
            }
        }
        assertThat(SegregatedAllocator.classOf(Long.MAX_VALUE)).isEqualTo(SegregatedAllocator.CLASSES - 1);
    }

    @Test
    void freedBlocks_goToTheHeadOfTheirClass_andAreTakenFirst() {
        ArrayUserSpace s = new ArrayUserSpace();
        SegregatedAllocator a = new SegregatedAllocator(s, SegregatedAllocator.defaultLayout());
        long[] p = new long[6];
        for (int i = 0; i < p.length; i++) {
            p[i] = a.malloc(100);
        }
        a.free(p[1]);
        a.free(p[3]);
        assertThat(a.length(SegregatedAllocator.classOf(112))).isEqualTo(2);
        assertThat(a.malloc(90)).as("LIFO: the last freed").isEqualTo(p[3]);
        assertThat(a.lastSearched()).isEqualTo(1);
        assertThat(a.malloc(90)).isEqualTo(p[1]);
        // a request no class below holds comes from a larger class, split, the rest filed by size
        a.free(p[2]);
        a.free(p[3]);
        a.free(p[1]);
        assertThat(a.length(SegregatedAllocator.classOf(336))).isEqualTo(1);
        long q = a.malloc(200);
        assertThat(q).isEqualTo(p[1]);
        assertThat(a.length(SegregatedAllocator.classOf(128))).isEqualTo(1);
        assertThat(a.validate()).isEmpty();
    }
}
