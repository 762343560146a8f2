package io.kmemlab.mm.user;

import java.util.Map;
import java.util.Set;

/**
 * How boot finds the user-space allocators without compiling against them: the malloc module
 * registers its providers in {@code META-INF/services/io.kmemlab.mm.user.UserAllocatorProvider},
 * and {@code --allocator NAME} picks one by {@link #name()}.
 */
public interface UserAllocatorProvider {

    /** The {@code --allocator} value, e.g. "bump", "first-fit", "glibc". */
    String name();

    /** One line for {@code --help}. */
    String description();

    /** The option names {@link #create} understands (e.g. "arena", "populate"). */
    Set<String> options();

    /**
     * Creates the allocator for a process.
     *
     * @param options option name → value ("" for a bare option)
     * @throws IllegalArgumentException with a user-facing message naming the bad option
     */
    UserAllocator create(UserSpace space, Map<String, String> options);
}
