package io.kmemlab.malloc.freelist;

import io.kmemlab.malloc.UserAllocatorContract;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;

class BestFitContractTest extends UserAllocatorContract {

    @Override
    protected UserAllocator create(UserSpace space) {
        return new FreeListAllocator(space, FreeListOptions.of(FitPolicy.BEST));
    }

    @Override
    protected long metadataOf(UserAllocator allocator, long ptr) {
        return ptr - 8;
    }
}
