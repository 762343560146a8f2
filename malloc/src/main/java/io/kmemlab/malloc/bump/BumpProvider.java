package io.kmemlab.malloc.bump;

import io.kmemlab.malloc.Options;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.Set;

/**
 * {@code --allocator bump}: options {@code arena=SIZE} (default 1M), {@code populate} (MAP_POPULATE),
 * {@code align=N} (8 … 4096, default 16), {@code large=SIZE} (requests above it get their own
 * mapping; default a quarter of the arena).
 */
public final class BumpProvider implements UserAllocatorProvider {

    @Override
    public String name() {
        return "bump";
    }

    @Override
    public String description() {
        return "bump arena: aligned pointer increment through mmapped arenas, free a counted no-op";
    }

    @Override
    public Set<String> options() {
        return Set.of("arena", "populate", "align", "large");
    }

    @Override
    public UserAllocator create(UserSpace space, Map<String, String> options) {
        Options o = new Options(name(), options, options());
        long arena = o.size("arena", BumpOptions.DEFAULT_ARENA, 4096, 1L << 40);
        BumpOptions b = BumpOptions.defaults()
                .withArenaBytes(arena)
                .withPopulate(o.flag("populate", false))
                .withAlignment(o.powerOfTwo("align", 16, 8, 4096));
        if (o.has("large")) {
            b = b.withLargeBytes(o.size("large", arena / 4, 0, arena - 64));
        }
        return new BumpAllocator(space, b);
    }
}
