package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.slab.SlabFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CacheShapeTest {

    /** Every kmem_cache_alloc (name, bytes_req, bytes_alloc) of the 6.18 capture gets its slot size. */
    @ParameterizedTest
    @CsvSource({
        "vm_area_struct,192,192",
        "maple_node,256,256",
        "anon_vma_chain,64,64",
        "names_cache,4096,4096",
        "anon_vma,96,104",
        "lsm_file_cache,24,24",
        "filp,184,192",
        "skbuff_small_head,576,576",
        "pid,184,192",
        "signal_cache,1152,1152",
        "skbuff_head_cache,224,256",
        "dentry,192,192",
        "lsm_inode_cache,32,32",
        "mm_struct,1568,1600",
        "bio-184,184,192",
        "pool_workqueue,512,512",
        "sock_inode_cache,768,832",
        "task_struct,5824,5824",
        "buffer_head,104,104",
        "sigqueue,80,80",
        "sighand_cache,2080,2112",
        "files_cache,704,704",
        "eventpoll_epi,120,128",
        "TCP,2304,2368",
        "radix_tree_node,576,584",
        "pidfs_attr_cache,32,32",
        "tw_sock_TCP,248,256",
        "request_sock_TCP,312,320",
        "key_jar,256,256",
        "proc_inode_cache,688,696",
        "extent_status,40,40",
        "ext4_inode_cache,1120,1128",
        "iommu_iova_magazine,1024,1024",
        "inode_cache,616,624",
        "biovec-max,4096,4096",
        "biovec-128,2048,2048",
        "bio-120,120,128",
        "taskstats,560,560",
        "seq_file,120,120",
        "pde_opener,40,40",
    })
    void captureCaches_slubSlotEqualsBytesAlloc(String name, int bytesReq, int bytesAlloc) {
        CacheShape s = CacheShape.forTrace(bytesReq, bytesAlloc);
        assertThat(s.matches(bytesAlloc)).as(name + " " + s).isTrue();
    }

    @Test
    void shapes_followCalculateSizes() {
        // mm_struct: SLAB_HWCACHE_ALIGN rounds 1568 to 64 bytes.
        assertThat(CacheShape.forTrace(1568, 1600).flags()).isEqualTo(SlabFlags.HWCACHE_ALIGN);
        // anon_vma: a constructor moves the free pointer behind the object: 96 + 8.
        assertThat(CacheShape.forTrace(96, 104).ctor()).isTrue();
        // TCP: both: ALIGN(2304 + 8, 64) = 2368.
        CacheShape tcp = CacheShape.forTrace(2304, 2368);
        assertThat(tcp.ctor()).isTrue();
        assertThat(tcp.flags()).isEqualTo(SlabFlags.HWCACHE_ALIGN);
        // No shape gives 100 for 96: the plain one is used and the mismatch is reported.
        CacheShape none = CacheShape.forTrace(96, 100);
        assertThat(none.matches(100)).isFalse();
        assertThat(none.slubSize()).isEqualTo(96);
    }
}
