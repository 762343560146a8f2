package io.kmemlab.boot.lab;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * One of kmemlab's own user-space allocators (found by name as {@code --allocator} finds them)
 * behind the student interface: the reference solution {@code lab score} measures against.
 */
final class ReferenceMalloc implements StudentMalloc {
    private final UserAllocatorProvider provider;
    private UserAllocator allocator;

    ReferenceMalloc(UserAllocatorProvider provider) {
        this.provider = provider;
    }

    /** The provider called {@code name}, or null. */
    static UserAllocatorProvider provider(String name) {
        for (UserAllocatorProvider p : ServiceLoader.load(UserAllocatorProvider.class)) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    @Override
    public boolean init(UserSpace mem) {
        allocator = provider.create(mem, Map.of());
        return true;
    }

    @Override
    public long malloc(long size) {
        return allocator.malloc(size);
    }

    @Override
    public void free(long ptr) {
        allocator.free(ptr);
    }

    @Override
    public long realloc(long ptr, long size) {
        return allocator.realloc(ptr, size);
    }

    @Override
    public List<String> check() {
        return allocator.validate();
    }
}
