package io.kmemlab.mm.slab;

/**
 * {@code enum slab_state}. PARTIAL_NODE exists only for SLAB (≤ 6.7). {@code slab_is_available()}
 * is {@code state >= UP}.
 */
public enum SlabState {
    DOWN,
    PARTIAL,
    PARTIAL_NODE,
    UP,
    FULL
}
