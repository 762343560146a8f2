package io.kmemlab.malloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.malloc.bump.BumpAllocator;
import io.kmemlab.malloc.bump.BumpOptions;
import io.kmemlab.malloc.freelist.FitPolicy;
import io.kmemlab.malloc.freelist.FreeListAllocator;
import io.kmemlab.malloc.freelist.FreeListOptions;
import io.kmemlab.malloc.freelist.ListOrder;
import io.kmemlab.malloc.segregated.SegregatedAllocator;
import io.kmemlab.mm.testing.Golden;
import io.kmemlab.mm.user.HeapView;
import io.kmemlab.mm.user.HeapViewText;
import io.kmemlab.mm.user.UserAllocator;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The shell's {@code heap} drawing and OSTEP's output mode over a real heap, as golden files. */
class HeapViewGoldenTest {

    record Subject(String name, Function<ArrayUserSpace, UserAllocator> create) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Subject> allocators() {
        return Stream.of(
                new Subject(
                        "bump", s -> new BumpAllocator(s, BumpOptions.defaults().withArenaBytes(8192))),
                new Subject("first-fit", s -> new FreeListAllocator(s, FreeListOptions.of(FitPolicy.FIRST))),
                new Subject("next-fit", s -> new FreeListAllocator(s, FreeListOptions.of(FitPolicy.NEXT))),
                new Subject("best-fit", s -> new FreeListAllocator(s, FreeListOptions.of(FitPolicy.BEST))),
                new Subject("worst-fit", s -> new FreeListAllocator(s, FreeListOptions.of(FitPolicy.WORST))),
                new Subject(
                        "best-fit-size-desc",
                        s -> new FreeListAllocator(
                                s, FreeListOptions.of(FitPolicy.BEST).withOrder(ListOrder.SIZE_DESCENDING))),
                new Subject("segregated", s -> new SegregatedAllocator(s, SegregatedAllocator.defaultLayout())));
    }

    /** The same program for every allocator: a mix of sizes, frees that leave holes, an aligned block. */
    private static void program(UserAllocator a) {
        long[] p = new long[12];
        for (int i = 0; i < p.length; i++) {
            p[i] = a.malloc(16 + 40 * i);
        }
        for (int i = 0; i < p.length; i += 3) {
            a.free(p[i]);
        }
        a.free(p[4]);
        p[0] = a.malloc(30);
        p[3] = a.memalign(256, 100);
        p[4] = a.realloc(p[5], 500);
        a.malloc(3000);
    }

    @ParameterizedTest
    @MethodSource("allocators")
    void heapDrawing(Subject s) {
        ArrayUserSpace space = new ArrayUserSpace();
        UserAllocator a = s.create().apply(space);
        program(a);
        assertThat(a.validate()).isEmpty();
        HeapView view = a.heapView().orElseThrow();
        String text = view.render() + "searched " + view.lastSearched() + "\n";
        Golden.assertMatches("views/heap-" + s.name() + ".txt", text);
    }

    @Test
    void ostepModeOverARealHeap() {
        ArrayUserSpace space = new ArrayUserSpace();
        UserAllocator best = new FreeListAllocator(space, FreeListOptions.of(FitPolicy.BEST));
        String text = HeapViewText.ostepTranscript(best, "+10,+10,+10,-0,-2,+5,-9,-1,-1,+100");
        assertThat(text).contains("Free(ptr[1])\nreturned -1").contains("Invalid Free: Skipping");
        Golden.assertMatches("views/ostep-best-fit.txt", text);
        ArrayUserSpace space2 = new ArrayUserSpace();
        UserAllocator front = new FreeListAllocator(
                space2,
                FreeListOptions.of(FitPolicy.FIRST)
                        .withOrder(ListOrder.INSERT_FRONT)
                        .withLayout(new BoundaryTagHeap.TagLayout(16, 16, 0, 1024, false)));
        Golden.assertMatches(
                "views/ostep-first-fit-front-nocoalesce.txt",
                HeapViewText.ostepTranscript(front, "+20,+20,+20,+20,+20,-0,-1,-2,-3,-4,+60"));
    }
}
