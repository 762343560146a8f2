/**
 * The MAP_POPULATE demonstration ({@code kmemlab populate-demo}): an arena mapped with and without
 * MAP_POPULATE (and with MAP_NONBLOCK, and read-only) in processes on the emulated kernel, with
 * the faults, RSS over virtual time, where the time went and what the page allocator gave out.
 * {@link io.kmemlab.boot.populate.PopulateDemo} runs it, {@link io.kmemlab.boot.populate.PopulateReport}
 * and {@link io.kmemlab.boot.populate.PopulateChart} show it.
 */
package io.kmemlab.boot.populate;
