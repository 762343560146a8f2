package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.slab.KmemCache;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random operation sequences against an independent model of live objects: which byte ranges
 * are live, and what each one holds. SLAB must never hand out overlapping objects, must keep
 * object contents, must keep its invariants, and must return every page once all objects are freed
 * and the caches shrunk.
 */
class SlabModelPropertiesTest {

    /** One operation: kind, a selector and a size. */
    record Op(int kind, int pick, int size, int cpu) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = net.jqwik.api.Combinators.combine(
                        Arbitraries.integers().between(0, 9),
                                Arbitraries.integers().between(0, 1 << 20),
                        Arbitraries.integers().between(1, 5000),
                                Arbitraries.integers().between(0, 3))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(150);
    }

    @Property
    void liveObjectsNeverOverlap_andEverythingComesBack(
            @ForAll("ops") List<Op> ops, @ForAll boolean twoNodes, @ForAll boolean debug, @ForAll boolean random) {
        SlabTestMachine t = new SlabTestMachine(
                64L << 20,
                4,
                twoNodes ? 2 : 1,
                SlabSettings.DEFAULT.withDebug(debug).withFreelistRandom(random));
        List<KmemCache> caches = List.of(
                t.create("m_obj", 96, 0, 0),
                t.layer.kmemCacheCreate("m_ctor", 512, 0, 0, (mem, obj, size) -> {}, 0, 0, KmemCache.NO_FREEPTR_OFFSET),
                t.create("m_onslab", 24, 0, 0),
                t.create("m_big", 5000, 64, 0));
        for (KmemCache c : t.layer.caches()) {
            t.layer.kmemCacheShrink(c);
        }
        long baseline = t.pages.allocatedPages();
        TreeMap<Long, long[]> live = new TreeMap<>(); // start → {end, cacheIndex (−1 kmalloc), tag}
        long tag = 1;
        for (Op op : ops) {
            switch (op.kind()) {
                case 0, 1, 2 -> {
                    int ci = op.pick() % (caches.size() + 1);
                    long p;
                    long len;
                    if (ci == caches.size()) {
                        len = op.size();
                        p = t.layer.kmalloc(op.cpu(), len, Gfp.GFP_KERNEL, 0);
                        ci = -1;
                    } else {
                        KmemCache c = caches.get(ci);
                        len = c.objectSize();
                        p = t.layer.kmemCacheAlloc(op.cpu(), c, Gfp.GFP_KERNEL, 0);
                    }
                    assertThat(p).isNotZero();
                    Map.Entry<Long, long[]> below = live.floorEntry(p + len - 1);
                    if (below != null) {
                        assertThat(below.getValue()[0]).as("overlap at %x", p).isLessThanOrEqualTo(p);
                    }
                    t.machine.mem().writeU64(p, tag);
                    live.put(p, new long[] {p + len, ci, tag++});
                }
                case 3, 4, 5 -> {
                    if (!live.isEmpty()) {
                        Long key = nth(live, op.pick());
                        long[] e = live.remove(key);
                        assertThat(t.machine.mem().readU64(key))
                                .as("contents of %x", key)
                                .isEqualTo(e[2]);
                        boolean ok = e[1] < 0
                                ? t.layer.kfree(op.cpu(), key, 0)
                                : t.layer.kmemCacheFree(op.cpu(), caches.get((int) e[1]), key, 0);
                        assertThat(ok).isTrue();
                    }
                }
                case 6 -> {
                    t.machine.clock().advance((long) op.size() * 1_000_000L);
                    t.slab.tick(t.machine.clock().nanos());
                }
                case 7 -> t.layer.kmemCacheShrink(caches.get(op.pick() % caches.size()));
                case 8 -> {
                    KmemCache c = caches.get(op.pick() % caches.size());
                    int limit = 1 + op.size() % 130;
                    int batch = 1 + op.pick() % limit;
                    assertThat(t.machine
                                    .vfs()
                                    .write("/proc/slabinfo", c.name() + " " + limit + " " + batch + " " + op.cpu()))
                            .isNull();
                }
                default -> {
                    if (!live.isEmpty()) {
                        // a double free of a freed object is reported and changes nothing
                        Long key = nth(live, op.pick());
                        long[] e = live.remove(key);
                        if (e[1] < 0) {
                            t.layer.kfree(op.cpu(), key, 0);
                            assertThat(t.layer.kfree(op.cpu(), key, 0)).isFalse();
                        } else {
                            KmemCache c = caches.get((int) e[1]);
                            t.layer.kmemCacheFree(op.cpu(), c, key, 0);
                            assertThat(t.layer.kmemCacheFree(op.cpu(), c, key, 0))
                                    .isFalse();
                        }
                    }
                }
            }
        }
        assertThat(t.layer.validate()).as(t.machine.dmesg().text()).isZero();
        for (Map.Entry<Long, long[]> e : live.entrySet()) {
            long[] v = e.getValue();
            assertThat(
                            v[1] < 0
                                    ? t.layer.kfree(0, e.getKey(), 0)
                                    : t.layer.kmemCacheFree(0, caches.get((int) v[1]), e.getKey(), 0))
                    .isTrue();
        }
        for (KmemCache c : t.layer.caches()) {
            t.layer.kmemCacheShrink(c);
        }
        // re-tuning swaps kmalloc'ed shared arrays between size classes, so the page count may
        // move; but every page must belong to a slab, and the test caches must hold none
        long slabPages = 0;
        for (KmemCache c : t.layer.caches()) {
            slabPages += t.impl(c).totalSlabs() << t.impl(c).order();
        }
        assertThat(t.pages.allocatedPages()).isEqualTo(slabPages);
        for (KmemCache c : caches) {
            assertThat(t.impl(c).totalSlabs()).as(c.name()).isZero();
        }
        if (ops.stream().noneMatch(o -> o.kind() == 8)) {
            assertThat(t.pages.allocatedPages()).isEqualTo(baseline);
        }
        assertThat(t.layer.validate()).isZero();
        for (KmemCache c : caches) {
            assertThat(t.layer.kmemCacheDestroy(c)).isTrue();
        }
        assertThat(t.slab.validate()).isEmpty();
        assertThat(Addr.PAGE_SIZE).isPositive();
    }

    private static Long nth(TreeMap<Long, long[]> live, int pick) {
        int n = pick % live.size();
        List<Long> keys = new ArrayList<>(live.keySet());
        return keys.get(n);
    }
}
