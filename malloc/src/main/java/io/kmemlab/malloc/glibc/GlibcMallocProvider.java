package io.kmemlab.malloc.glibc;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.Set;

/** {@code --allocator glibc}: glibc 2.36's ptmalloc2. */
public final class GlibcMallocProvider implements UserAllocatorProvider {
    @Override
    public String name() {
        return "glibc";
    }

    @Override
    public String description() {
        return "glibc 2.36 malloc (ptmalloc2): tcache, fastbins, unsorted/small/large bins, brk heap, mmap threshold";
    }

    @Override
    public Set<String> options() {
        return GlibcOptions.KEYS;
    }

    @Override
    public UserAllocator create(UserSpace space, Map<String, String> options) {
        return GlibcOptions.parse(options).build(space);
    }
}
