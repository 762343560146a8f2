package io.kmemlab.mm.slab.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.Machine;
import io.kmemlab.mm.slab.KmallocCaches;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabAllocator;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabInfoRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random operation sequences against an independent model of live objects (address → size and
 * cache). Subclass it in the allocator's module and implement {@link #createAllocator}; the try
 * count comes from {@code jqwik.tries.default} (the parent pom; {@code -Plong} for long runs).
 *
 * <p>Checked after every operation: no two live objects overlap, each lies in a slab page of its
 * cache (for allocators that track ownership) and its bytes are as last written; at the end the
 * slabinfo counts cover the live objects, the allocator validates clean, and freeing everything
 * then shrinking returns every page to the page allocator.
 */
public abstract class SlabAllocatorPropertiesBase {

    protected abstract SlabAllocator createAllocator(Machine machine);

    /** False for allocators whose objects live on no per-cache slab (SLOB). */
    protected boolean ownsSlabs() {
        return true;
    }

    protected int cpus() {
        return 2;
    }

    /** As {@code SlabAllocatorContractTest.kmallocCachesMayFragment()}. */
    protected boolean kmallocCachesMayFragment() {
        return false;
    }

    /** The creation arguments of the property's caches (SLUB runs it with sheaves too). */
    protected KmemCacheArgs cacheArgs() {
        return KmemCacheArgs.NONE;
    }

    /** One step: kind 0 = cache alloc, 1 = kmalloc, 2 = free the i-th live object. */
    public record Op(int kind, int size, int cpu, int pick) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 2),
                        Arbitraries.integers().between(1, 9000),
                        Arbitraries.integers().between(0, 63),
                        Arbitraries.integers().between(0, Integer.MAX_VALUE))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(300);
    }

    private record Live(long size, KmemCache cache, int pattern) {}

    @Property
    void randomOps_agreeWithLiveObjectModel(@ForAll("ops") List<Op> ops) {
        SlabContractFixture fx = new SlabContractFixture(64L << 20, cpus(), this::createAllocator);
        fx.shrinkAll();
        long baseline = fx.pages.allocatedPages();
        Map<String, Long> active = fx.activeObjects();
        KmemCache[] caches = {
            fx.layer.kmemCacheCreate("prop_a", 24, SlabFlags.NO_MERGE, cacheArgs()),
            fx.layer.kmemCacheCreate("prop_b", 700, SlabFlags.NO_MERGE | SlabFlags.HWCACHE_ALIGN, cacheArgs()),
            fx.layer.kmemCacheCreate("prop_c", 3000, SlabFlags.NO_MERGE | SlabFlags.RECLAIM_ACCOUNT, cacheArgs()),
        };
        TreeMap<Long, Live> live = new TreeMap<>();
        List<Long> order = new ArrayList<>();
        int counter = 0;
        for (Op op : ops) {
            int cpu = op.cpu() % cpus();
            if (op.kind() == 2 && !order.isEmpty()) {
                long p = order.remove(op.pick() % order.size());
                Live l = live.remove(p);
                assertThat(fx.machine.mem().allEqual(p, l.pattern(), l.size()))
                        .as("bytes of %x", p)
                        .isTrue();
                boolean ok =
                        l.cache() == null ? fx.layer.kfree(cpu, p, 0) : fx.layer.kmemCacheFree(cpu, l.cache(), p, 0);
                assertThat(ok).isTrue();
                continue;
            }
            long p;
            long size;
            KmemCache cache = null;
            if (op.kind() == 0) {
                cache = caches[op.size() % caches.length];
                size = cache.objectSize();
                p = fx.layer.kmemCacheAlloc(cpu, cache, Gfp.GFP_KERNEL, 0);
            } else {
                size = op.size();
                p = fx.layer.kmalloc(cpu, size, Gfp.GFP_KERNEL, 0);
            }
            assertThat(p).isNotZero();
            Map.Entry<Long, Live> below = live.floorEntry(p);
            assertThat(below == null || below.getKey() + below.getValue().size() <= p)
                    .as("object %x overlaps %s", p, below)
                    .isTrue();
            Map.Entry<Long, Live> above = live.ceilingEntry(p);
            assertThat(above == null || p + size <= above.getKey())
                    .as("object %x overlaps above", p)
                    .isTrue();
            if (ownsSlabs()) {
                KmemCache owner = fx.ownerOf(p);
                if (cache != null) {
                    assertThat(owner).isSameAs(cache);
                } else if (size <= fx.layer.kmallocIndex().limits().maxCacheSize()
                        && fx.layer.kmallocBackend() instanceof KmallocCaches) {
                    assertThat(owner).isSameAs(fx.layer.kmallocSlab(size, Gfp.GFP_KERNEL));
                }
            }
            int pattern = (++counter * 37) & 0xff;
            fx.machine.mem().fill(p, pattern, size);
            live.put(p, new Live(size, cache, pattern));
            order.add(p);
        }
        if (fx.machine.vfs().exists("/proc/slabinfo")) {
            for (KmemCache c : caches) {
                long n = live.values().stream().filter(l -> l.cache() == c).count();
                SlabInfoRow r = c.impl().slabinfo();
                assertThat(r.activeObjs()).isGreaterThanOrEqualTo(n);
                assertThat(r.numObjs()).isGreaterThanOrEqualTo(r.activeObjs());
            }
        }
        assertThat(fx.layer.allocator().validate()).isEmpty();
        for (Map.Entry<Long, Live> e : live.entrySet()) {
            Live l = e.getValue();
            boolean ok = l.cache() == null
                    ? fx.layer.kfree(0, e.getKey(), 0)
                    : fx.layer.kmemCacheFree(1 % cpus(), l.cache(), e.getKey(), 0);
            assertThat(ok).isTrue();
        }
        for (KmemCache c : caches) {
            assertThat(fx.layer.kmemCacheDestroy(c)).isTrue();
        }
        fx.shrinkAll();
        if (kmallocCachesMayFragment()) {
            assertThat(fx.activeObjects())
                    .as("objects after freeing everything")
                    .isEqualTo(active);
        } else {
            assertThat(fx.pages.allocatedPages())
                    .as("pages after freeing everything")
                    .isEqualTo(baseline);
        }
        assertThat(fx.layer.allocator().validate()).isEmpty();
        assertThat(fx.machine.dmesg().totalReports()).isZero();
    }
}
