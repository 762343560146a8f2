package io.kmemlab.mm.user;

/** The system calls a process makes to the memory system, counted and timed per process. */
public enum Syscall {
    BRK("brk"),
    MMAP("mmap"),
    MUNMAP("munmap"),
    MREMAP("mremap"),
    MPROTECT("mprotect"),
    MADVISE("madvise"),
    EXIT_GROUP("exit_group");

    public static final int COUNT = values().length;

    private final String syscallName;

    Syscall(String syscallName) {
        this.syscallName = syscallName;
    }

    /** The name strace prints. */
    public String syscallName() {
        return syscallName;
    }
}
