package io.kmemlab.malloc.jemalloc;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code --allocator jemalloc}: options are MALLOC_CONF keys ({@link JemallocConfig#KEYS}), or
 * {@code malloc_conf} holding a whole {@code k:v,k:v} string as {@code --malloc-conf} passes it.
 */
public final class JemallocProvider implements UserAllocatorProvider {

    @Override
    public String name() {
        return "jemalloc";
    }

    @Override
    public String description() {
        return "jemalloc 5.3.0 as Debian's libjemalloc2: size classes, slabs, tcache, arenas, extents, decay";
    }

    @Override
    public Set<String> options() {
        Set<String> s = new TreeSet<>(JemallocConfig.KEYS);
        s.add("malloc_conf");
        return s;
    }

    @Override
    public UserAllocator create(UserSpace space, Map<String, String> options) {
        return new Jemalloc(space, JemallocConfig.of(options));
    }
}
