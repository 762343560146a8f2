package io.kmemlab.malloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.bump.BumpAllocator;
import io.kmemlab.malloc.bump.BumpOptions;
import io.kmemlab.malloc.freelist.FitPolicy;
import io.kmemlab.malloc.freelist.FreeListAllocator;
import io.kmemlab.malloc.freelist.FreeListOptions;
import io.kmemlab.malloc.freelist.ListOrder;
import io.kmemlab.malloc.segregated.SegregatedAllocator;
import io.kmemlab.mm.user.UserAllocator;
import java.lang.management.ManagementFactory;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * malloc, free, realloc and calloc allocate no Java objects once the heap has grown (its pages
 * exist and the bookkeeping map is big enough), over {@link ArrayUserSpace}, whose loads and stores
 * allocate nothing either.
 */
class HotPathTest {

    record Subject(String name, Function<ArrayUserSpace, UserAllocator> create) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Subject> allocators() {
        Stream.Builder<Subject> b = Stream.builder();
        b.add(new Subject(
                "bump", s -> new BumpAllocator(s, BumpOptions.defaults().withArenaBytes(64L << 20))));
        for (FitPolicy p : FitPolicy.values()) {
            for (ListOrder o : ListOrder.values()) {
                b.add(new Subject(
                        p.allocatorName() + " " + o.optionName(),
                        s -> new FreeListAllocator(s, FreeListOptions.of(p).withOrder(o))));
            }
        }
        b.add(new Subject("segregated", s -> new SegregatedAllocator(s, SegregatedAllocator.defaultLayout())));
        return b.build();
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void mallocFreeReallocCalloc_allocateNoJavaObjects(Subject subject) {
        ArrayUserSpace space = new ArrayUserSpace();
        UserAllocator a = subject.create().apply(space);
        long[] ptrs = new long[64];
        for (int round = 0; round < 300; round++) {
            batch(a, ptrs, round);
        }
        long before = allocatedBytes();
        for (int round = 0; round < 300; round++) {
            batch(a, ptrs, round);
        }
        long used = allocatedBytes() - before;
        // 300 rounds x 192 operations: anything per operation would be > 57 KiB
        assertThat(used).as(subject.name()).isLessThan(4096);
        assertThat(a.metric().badFrees()).isZero();
        assertThat(space.alive()).isTrue();
    }

    private static void batch(UserAllocator a, long[] ptrs, int round) {
        for (int i = 0; i < ptrs.length; i++) {
            long size = 8 + ((i * 37 + round) % 200);
            ptrs[i] = (i & 7) == 0 ? a.calloc(2, size / 2) : a.malloc(size);
        }
        for (int i = 0; i < ptrs.length; i += 2) {
            ptrs[i] = a.realloc(ptrs[i], 16 + ((i * 11 + round) % 300));
        }
        for (int i = ptrs.length - 1; i >= 0; i--) {
            a.free(ptrs[i]);
        }
        if (a instanceof BumpAllocator bump && round % 50 == 49) {
            bump.reset();
        }
    }
}
