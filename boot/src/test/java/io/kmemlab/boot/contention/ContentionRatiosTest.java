package io.kmemlab.boot.contention;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.sched.ContentionRow;
import org.junit.jupiter.api.Test;

/**
 * The model's 2-thread/1-thread ratios on bench-malloc-thread fall within ±35 % of the ratios
 * measured on this kind of machine (the reference's §3.5 table A; docs/contention.md). A property
 * of the deterministic model with its calibrated costs, not a timing.
 */
class ContentionRatiosTest {
    private static final GlibcThreadWorkload W = new GlibcThreadWorkload();
    private static final ContentionOptions O = new ContentionOptions(0, 1, UserWorkload.USER_COST, 100_000);

    private static double ratio(String config) {
        StringBuilder v = new StringBuilder();
        ContentionRow one = W.run(config, 1, O, v);
        ContentionRow two = W.run(config, 2, O, v);
        return two.nsPerOp() / one.nsPerOp();
    }

    private static void within(String config, double measured) {
        assertThat(ratio(config)).as(config).isBetween(measured * 0.65, measured * 1.35);
    }

    @Test
    void glibcOneArena_collapsesOnItsFutex() {
        within("glibc-1arena", 88.5 / 13.9);
    }

    @Test
    void glibcDefaultArenas_stayFlat() {
        within("glibc", 14.4 / 14.3);
    }

    @Test
    void glibcOneArenaWithoutTcache_isFarSlowerStill() {
        within("glibc-1arena-notcache", 215.0 / 25.4);
    }

    @Test
    void jemallocTcache_masksTheSharedArena() {
        within("jemalloc", 8.7 / 7.3);
        within("jemalloc-1arena", 8.8 / 8.1);
    }
}
