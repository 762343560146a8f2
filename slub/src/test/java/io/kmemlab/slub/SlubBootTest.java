package io.kmemlab.slub;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabLayer;
import io.kmemlab.mm.slab.SlabState;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlubBootTest {

    @Test
    void boot_printsSlubLineAndReachesFull() {
        SlabLayer layer = SlubTesting.boot(2);
        assertThat(layer.state()).isEqualTo(SlabState.FULL);
        assertThat(layer.machine().dmesg().text())
                .contains("SLUB: HWalign=64, Order=0-3, MinObjects=0, CPUs=2, Nodes=1");
        assertThat(layer.allocator().validate()).isEmpty();
    }

    @Test
    void bootstrapCaches_haveReferenceGeometry() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache node = layer.find("kmem_cache_node");
        assertThat(node.objectSize()).isEqualTo(72);
        assertThat(node.impl().align()).isEqualTo(64);
        assertThat(node.impl().size()).isEqualTo(128);
        assertThat(node.impl().order()).isZero();
        assertThat(node.impl().objsPerSlab()).isEqualTo(32);
        KmemCache kc = layer.find("kmem_cache");
        assertThat(kc.objectSize()).isEqualTo(232);
        assertThat(kc.impl().size()).isEqualTo(256);
        assertThat(kc.impl().objsPerSlab()).isEqualTo(16);
    }

    @Test
    void slabinfo_endsWithBootCachesInCreationOrderNewestFirst() {
        SlabLayer layer = SlubTesting.boot(2);
        List<String> names = layer.caches().stream().map(KmemCache::name).toList();
        assertThat(names).hasSize(55);
        assertThat(names.subList(names.size() - 5, names.size()))
                .containsExactly("kmalloc-8", "kmalloc-192", "kmalloc-96", "kmem_cache_node", "kmem_cache");
        // create_kmalloc_caches creates kmem_buckets_cache last, once slab_state is UP.
        assertThat(names.get(0)).isEqualTo("kmalloc_buckets");
        assertThat(names.get(1)).isEqualTo("kmalloc-cg-8k");
    }

    @Test
    void kmallocBuckets_isAnUnmergeable112ByteCache_asOn618() {
        SlabLayer layer = SlubTesting.boot(2);
        KmemCache b = layer.find("kmalloc_buckets");
        assertThat(layer.kmemBucketsCache()).isSameAs(b);
        assertThat(b.objectSize()).isEqualTo(112);
        assertThat(b.impl().objsPerSlab()).isEqualTo(36);
        assertThat(b.impl().order()).isZero();
        // The row of a live 6.18.44 kernel less the two kmem_buckets its initcalls allocate.
        assertThat(layer.slabinfo())
                .contains(
                        "kmalloc_buckets        0      0    112   36    1 : tunables    0    0    0 : slabdata      0      0      0\n");
        // SLAB_NO_MERGE: a 112-byte cache created later does not become its alias.
        assertThat(layer.kmemCacheCreate(
                        "other112", 112, 0, KmemCacheArgs.builder().build()))
                .isNotSameAs(b);
    }

    @Test
    void kmemCacheRows_countEveryCacheStructure() {
        SlabLayer layer = SlubTesting.boot(2);
        String info = layer.slabinfo();
        // 54 caches, each with a struct kmem_cache object, and one kmem_cache_node per cache
        assertThat(info)
                .contains(
                        "kmem_cache            64     64    256   16    1 : tunables    0    0    0 : slabdata      4      4      0");
        assertThat(info)
                .contains(
                        "kmem_cache_node       64     64    128   32    1 : tunables    0    0    0 : slabdata      2      2      0");
    }
}
