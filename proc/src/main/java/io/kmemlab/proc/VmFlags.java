package io.kmemlab.proc;

import io.kmemlab.mm.user.Mman;

/**
 * {@code vm_flags_t} bits of a VMA ({@code include/linux/mm.h}, 6.18) and the helpers
 * {@code mm/mmap.c} uses on them: {@code calc_vm_prot_bits}, {@code calc_vm_flag_bits}, and the
 * classification {@code vm_stat_account} counts by (exec, stack, data).
 */
public final class VmFlags {
    public static final int VM_NONE = 0;
    public static final int VM_READ = 0x1;
    public static final int VM_WRITE = 0x2;
    public static final int VM_EXEC = 0x4;
    public static final int VM_SHARED = 0x8;
    public static final int VM_MAYREAD = 0x10;
    public static final int VM_MAYWRITE = 0x20;
    public static final int VM_MAYEXEC = 0x40;
    public static final int VM_MAYSHARE = 0x80;
    public static final int VM_GROWSDOWN = 0x100;
    public static final int VM_PFNMAP = 0x400;
    public static final int VM_LOCKED = 0x2000;
    public static final int VM_IO = 0x4000;
    public static final int VM_DONTEXPAND = 0x40000;
    public static final int VM_LOCKONFAULT = 0x80000;
    public static final int VM_ACCOUNT = 0x100000;
    public static final int VM_NORESERVE = 0x200000;
    public static final int VM_HUGETLB = 0x400000;
    public static final int VM_NOHUGEPAGE = 0x40000000;

    /** VM_STACK: the stack grows down on x86-64. */
    public static final int VM_STACK = VM_GROWSDOWN;
    /** VM_ACCESS_FLAGS. */
    public static final int VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
    /** VM_DATA_DEFAULT_FLAGS (x86-64, no READ_IMPLIES_EXEC): brk and the data segment. */
    public static final int VM_DATA_DEFAULT_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
    /** VM_STACK_FLAGS: the initial stack (VM_STACK_DEFAULT_FLAGS is VM_DATA_DEFAULT_FLAGS). */
    public static final int VM_STACK_FLAGS = VM_STACK | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT;

    private VmFlags() {}

    /** calc_vm_prot_bits(): PROT_* to VM_READ/WRITE/EXEC. */
    public static int protBits(int prot) {
        return ((prot & Mman.PROT_READ) != 0 ? VM_READ : 0)
                | ((prot & Mman.PROT_WRITE) != 0 ? VM_WRITE : 0)
                | ((prot & Mman.PROT_EXEC) != 0 ? VM_EXEC : 0);
    }

    /** calc_vm_flag_bits(): MAP_GROWSDOWN, MAP_LOCKED, and MAP_STACK's VM_NOHUGEPAGE. */
    public static int mapBits(int flags) {
        return ((flags & Mman.MAP_GROWSDOWN) != 0 ? VM_GROWSDOWN : 0)
                | ((flags & Mman.MAP_LOCKED) != 0 ? VM_LOCKED : 0)
                | ((flags & Mman.MAP_STACK) != 0 ? VM_NOHUGEPAGE : 0);
    }

    /** is_exec_mapping(). */
    public static boolean isExec(int flags) {
        return (flags & (VM_EXEC | VM_WRITE | VM_STACK)) == VM_EXEC;
    }

    /** is_stack_mapping(). */
    public static boolean isStack(int flags) {
        return (flags & VM_STACK) == VM_STACK;
    }

    /** is_data_mapping(): private writable, not stack. */
    public static boolean isData(int flags) {
        return (flags & (VM_WRITE | VM_SHARED | VM_STACK)) == VM_WRITE;
    }

    /** The four permission letters of /proc/PID/maps: {@code rw-p}. */
    public static String permissions(int flags) {
        return new String(new char[] {
            (flags & VM_READ) != 0 ? 'r' : '-',
            (flags & VM_WRITE) != 0 ? 'w' : '-',
            (flags & VM_EXEC) != 0 ? 'x' : '-',
            (flags & VM_MAYSHARE) != 0 ? 's' : 'p',
        });
    }
}
