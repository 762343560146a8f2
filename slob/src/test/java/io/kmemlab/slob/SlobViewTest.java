package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** kmemlab's /sys/kernel/debug/kmemlab/slob against a golden file. */
class SlobViewTest {

    static String golden(String name) throws IOException {
        try (InputStream in = SlobViewTest.class.getResourceAsStream(name)) {
            assertThat(in).as("golden file %s", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void view_showsListsPagesAndRunMaps() throws IOException {
        SlobFixture f = new SlobFixture();
        f.kmalloc(64); // small page: 28-unit fragment, then 36 units
        long b = f.kmalloc(100); // 54 units after it
        f.kmalloc(500); // medium page
        f.kmalloc(2000); // large page
        f.kmalloc(10_000); // order-2 pages straight from the page allocator
        var c = f.cache("view40", 40, 0, 0); // its 64-byte descriptor (32 units) and objects
        f.alloc(c);
        f.alloc(c);
        f.kfree(b);
        var whole = f.cache("view4095", 4095, 0, 0); // 2048 units: a page that is full at once
        f.alloc(whole);

        // page 0x1: view40 object [0,20) in the fragment, 8 units left of it; the kmalloc(64)
        // block [28,64); the freed kmalloc(100) block [64,118) merged with the 2-unit fragment
        // the 8-aligned descriptor left at 118, then refilled by view4095's descriptor [64,96);
        // view40's descriptor and second object [120,172). Page 0x8 holds one 4095-byte object.
        String view = f.machine.vfs().read(SlobAllocator.VIEW_PATH);

        assertThat(view).isEqualTo(golden("slob-view.txt"));
    }

    @Test
    void view_ofAnEmptyHeap() throws IOException {
        SlobFixture f = new SlobFixture(SlobFit.BEST);

        assertThat(f.machine.vfs().read(SlobAllocator.VIEW_PATH)).isEqualTo(golden("slob-view-empty.txt"));
    }
}
