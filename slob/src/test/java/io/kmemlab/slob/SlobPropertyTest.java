package io.kmemlab.slob;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.NodeStat;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;

/**
 * Random kmalloc / kmem_cache_alloc / free sequences under every fit policy against an
 * independent model of the live objects: which byte ranges are allocated and what was written
 * into them. The allocator must never hand out overlapping memory, never disturb a live object's
 * bytes (free-block headers live in the same pages), stay valid after every step, and give every
 * page back once everything is freed.
 */
class SlobPropertyTest {

    private record Live(long addr, int size, KmemCache cache, int pattern) {}

    @Property
    void liveObjectsNeverOverlap_andFreeingEverythingReturnsEveryPage(
            @ForAll SlobFit fit, @ForAll @Size(max = 120) List<@LongRange(min = 0, max = Long.MAX_VALUE) Long> ops) {
        SlobFixture f = new SlobFixture(fit);
        KmemCache[] caches = {
            f.cache("p24", 24, 0, 0),
            f.cache("p100hw", 100, 0, SlabFlags.HWCACHE_ALIGN),
            f.cache("p700", 700, 0, 0),
            f.cache("p40rcu", 40, 0, SlabFlags.TYPESAFE_BY_RCU),
            f.cache("p5000", 5000, 0, 0),
        };
        TreeMap<Long, Long> ranges = new TreeMap<>();
        List<Live> live = new ArrayList<>();
        int next = 1;
        for (long r : ops) {
            f.machine.clock().advance(1_000_000);
            int kind = (int) (r % 4);
            long arg = r >>> 2;
            if (kind <= 1) {
                int size = 1 + (int) (arg % (kind == 0 ? 600 : 9000));
                long a = f.kmalloc(size);
                check(f, ranges, a, size, Long.bitCount(size) == 1 && size <= 2048 ? size : 8);
                if (size < Addr.PAGE_SIZE - 8) {
                    assertThat(f.layer.ksize(a)).isEqualTo((size + 1) & ~1);
                }
                live.add(fill(f, new Live(a, size, null, next++ & 0xff)));
            } else if (kind == 2) {
                KmemCache c = caches[(int) (arg % caches.length)];
                long a = f.alloc(c);
                check(f, ranges, a, c.objectSize(), c.objectSize() >= Addr.PAGE_SIZE ? Addr.PAGE_SIZE : c.align());
                live.add(fill(f, new Live(a, c.objectSize(), c, next++ & 0xff)));
            } else if (!live.isEmpty()) {
                Live o = live.remove((int) (arg % live.size()));
                free(f, ranges, o);
            }
            assertThat(f.slob.validate()).isEmpty();
        }
        for (Live o : live) {
            free(f, ranges, o);
        }
        f.machine.rcu().barrier();
        for (KmemCache c : caches) {
            assertThat(f.layer.kmemCacheDestroy(c)).isTrue();
        }
        assertThat(f.slob.validate()).isEmpty();
        assertThat(f.machine.dmesg().totalReports()).isZero();
        assertThat(f.heap.heapPages()).isZero();
        assertThat(f.heap.bigPages()).isZero();
        assertThat(f.pages.allocatedPages()).isZero();
        assertThat(f.machine.nodeStat(NodeStat.NR_SLAB_UNRECLAIMABLE_B)).isZero();
    }

    private static void check(SlobFixture f, TreeMap<Long, Long> ranges, long a, int size, int align) {
        assertThat(a).as("allocation of %d bytes", size).isNotZero();
        assertThat(a % align).as("alignment %d of %s", align, Addr.hex(a)).isZero();
        Map.Entry<Long, Long> below = ranges.floorEntry(a + size - 1);
        if (below != null) {
            assertThat(below.getValue())
                    .as("%s overlaps a live object at %s", Addr.hex(a), Addr.hex(below.getKey()))
                    .isLessThanOrEqualTo(a);
        }
        ranges.put(a, a + size);
    }

    private static Live fill(SlobFixture f, Live o) {
        f.machine.mem().fill(o.addr(), o.pattern(), o.size());
        return o;
    }

    private static void free(SlobFixture f, TreeMap<Long, Long> ranges, Live o) {
        assertThat(f.machine.mem().allEqual(o.addr(), o.pattern(), o.size()))
                .as("bytes of the live object at %s intact", Addr.hex(o.addr()))
                .isTrue();
        boolean ok = o.cache() == null ? f.kfree(o.addr()) : f.free(o.cache(), o.addr());
        assertThat(ok).isTrue();
        ranges.remove(o.addr());
    }
}
