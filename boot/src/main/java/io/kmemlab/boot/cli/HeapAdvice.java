package io.kmemlab.boot.cli;

import io.kmemlab.boot.BootParams;
import io.kmemlab.mm.Addr;
import java.util.List;
import java.util.Locale;

/**
 * How much Java heap a run's machines need, for the advice a command prints when the heap runs
 * out. Every emulated page frame costs its {@code struct page} fields ({@link #FRAME_BYTES} bytes,
 * the budget of {@code PageFrames}) in every machine at once; frame contents are allocated only
 * when written, so the advice adds a quarter (at least 1 GiB) of headroom for them and for the
 * rest of the JVM. mem=4T on one machine: 2^30 frames × 16 B = 16 GiB, advice {@code -Xmx20g}.
 */
final class HeapAdvice {
    /** Metadata bytes per 4 KiB frame and machine. */
    static final long FRAME_BYTES = 16;

    private static final long GIB = 1L << 30;

    private HeapAdvice() {}

    /** Installed RAM the words ask for: the last valid {@code mem=}, else the default. */
    static long memBytes(List<String> words) {
        long mem = BootParams.DEFAULT_MEM;
        for (String w : words) {
            if (w.startsWith("mem=")) {
                long v = BootParams.memparse(w.substring(4));
                if (v > 0) {
                    mem = v;
                }
            }
        }
        return mem;
    }

    /** Whole GiB of heap for {@code machines} machines of {@code memBytes} each, with headroom. */
    static long heapGiB(long memBytes, int machines) {
        long frames = memBytes >>> Addr.PAGE_SHIFT;
        long need = frames * FRAME_BYTES * Math.max(1, machines);
        long withHeadroom = need + Math.max(need / 4, GIB);
        return (withHeadroom + GIB - 1) / GIB;
    }

    /**
     * The advice for the words' machines, e.g. {@code 1 machine of mem=4T needs about 20 GiB of Java
     * heap: KMEMLAB_JAVA_OPTS=-Xmx20g}.
     */
    static String advice(List<String> words, int machines) {
        long mem = memBytes(words);
        long gib = heapGiB(mem, machines);
        return String.format(
                Locale.ROOT,
                "%d machine%s of %s need%s about %d GiB of Java heap: " + "KMEMLAB_JAVA_OPTS=-Xmx%dg",
                machines,
                machines == 1 ? "" : "s",
                memWord(mem),
                machines == 1 ? "s" : "",
                gib,
                gib);
    }

    private static String memWord(long mem) {
        String[] units = {"", "K", "M", "G", "T"};
        int u = 0;
        while (u < units.length - 1 && mem % 1024 == 0 && mem >= 1024) {
            mem /= 1024;
            u++;
        }
        return "mem=" + mem + units[u];
    }
}
