package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Machine;
import io.kmemlab.mm.MachineConfig;
import io.kmemlab.mm.testing.SimplePageAllocator;

/** A machine with the simple page allocator and a process table on it, for the tests of this module. */
final class ProcTesting {
    final Machine machine;
    final SimplePageAllocator pages;
    final ProcessTable table;

    ProcTesting(long memBytes, ProcConfig config) {
        machine = new Machine(new MachineConfig(memBytes, 2, 1, 42));
        pages = new SimplePageAllocator(machine);
        machine.setPageAllocator(pages);
        table = new ProcessTable(machine, config);
        table.registerFiles(machine.vfs());
    }

    ProcTesting() {
        this(64L << 20, ProcConfig.DEFAULT.withNorandmaps(true));
    }

    void valid() {
        assertThat(table.validate()).isEmpty();
        assertThat(pages.validate()).isEmpty();
    }
}
