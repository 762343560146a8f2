package io.kmemlab.malloc.segregated;

import io.kmemlab.malloc.UserAllocatorContract;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;

class SegregatedContractTest extends UserAllocatorContract {

    @Override
    protected UserAllocator create(UserSpace space) {
        return new SegregatedAllocator(space, SegregatedAllocator.defaultLayout());
    }

    @Override
    protected long metadataOf(UserAllocator allocator, long ptr) {
        return ptr - 8;
    }
}
