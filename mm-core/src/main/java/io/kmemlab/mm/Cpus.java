package io.kmemlab.mm;

/**
 * The emulated CPUs. Every operation names the CPU it runs on (an explicit argument, never a
 * thread-local), so a single-threaded replay drives per-CPU state exactly as a trace says. Each
 * CPU also has a current task (comm and pid) used for trace line prefixes and track records.
 */
public final class Cpus {
    private final int nrCpus;
    private final String[] comm;
    private final int[] pid;

    public Cpus(int nrCpus) {
        if (nrCpus < 1) {
            throw new IllegalArgumentException("nr_cpus must be at least 1: " + nrCpus);
        }
        this.nrCpus = nrCpus;
        this.comm = new String[nrCpus];
        this.pid = new int[nrCpus];
        for (int c = 0; c < nrCpus; c++) {
            comm[c] = c == 0 ? "swapper/0" : "swapper/" + c;
            pid[c] = 0;
        }
    }

    public int nrCpus() {
        return nrCpus;
    }

    public boolean valid(int cpu) {
        return cpu >= 0 && cpu < nrCpus;
    }

    /** Sets the task running on a CPU. */
    public void setCurrent(int cpu, String taskComm, int taskPid) {
        comm[cpu] = taskComm;
        pid[cpu] = taskPid;
    }

    public String comm(int cpu) {
        return comm[cpu];
    }

    public int pid(int cpu) {
        return pid[cpu];
    }
}
