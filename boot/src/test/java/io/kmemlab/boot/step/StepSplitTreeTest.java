package io.kmemlab.boot.step;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.Kernel;
import io.kmemlab.boot.shell.Shell;
import io.kmemlab.mm.Addr;
import io.kmemlab.mm.MigrateType;
import io.kmemlab.mm.ZoneType;
import io.kmemlab.mm.page.PageAllocator;
import io.kmemlab.mm.page.ZoneMetric;
import io.kmemlab.mm.page.ZonedPageAllocatorMetric;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The split tree a step prints for a tiny known sequence, line by line, against the buddy
 * algorithm's rules rather than a recording: an order-4 movable request takes the head of the
 * smallest non-empty movable free list (order K, at pfn P) and expand() keeps the lowest part, so
 * the step must show the order-4 block at P allocated, its buddy at every order from 4 to K−1
 * free, and each block on the path above it split with exactly 16 pages used; freeing it must
 * show every level of the path inside one free block of order K again.
 */
class StepSplitTreeTest {

    private static String range(long pfn, int order) {
        return "0x" + Long.toHexString(pfn) + "-0x" + Long.toHexString(pfn + (1L << order) - 1);
    }

    @Test
    void order4Alloc_thenFree_printsTheSplitAndTheMerge() {
        Kernel kernel = Kernel.boot(List.of("mem=16M", "nr_cpus=1")).kernel();
        ZoneMetric dma =
                ((ZonedPageAllocatorMetric) kernel.machine().pageAllocator().metric()).zone(ZoneType.DMA.ordinal());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Shell shell = new Shell(
                kernel,
                new PrintStream(bytes, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        int[] head = new int[1];
        int k;
        while ((k = smallestMovable(dma, head)) == 4) {
            // an exact fit splits nothing: take it first
            assertThat(shell.run("alloc_pages 4 GFP_HIGHUSER_MOVABLE", false).ok())
                    .isTrue();
        }
        assertThat(k).as("a movable free block of order > 4").isBetween(5, PageAllocator.MAX_PAGE_ORDER);
        bytes.reset();
        long p = head[0];
        assertThat(shell.run("step on buddy; $a = alloc_pages 4 GFP_HIGHUSER_MOVABLE", false)
                        .ok())
                .isTrue();
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out)
                .startsWith(
                        "$a = " + Addr.hex(Addr.pfnToVirt((int) p)) + "\nstep: alloc_pages 4 GFP_HIGHUSER_MOVABLE\n");
        assertThat(out).contains("  split tree of pfn 0x" + Long.toHexString(p) + " order 4:\n");
        assertThat(line(out, 4))
                .matches(Pattern.quote("    order  4  " + range(p, 4) + "  allocated") + " +"
                        + Pattern.quote("buddy " + range(p + 16, 4) + "  free"));
        for (int o = 5; o < k; o++) {
            assertThat(line(out, o))
                    .matches(Pattern.quote(String.format(
                                    "    order %2d  %s  split (free %d, used 16)", o, range(p, o), (1 << o) - 16))
                            + " +" + Pattern.quote("buddy " + range(p + (1L << o), o) + "  free"));
        }
        assertThat(line(out, k))
                .startsWith(
                        String.format("    order %2d  %s  split (free %d, used 16)", k, range(p, k), (1 << k) - 16));

        bytes.reset();
        assertThat(shell.run("__free_pages $a 4", false).ok()).isTrue();
        out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(line(out, k)).startsWith(String.format("    order %2d  %s  free", k, range(p, k)));
        for (int o = 4; o < k; o++) {
            assertThat(line(out, o))
                    .matches(Pattern.quote(String.format("    order %2d  %s  in free order %d", o, range(p, o), k))
                            + " +" + Pattern.quote("buddy " + range(p + (1L << o), o) + "  in free order " + k));
        }
        assertThat(kernel.pageAllocator().validate()).isEmpty();
    }

    /** The smallest order ≥ 4 with a movable free block, its head PFN in {@code head[0]}; -1 if none. */
    private static int smallestMovable(ZoneMetric zone, int[] head) {
        for (int o = 4; o < PageAllocator.NR_PAGE_ORDERS; o++) {
            if (zone.freeListPfns(o, MigrateType.MOVABLE.ordinal(), head) == 1) {
                return o;
            }
        }
        return -1;
    }

    /** The tree line of {@code order}. */
    private static String line(String out, int order) {
        String prefix = String.format("    order %2d  ", order);
        return out.lines().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow();
    }
}
