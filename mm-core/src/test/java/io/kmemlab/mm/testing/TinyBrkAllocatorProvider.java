package io.kmemlab.mm.testing;

import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserAllocatorProvider;
import io.kmemlab.mm.user.UserSpace;
import java.util.Map;
import java.util.Set;

/**
 * {@link TinyBrkAllocator} under the names {@code tiny} and, never reusing a freed block (a second
 * column for compare tests), {@code tiny2}; boot's tests register it in their own META-INF/services, so it is never in the
 * jar.
 */
public class TinyBrkAllocatorProvider implements UserAllocatorProvider {
    private final String name;
    private final boolean reuse;

    public TinyBrkAllocatorProvider() {
        this("tiny", true);
    }

    protected TinyBrkAllocatorProvider(String name, boolean reuse) {
        this.name = name;
        this.reuse = reuse;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "a tiny brk bump allocator for tests";
    }

    @Override
    public Set<String> options() {
        return Set.of();
    }

    @Override
    public UserAllocator create(UserSpace space, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("tiny has no options: " + options.keySet());
        }
        return new TinyBrkAllocator(space, name, reuse);
    }

    /** The second name. */
    public static final class Second extends TinyBrkAllocatorProvider {
        public Second() {
            super("tiny2", false);
        }
    }
}
