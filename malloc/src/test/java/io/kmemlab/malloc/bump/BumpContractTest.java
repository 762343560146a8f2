package io.kmemlab.malloc.bump;

import io.kmemlab.malloc.UserAllocatorContract;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;

class BumpContractTest extends UserAllocatorContract {

    @Override
    protected UserAllocator create(UserSpace space) {
        return new BumpAllocator(space, BumpOptions.defaults());
    }

    @Override
    protected long metadataOf(UserAllocator allocator, long ptr) {
        return ptr - 8;
    }

    @Override
    protected boolean resetIfLarge(UserAllocator allocator) {
        if (allocator.metric().heapBytes() < (48L << 20)) {
            return false;
        }
        ((BumpAllocator) allocator).reset();
        return true;
    }
}
