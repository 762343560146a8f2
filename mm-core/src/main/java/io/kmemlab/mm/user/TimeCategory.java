package io.kmemlab.mm.user;

/** Where a process's virtual time went, each category charged from the process model's cost model. */
public enum TimeCategory {
    SYSCALL("system call entry and exit"),
    VMA("VMA bookkeeping"),
    TRAP("page-fault exceptions"),
    FAULT("fault handling"),
    PAGE_ALLOC("page allocation"),
    PAGE_CLEAR("page zeroing and copying"),
    ZAP("unmapping pages"),
    USER("user accesses");

    public static final int COUNT = values().length;

    private final String description;

    TimeCategory(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
