package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Gfp;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The SLUB KUnit suite of Linux 6.18 ({@code lib/tests/slub_kunit.c}, debugging.md §9): each case
 * corrupts on purpose and expects the kernel's exact error count.
 */
class SlubKunitTest {
    private SlabLayer layer;
    private PhysMem mem;

    @BeforeEach
    void boot() {
        layer = SlubTesting.boot(2);
        mem = layer.machine().mem();
    }

    @AfterEach
    void consistent() {
        assertThat(layer.allocator().validate()).isEmpty();
    }

    /** test_kmem_cache_create: align 0, flags | SLAB_NO_USER_FLAGS. */
    private KmemCache create(String name, int size, int flags) {
        KmemCache s = layer.kmemCacheCreate(name, size, flags | SlabFlags.NO_USER_FLAGS, KmemCacheArgs.NONE);
        assertThat(s).isNotNull();
        return s;
    }

    private static SlubCache slub(KmemCache s) {
        return (SlubCache) s.impl();
    }

    private long alloc(KmemCache s) {
        long p = layer.kmemCacheAlloc(0, s, Gfp.GFP_KERNEL, 0);
        assertThat(p).isNotZero();
        return p;
    }

    @Test
    void clobberZone_rightRedzoneOfAllocatedObject_costsTwoErrors() {
        KmemCache s = create("TestSlub_RZ_alloc", 64, SlabFlags.RED_ZONE);
        assertThat(s.impl().size()).isEqualTo(88);
        long p = alloc(s);
        mem.writeU8(p + 64, 0x12);
        assertThat(s.impl().validate()).isEqualTo(2);
        assertThat(slub(s).errors).isEqualTo(2);
        layer.kmemCacheFree(0, s, p, 0);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void nextPointer_flippedFreePointer_costsThreeThenTwoThenZero() {
        KmemCache s = create("TestSlub_next_ptr_free", 64, SlabFlags.POISON);
        SlubCache c = slub(s);
        assertThat(c.size).isEqualTo(72);
        assertThat(c.offset).isEqualTo(64);
        long p = alloc(s);
        layer.kmemCacheFree(0, s, p, 0);
        long ptrAddr = p + c.offset;
        int low = mem.readU8(ptrAddr);
        mem.writeU8(ptrAddr, ~low & 0xff);
        assertThat(s.impl().validate()).isEqualTo(3);
        mem.writeU8(ptrAddr, low);
        // the walk truncated the chain at p (its pointer is now NULL): restore the stored word
        c.setFreepointer(p, originalNext(c, p));
        assertThat(s.impl().validate()).isEqualTo(2);
        assertThat(s.impl().validate()).isZero();
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    /** The object after p on the free list: every free object except p and the ones it reaches. */
    private long originalNext(SlubCache c, long p) {
        int id = c.slabOf(p);
        long base = c.t.base[id];
        // all objects are free; the chain as built is the slab's free list order before p was
        // allocated: rebuild it from the pointers the other objects still hold
        boolean[] pointedTo = new boolean[c.t.objects[id]];
        for (int i = 0; i < c.t.objects[id]; i++) {
            long o = base + (long) i * c.size + c.redLeftPad;
            if (o == p) {
                continue;
            }
            long nx = c.getFreepointer(o);
            if (nx != 0 && c.validPointer(id, nx)) {
                pointedTo[(int) ((nx - base - c.redLeftPad) / c.size)] = true;
            }
        }
        for (int i = 0; i < c.t.objects[id]; i++) {
            long o = base + (long) i * c.size + c.redLeftPad;
            if (o != p && !pointedTo[i]) {
                return o;
            }
        }
        return 0;
    }

    @Test
    void firstWord_poisonOfFreeObjectOverwritten_costsTwoErrors() {
        KmemCache s = create("TestSlub_1th_word_free", 64, SlabFlags.POISON);
        long p = alloc(s);
        layer.kmemCacheFree(0, s, p, 0);
        mem.writeU8(p, 0x78);
        assertThat(s.impl().validate()).isEqualTo(2);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void clobber50thByte_poisonOfFreeObjectOverwritten_costsTwoErrors() {
        KmemCache s = create("TestSlub_50th_word_free", 64, SlabFlags.POISON);
        long p = alloc(s);
        layer.kmemCacheFree(0, s, p, 0);
        mem.writeU8(p + 50, 0x9a);
        assertThat(s.impl().validate()).isEqualTo(2);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void clobberRedzoneFree_rightRedzoneOfFreeObject_costsTwoErrors() {
        KmemCache s = create("TestSlub_RZ_free", 64, SlabFlags.RED_ZONE);
        long p = alloc(s);
        layer.kmemCacheFree(0, s, p, 0);
        mem.writeU8(p + 64, 0xab);
        assertThat(s.impl().validate()).isEqualTo(2);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void kmallocRedzoneAccess_writeBeyondRequest_costsTwoErrors() {
        KmemCache s = create("TestSlub_RZ_kmalloc", 32, SlabFlags.KMALLOC | SlabFlags.STORE_USER | SlabFlags.RED_ZONE);
        assertThat(s.impl().size()).isEqualTo(136);
        long p = layer.kmallocFromCache(0, s, 18, Gfp.GFP_KERNEL, 0);
        for (int i = 18; i < 40; i++) {
            assertThat(mem.readU8(p + i)).as("byte %d", i).isEqualTo(0xcc);
        }
        mem.writeU8(p + 18, 0xab);
        mem.writeU8(p + 19, 0xab);
        assertThat(s.impl().validate()).isEqualTo(2);
        assertThat(layer.machine().dmesg().text())
                .contains(String.format("[kmalloc Redzone overwritten] 0x%016x-0x%016x", p + 18, p + 19));
        layer.kmemCacheFree(0, s, p, 0);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void kfreeRcu_thenDestroy_waitsAndCostsNothing() {
        KmemCache s = create("TestSlub_kfree_rcu", 16, SlabFlags.NO_MERGE);
        long p = alloc(s);
        layer.kfreeRcu(0, p, 0);
        assertThat(layer.rcuPending()).isEqualTo(1);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
        assertThat(slub(s).errors).isZero();
    }

    @Test
    void kfreeRcuWqDestroy_tenRounds_costNothing() {
        for (int i = 0; i < 10; i++) {
            KmemCache s = create("TestSlub_kfree_rcu_wq_destroy", 16, SlabFlags.NO_MERGE);
            long p = alloc(s);
            layer.kfreeRcu(1, p, 0);
            layer.machine().clock().advance(1_000_000L * (i * 37 % 256));
            assertThat(layer.kmemCacheDestroy(1, s, 0)).isTrue();
            assertThat(slub(s).errors).isZero();
        }
    }

    @Test
    void leakDestroy_objectLeft_costsTwoErrorsAndKeepsCache() {
        KmemCache s = create("TestSlub_leak_destroy", 64, SlabFlags.NO_MERGE);
        alloc(s);
        assertThat(layer.kmemCacheDestroy(s)).isFalse();
        assertThat(slub(s).errors).isEqualTo(2);
        assertThat(layer.find("TestSlub_leak_destroy")).isSameAs(s);
        assertThat(layer.machine().dmesg().text())
                .contains("BUG TestSlub_leak_destroy (Not tainted): Objects remaining on __kmem_cache_shutdown()")
                .contains("kmem_cache_destroy TestSlub_leak_destroy: Slab cache still has objects when called from");
    }

    @Test
    void kreallocRedzoneZeroing_shrinksGrowsAndMoves() {
        KmemCache s = create("TestSlub_krealloc", 64, SlabFlags.KMALLOC | SlabFlags.STORE_USER | SlabFlags.RED_ZONE);
        assertThat(s.impl().size()).isEqualTo(168);
        int gfp = Gfp.GFP_KERNEL | Gfp.__GFP_ZERO;
        long p = layer.kmallocFromCache(0, s, 48, Gfp.GFP_KERNEL, 0);
        mem.fill(p, 0xff, 48);
        long q = layer.krealloc(0, p, 40, gfp, 0);
        assertThat(q).isEqualTo(p);
        for (int i = 40; i < 64; i++) {
            assertThat(mem.readU8(p + i)).as("byte %d", i).isEqualTo(0xcc);
        }
        q = layer.krealloc(0, p, 56, gfp, 0);
        assertThat(q).isEqualTo(p);
        for (int i = 40; i < 56; i++) {
            assertThat(mem.readU8(p + i)).as("byte %d", i).isZero();
        }
        for (int i = 56; i < 64; i++) {
            assertThat(mem.readU8(p + i)).as("byte %d", i).isEqualTo(0xcc);
        }
        assertThat(s.impl().validate()).isZero();
        mem.fill(p, 0xff, 56);
        q = layer.krealloc(0, p, 112, gfp, 0);
        assertThat(q).isNotEqualTo(p);
        assertThat(layer.find("kmalloc-128").impl()).isSameAs(layer.allocator().ownerOf(q));
        for (int i = 0; i < 56; i++) {
            assertThat(mem.readU8(q + i)).as("byte %d", i).isEqualTo(0xff);
        }
        for (int i = 56; i < 112; i++) {
            assertThat(mem.readU8(q + i)).as("byte %d", i).isZero();
        }
        layer.kfree(0, q, 0);
        assertThat(slub(s).errors).isZero();
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void doubleFree_withSanityChecks_reportsObjectAlreadyFree() {
        KmemCache s = create("TestSlub_double_free", 64, SlabFlags.CONSISTENCY_CHECKS);
        long p = alloc(s);
        long q = alloc(s);
        long r = alloc(s);
        assertThat(layer.kmemCacheFree(0, s, p, 0)).isTrue();
        assertThat(layer.kmemCacheFree(0, s, q, 0)).isTrue();
        assertThat(layer.kmemCacheFree(0, s, p, 0)).isFalse();
        assertThat(slub(s).errors).isEqualTo(2);
        assertThat(layer.machine().dmesg().text())
                .contains("Object already free")
                .contains("FIX TestSlub_double_free: Object at 0x" + Long.toHexString(p) + " not freed");
        assertThat(s.impl().validate()).isZero();
        layer.kmemCacheFree(0, s, r, 0);
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }

    @Test
    void freeEmptySlab_withSanityChecks_reportsNoAllocatedObjects() {
        KmemCache s = create("TestSlub_free_empty", 64, SlabFlags.CONSISTENCY_CHECKS);
        long p = alloc(s);
        assertThat(layer.kmemCacheFree(0, s, p, 0)).isTrue();
        assertThat(layer.kmemCacheFree(0, s, p, 0)).isFalse();
        assertThat(slub(s).errors).isEqualTo(2);
        assertThat(layer.machine().dmesg().text())
                .contains("BUG TestSlub_free_empty (Not tainted): Slab has 0 allocated objects but 1 are to be freed");
        assertThat(layer.kmemCacheDestroy(s)).isTrue();
    }
}
