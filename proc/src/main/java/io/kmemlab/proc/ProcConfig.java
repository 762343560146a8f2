package io.kmemlab.proc;

/**
 * How the process table starts: costs and the sysctls a boot can set.
 *
 * @param costs the virtual time of system calls and faults
 * @param norandmaps the {@code norandmaps} boot word: kernel.randomize_va_space starts at 0, so
 *     the stack, mmap base, load address and break are where an unrandomised x86-64 kernel puts them
 * @param panicOnOom vm.panic_on_oom: 0 kills a process and the run goes on, 1 or 2 panics and the
 *     run stops
 */
public record ProcConfig(CostModel costs, boolean norandmaps, int panicOnOom) {
    public static final ProcConfig DEFAULT = new ProcConfig(CostModel.DEFAULT, false, 0);

    public ProcConfig withNorandmaps(boolean on) {
        return new ProcConfig(costs, on, panicOnOom);
    }

    public ProcConfig withCosts(CostModel c) {
        return new ProcConfig(c, norandmaps, panicOnOom);
    }

    public ProcConfig withPanicOnOom(int mode) {
        return new ProcConfig(costs, norandmaps, mode);
    }
}
