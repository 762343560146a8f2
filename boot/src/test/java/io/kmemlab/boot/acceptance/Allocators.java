package io.kmemlab.boot.acceptance;

import java.util.stream.Stream;

/** The three object allocators, for parameterized acceptance checks. */
final class Allocators {
    private Allocators() {}

    static Stream<String> all() {
        return Stream.of("slub", "slab", "slob");
    }
}
