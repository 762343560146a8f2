package io.kmemlab.boot.replay;

import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The creation arguments of the kernel's well-known caches, as Linux 6.18 passes them to
 * {@code kmem_cache_create} (x86-64): flags, alignment, whether there is a constructor, the usercopy
 * region where its offset does not depend on the configuration, the explicit free-pointer offset and
 * the sheaf capacity. A real kernel's trace names a cache but not how it was made; a replay that
 * meets one of these names creates it with these arguments (the object size still comes from the
 * trace's {@code bytes_req}), so that a replayed {@code vm_area_struct} is TYPESAFE_BY_RCU with 6.18's
 * 32-object sheaves, {@code maple_node} is 256-aligned with sheaves, and merging follows the real
 * flags (a constructor, a usercopy region, SLAB_TYPESAFE_BY_RCU or a sheaf capacity keep a cache
 * apart). Names not listed fall back to {@link CacheShape}.
 *
 * <p>Sources (6.18): {@code mm/vma_init.c}, {@code lib/maple_tree.c}, {@code kernel/fork.c},
 * {@code mm/rmap.c}, {@code kernel/cred.c}, {@code kernel/pid.c}, {@code kernel/signal.c},
 * {@code fs/namei.c} ({@code names_cache}), {@code fs/inode.c}, {@code fs/proc/inode.c},
 * {@code fs/buffer.c}, {@code lib/radix-tree.c}, {@code net/core/skbuff.c}, {@code fs/namespace.c},
 * {@code kernel/nsproxy.c}, {@code fs/kernfs/mount.c}. Usercopy regions whose offsets depend on
 * the configuration ({@code task_struct}'s FPU state, {@code mm_struct}'s saved_auxv,
 * {@code dentry}'s short name) are left out.
 */
public final class KernelCaches {
    private KernelCaches() {}

    /**
     * One catalogued cache.
     *
     * @param flags SLAB_* creation flags
     * @param align the align argument
     * @param ctor whether the cache has a constructor
     * @param useroffset start of the usercopy region
     * @param usersize its size (0: none)
     * @param freeptrOffset kmem_cache_args.freeptr_offset, or -1
     * @param sheafCapacity kmem_cache_args.sheaf_capacity
     */
    public record Spec(
            int flags, int align, boolean ctor, int useroffset, int usersize, int freeptrOffset, int sheafCapacity) {

        /**
         * The SLUB slot these arguments give an object of {@code size} bytes (the free pointer
         * goes outside for a constructor, or for TYPESAFE_BY_RCU without a free-pointer offset).
         */
        public CacheShape shape(int size) {
            boolean outside = ctor || ((flags & SlabFlags.TYPESAFE_BY_RCU) != 0 && freeptrOffset < 0);
            return CacheShape.shape(size, flags, align == 0 ? 8 : align, outside);
        }

        /** The kmem_cache_args for an object of {@code size} bytes (a replay's constructor if any). */
        public KmemCacheArgs args(long size) {
            KmemCacheArgs.Builder b = KmemCacheArgs.builder()
                    .align(align)
                    .sheafCapacity(sheafCapacity)
                    .ctor(ctor ? CacheShape.NOOP_CTOR : null);
            if (usersize != 0 && (long) useroffset + usersize <= size) {
                b.usercopy(useroffset, usersize);
            }
            if (freeptrOffset >= 0 && freeptrOffset + 8L <= size) {
                b.freeptrOffset(freeptrOffset);
            }
            return b.build();
        }
    }

    private static final int PANIC = SlabFlags.PANIC;
    private static final int HW = SlabFlags.HWCACHE_ALIGN;
    private static final int ACCOUNT = SlabFlags.ACCOUNT;
    private static final int RCU = SlabFlags.TYPESAFE_BY_RCU;
    private static final int RECLAIM = SlabFlags.RECLAIM_ACCOUNT;

    private static final Map<String, Spec> CATALOGUE = new LinkedHashMap<>();

    private static void add(String name, int flags, int align, boolean ctor) {
        CATALOGUE.put(name, new Spec(flags, align, ctor, 0, 0, -1, 0));
    }

    static {
        // vma_state_init: freeptr in the vm_start/vm_end union, 32-object sheaves
        CATALOGUE.put("vm_area_struct", new Spec(HW | PANIC | RCU | ACCOUNT, 0, false, 0, 0, 0, 32));
        // maple_tree_init: aligned to its own size, 32-object sheaves (the prefill API's user)
        CATALOGUE.put("maple_node", new Spec(PANIC, 256, false, 0, 0, -1, 32));
        add("task_struct", PANIC | ACCOUNT, 64, false);
        add("mm_struct", HW | PANIC | ACCOUNT, 0, false);
        add("files_cache", HW | PANIC | ACCOUNT, 0, false);
        add("fs_cache", HW | PANIC | ACCOUNT, 0, false);
        add("signal_cache", HW | PANIC | ACCOUNT, 0, false);
        add("sighand_cache", HW | PANIC | RCU | ACCOUNT, 0, true);
        add("anon_vma", PANIC | RCU | ACCOUNT, 0, true);
        add("anon_vma_chain", PANIC | ACCOUNT, 8, false);
        add("cred_jar", HW | PANIC | ACCOUNT, 0, false);
        add("pid", HW | PANIC | ACCOUNT, 8, false);
        add("sigqueue", PANIC | ACCOUNT, 8, false);
        add("nsproxy", PANIC | ACCOUNT, 8, false);
        add("mnt_cache", HW | PANIC | ACCOUNT, 0, false);
        add("inode_cache", RECLAIM | PANIC | ACCOUNT, 0, true);
        add("proc_inode_cache", RECLAIM | ACCOUNT | PANIC, 0, true);
        add("buffer_head", RECLAIM | PANIC, 8, false);
        add("radix_tree_node", PANIC | RECLAIM, 0, true);
        add("kernfs_node_cache", PANIC, 0, false);
        // kmem_cache_create_usercopy: the whole path buffer, and the sk_buff control block
        CATALOGUE.put("names_cache", new Spec(HW | PANIC, 0, false, 0, 4096, -1, 0));
        CATALOGUE.put("skbuff_head_cache", new Spec(HW | PANIC, 0, false, 40, 48, -1, 0));
    }

    /** The catalogued arguments of {@code name}, or null. */
    public static Spec find(String name) {
        return CATALOGUE.get(name);
    }

    /** Every catalogued name, in the catalogue's order. */
    public static Iterable<String> names() {
        return CATALOGUE.keySet();
    }
}
