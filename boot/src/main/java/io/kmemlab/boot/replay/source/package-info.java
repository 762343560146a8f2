/**
 * Where replayed events come from: trace files (plain, gzip, xz; format detected), read-ahead
 * decompression, the reading thread and its recycled {@link io.kmemlab.boot.replay.source.EventBlock}s,
 * traces loaded into memory for benchmarks, and the seeded built-in workloads. A source knows nothing
 * of machines or allocators; {@link io.kmemlab.boot.replay} feeds what it reads to them.
 */
package io.kmemlab.boot.replay.source;
