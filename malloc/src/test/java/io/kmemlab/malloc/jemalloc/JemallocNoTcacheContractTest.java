package io.kmemlab.malloc.jemalloc;

import io.kmemlab.malloc.UserAllocatorContract;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;

/** The contract with MALLOC_CONF narenas:1,tcache:false,dirty_decay_ms:0: every path straight to the arena. */
class JemallocNoTcacheContractTest extends UserAllocatorContract {

    @Override
    protected UserAllocator create(UserSpace space) {
        return new Jemalloc(space, JemallocConfig.parse("narenas:1,tcache:false,dirty_decay_ms:0"));
    }

    @Override
    protected long metadataOf(UserAllocator allocator, long ptr) {
        return ((Jemalloc) allocator).metadataBlock();
    }

    /** The 8-byte class is 8-aligned (jemalloc's tiny class); every larger class is 16-aligned. */
    @Override
    protected long alignment() {
        return 8;
    }

    @Override
    protected long longRunMaxSize() {
        return 40_000;
    }

    @Override
    protected int longRunOps() {
        return 200_000;
    }
}
