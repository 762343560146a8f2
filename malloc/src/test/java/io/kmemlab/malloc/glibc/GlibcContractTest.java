package io.kmemlab.malloc.glibc;

import io.kmemlab.malloc.UserAllocatorContract;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;

/** The module's allocator contract, run against glibc 2.36's malloc. */
class GlibcContractTest extends UserAllocatorContract {

    @Override
    protected UserAllocator create(UserSpace space) {
        return GlibcMalloc.create(space);
    }

    /** The chunk's size word. */
    @Override
    protected long metadataOf(UserAllocator allocator, long ptr) {
        return ptr - 8;
    }

    /** malloc_printerr: glibc aborts on every bad free it detects. */
    @Override
    protected boolean abortsOnBadFree() {
        return true;
    }
}
