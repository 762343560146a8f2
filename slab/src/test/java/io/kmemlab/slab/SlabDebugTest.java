package io.kmemlab.slab;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** DEBUG_SLAB reports (debugging.md Part B) as golden files, and bad input. */
class SlabDebugTest {
    private final SlabTestMachine t = SlabTestMachine.of(64L << 20, 2);
    private final long caller = t.machine.symbols().intern("kmemlab_test_alloc", 0x1c, 0x80);
    private final long freer = t.machine.symbols().intern("kmemlab_test_free", 0x24, 0x60);

    private KmemCache debugCache() {
        return t.create("dbgtest", 64, 0, SlabFlags.RED_ZONE | SlabFlags.POISON | SlabFlags.STORE_USER);
    }

    private String dmesgSince(long mark) {
        return Golden.strip(t.machine.dmesg().since(mark));
    }

    @Test
    void useAfterFree_poisonCheckOnNextAllocation_reportsSlabCorruption() {
        KmemCache c = debugCache();
        assertThat(t.impl(c).size()).isEqualTo(88);
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        // an allocated poisoned object reads 0x5a … 0xa5
        assertThat(t.machine.mem().readU8(p)).isEqualTo(0x5a);
        assertThat(t.machine.mem().readU8(p + 63)).isEqualTo(0xa5);
        t.layer.kmemCacheFree(0, c, p, freer);
        t.machine.mem().writeU8(p + 20, 0x12);
        t.machine.mem().writeU8(p + 40, 0x6a);
        long mark = t.machine.dmesg().sequence();
        long q = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        assertThat(q).isEqualTo(p);
        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
        Golden.assertMatches("report-poison.txt", dmesgSince(mark));
        t.layer.kmemCacheFree(0, c, q, freer);
        assertThat(t.impl(c).validateProblems()).isEmpty();
    }

    @Test
    void singleFlippedBit_printsBadRamHint() {
        KmemCache c = debugCache();
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        t.layer.kmemCacheFree(0, c, p, freer);
        t.machine.mem().writeU8(p + 33, 0x6b ^ 0x10);
        long mark = t.machine.dmesg().sequence();
        t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        Golden.assertMatches("report-single-bit.txt", dmesgSince(mark));
    }

    @Test
    void doubleFree_withRedZone_reportsVerifyRedzoneFree_andIsIgnored() {
        KmemCache c = debugCache();
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        assertThat(t.layer.kmemCacheFree(0, c, p, freer)).isTrue();
        long mark = t.machine.dmesg().sequence();
        assertThat(t.layer.kmemCacheFree(0, c, p, freer)).isFalse();
        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isEqualTo(1);
        Golden.assertMatches("report-double-free-redzone.txt", dmesgSince(mark));
        assertThat(t.impl(c).validateProblems()).isEmpty();
        // the object is handed out once, not twice
        long a = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        long b = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void writePastEnd_reportedAtFree_andObjectStillFreed() {
        KmemCache c = debugCache();
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        t.machine.mem().writeU8(p + 64, 0x00);
        long mark = t.machine.dmesg().sequence();
        assertThat(t.layer.kmemCacheFree(0, c, p, freer)).isTrue();
        Golden.assertMatches("report-redzone-overwritten.txt", dmesgSince(mark));
        assertThat(t.impl(c).validateProblems()).isEmpty();
    }

    @Test
    void redZoneOfFreeObjectOverwritten_reportedAtAllocation() {
        KmemCache c = debugCache();
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        t.layer.kmemCacheFree(0, c, p, freer);
        t.machine.mem().writeU64(p - 8, 0x4141414141414141L);
        long mark = t.machine.dmesg().sequence();
        t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        Golden.assertMatches("report-alloc-redzone.txt", dmesgSince(mark));
    }

    @Test
    void freeObjectOverwrittenBeforeShrink_reportedWhenTheSlabIsDestroyed_taintedAfterSlabError() {
        KmemCache c = debugCache();
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        t.layer.kmemCacheFree(0, c, p, freer);
        t.machine.mem().writeU64(p - 8, 0);
        t.machine.mem().writeU8(p + 3, 0x00);
        long mark = t.machine.dmesg().sequence();
        t.layer.kmemCacheShrink(c);
        assertThat(t.impl(c).totalSlabs()).isZero();
        Golden.assertMatches("report-destroy.txt", dmesgSince(mark));
        // slab_error tainted the kernel (TAINT_BAD_PAGE): later reports say so
        assertThat(t.slab.taintString()).isEqualTo("Tainted: G    B             ");
    }

    @Test
    void constructorWritingPastTheObject_reportedAtSlabCreation() {
        KmemCache c = t.layer.kmemCacheCreate(
                "badctor",
                64,
                0,
                SlabFlags.RED_ZONE,
                (mem, obj, size) -> mem.fill(obj, 0x33, size + 4),
                0,
                0,
                KmemCache.NO_FREEPTR_OFFSET);
        long mark = t.machine.dmesg().sequence();
        t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        String text = dmesgSince(mark);
        assertThat(text)
                .startsWith(
                        "slab error in cache_init_objs_debug(): cache `badctor': constructor overwrote the end of an object\n");
        // one report per object of the new slab, then the allocation finds the damaged red zone
        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION))
                .as(text)
                .isEqualTo(t.impl(c).objsPerSlab() + 1);
        assertThat(text)
                .contains("slab error in cache_alloc_debugcheck_after(): cache `badctor': "
                        + "double free, or memory outside object was overwritten");
    }

    @Test
    void overflowIntoOnSlabIndexArray_reportedNeverHandsOutLiveObjectsOrCrashes() {
        KmemCache c = t.create("onslab24", 24, 0, 0);
        ClassicSlabCache s = t.impl(c);
        assertThat(s.geometryRecord().mgmt()).isEqualTo(SlabGeometry.Mgmt.ON_SLAB);
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        long slab = p & ~0xfffL;
        long fl = slab + 4096 - s.geometryRecord().freelistSize();
        // a runaway write over the whole index array: every entry 0xff or a live object's index
        t.machine.mem().fill(fl, 0xff, s.geometryRecord().freelistSize() / 2);
        t.machine
                .mem()
                .fill(
                        fl + s.geometryRecord().freelistSize() / 2,
                        0x00,
                        s.geometryRecord().freelistSize() / 2);
        java.util.Set<Long> live = new java.util.HashSet<>();
        live.add(p);
        for (int i = 0; i < 400; i++) {
            long q = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
            assertThat(q).isNotZero();
            assertThat(live.add(q)).as("handed out twice: %x", q).isTrue();
        }
        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_CORRUPTION)).isPositive();
        for (long q : live) {
            t.layer.kmemCacheFree(0, c, q, freer);
        }
        // the damage stays visible to validation instead of being silently absorbed
        assertThat(s.validateProblems()).isNotEmpty();
    }

    @Test
    void doubleFree_withoutDebug_reportedOnce_stateUnchanged() {
        KmemCache c = t.create("plain", 64, 0, 0);
        long p = t.layer.kmemCacheAlloc(0, c, Gfp.GFP_KERNEL, caller);
        t.layer.kmemCacheFree(0, c, p, freer);
        long mark = t.machine.dmesg().sequence();
        assertThat(t.layer.kmemCacheFree(0, c, p, freer)).isFalse();
        Golden.assertMatches("report-double-free-plain.txt", dmesgSince(mark));
        assertThat(t.impl(c).validateProblems()).isEmpty();
    }

    @Test
    void interiorPointerAndWrongCache_reportedAsBadFree_wrongCacheFreesToOwner() {
        KmemCache a = t.create("cache_a", 64, 0, 0);
        KmemCache b = t.create("cache_b", 128, 0, 0);
        long p = t.layer.kmemCacheAlloc(0, a, Gfp.GFP_KERNEL, caller);
        long mark = t.machine.dmesg().sequence();
        assertThat(t.layer.kfree(0, p + 8, freer)).isFalse();
        // cache_from_obj(): WARN, then the object is freed to the cache it belongs to
        assertThat(t.layer.kmemCacheFree(0, b, p, freer)).isTrue();
        assertThat(t.machine.dmesg().reportCount(ReportKind.SLAB_BAD_FREE)).isEqualTo(2);
        Golden.assertMatches("report-bad-free.txt", dmesgSince(mark));
        assertThat(t.impl(a).slabinfo().activeObjs()).isEqualTo(16);
        assertThat(t.layer.kmemCacheFree(0, a, p, freer)).isFalse();
        assertThat(t.impl(a).validateProblems()).isEmpty();
        assertThat(t.impl(b).validateProblems()).isEmpty();
    }

    @Test
    void forcedDebugBoot_workloadRaisesNoFalseReports() {
        SlabTestMachine d = new SlabTestMachine(64L << 20, 2, 1, SlabSettings.DEFAULT.withDebug(true));
        KmemCache c = d.create("dbg", 200, 0, 0);
        KmemCache ctor = d.layer.kmemCacheCreate(
                "dbg_ctor",
                512,
                0,
                0,
                (mem, obj, size) -> mem.fill(obj, 0x11, size),
                0,
                0,
                KmemCache.NO_FREEPTR_OFFSET);
        assertThat(d.impl(ctor).geometryRecord().flags() & SlabFlags.POISON).isNotZero();
        SplittableRandom r = new SplittableRandom(7);
        List<long[]> live = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int cpu = r.nextInt(2);
            if (live.isEmpty() || r.nextInt(3) != 0) {
                int kind = r.nextInt(3);
                long p = kind == 0
                        ? d.layer.kmalloc(cpu, 1 + r.nextInt(3000), Gfp.GFP_KERNEL, caller)
                        : d.layer.kmemCacheAlloc(cpu, kind == 1 ? c : ctor, Gfp.GFP_KERNEL, caller);
                assertThat(p).isNotZero();
                if (kind == 2) {
                    assertThat(d.machine.mem().readU8(p + 100)).isEqualTo(0x11);
                }
                live.add(new long[] {p, kind});
            } else {
                long[] e = live.remove(r.nextInt(live.size()));
                boolean ok = e[1] == 0
                        ? d.layer.kfree(cpu, e[0], freer)
                        : d.layer.kmemCacheFree(cpu, e[1] == 1 ? c : ctor, e[0], freer);
                assertThat(ok).isTrue();
            }
            if (i % 500 == 0) {
                d.machine.clock().advance(3_000_000_000L);
                d.slab.tick(d.machine.clock().nanos());
            }
        }
        for (long[] e : live) {
            if (e[1] == 0) {
                d.layer.kfree(0, e[0], freer);
            } else {
                d.layer.kmemCacheFree(0, e[1] == 1 ? c : ctor, e[0], freer);
            }
        }
        d.layer.kmemCacheShrink(c);
        d.layer.kmemCacheShrink(ctor);
        assertThat(d.machine.dmesg().totalReports())
                .as(d.machine.dmesg().text())
                .isZero();
        assertThat(d.layer.validate()).isZero();
    }
}
