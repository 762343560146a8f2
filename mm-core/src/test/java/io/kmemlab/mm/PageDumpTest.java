package io.kmemlab.mm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** __dump_page()'s lines, the one format every report prints a page in. */
class PageDumpTest {
    private final PageFrames frames = new PageFrames(64);

    @Test
    void plainPageInZoneDma32_zoneInTheTopBits_namesInParentheses() {
        frames.setZone(5, 1);
        frames.setRefcount(5, 1);
        assertThat(PageDump.of(frames, 5))
                .isEqualTo("page: refcount:1 mapcount:0 mapping:0000000000000000 index:0x0 pfn:0x5\n"
                        + "flags: 0x4000000000000000(node=0|zone=1)\n");
    }

    @Test
    void reservedAndHead_areBits11And6_andTheirNamesComeFirst() {
        frames.setZone(0x20, 2);
        frames.prepCompound(0x20, 2);
        frames.set(0x20, PageFrames.PG_RESERVED);
        assertThat(PageDump.of(frames, 0x20))
                .contains("pfn:0x20\n")
                .contains("flags: 0x8000000000000840(reserved|head|node=0|zone=2)\n");
    }

    @Test
    void pageTypes_buddySlabLargeKmalloc() {
        frames.set(1, PageFrames.PG_BUDDY);
        frames.set(2, PageFrames.PG_SLAB);
        frames.set(3, PageFrames.PG_LARGE_KMALLOC);
        assertThat(PageDump.of(frames, 1)).endsWith("flags: 0x0(node=0|zone=0)\npage_type: f0(buddy)\n");
        assertThat(PageDump.of(frames, 2)).endsWith("page_type: f5(slab)\n");
        assertThat(PageDump.of(frames, 3)).endsWith("page_type: f8(large_kmalloc)\n");
    }

    @Test
    void theFlagsWord_neverShowsKmemlabsPackedFields() {
        // the packed refcount/order/zone word is kmemlab's own; the dump prints the kernel's
        frames.setZone(9, 1);
        frames.setRefcount(9, 3);
        frames.setOrder(9, 4);
        assertThat(PageDump.of(frames, 9))
                .contains("flags: 0x4000000000000000(node=0|zone=1)\n")
                .doesNotContain(Integer.toHexString(frames.rawFlags(9)) + "\n");
    }
}
