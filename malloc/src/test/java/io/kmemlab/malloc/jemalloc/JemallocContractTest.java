package io.kmemlab.malloc.jemalloc;

import io.kmemlab.malloc.UserAllocatorContract;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;

/** The module's allocator contract, run against jemalloc with its defaults. */
class JemallocContractTest extends UserAllocatorContract {

    @Override
    protected UserAllocator create(UserSpace space) {
        return new Jemalloc(space, JemallocConfig.defaults());
    }

    /** jemalloc has no block headers; its metadata blocks (base_block_t) are what can be corrupted. */
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
}
