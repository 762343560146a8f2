/**
 * Boot: kernel command-line words ({@link io.kmemlab.boot.BootParams}), the emulated e820 map
 * ({@link io.kmemlab.boot.E820}) and the x86-64 boot sequence ({@link io.kmemlab.boot.Kernel}) that
 * brings up memblock, the zoned page allocator and the slab layer in the kernel's order and prints
 * the kernel's boot log. {@link io.kmemlab.boot.Components} says which parts are wired
 * ({@link io.kmemlab.boot.StandardComponents}: the buddy allocator and the slab allocators found
 * by ServiceLoader).
 */
package io.kmemlab.boot;
