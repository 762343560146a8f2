package io.kmemlab.bench;

import io.kmemlab.boot.Kernel;
import java.util.List;

/** Boots kernels for benchmarks; a failed boot is a benchmark setup error. */
final class BenchKernels {
    private BenchKernels() {}

    static Kernel boot(String... words) {
        Kernel.BootResult r = Kernel.boot(List.of(words));
        if (!r.ok()) {
            throw new IllegalStateException("boot failed: " + r.error());
        }
        return r.kernel();
    }
}
