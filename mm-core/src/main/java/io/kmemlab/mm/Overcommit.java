package io.kmemlab.mm;

import java.util.function.LongSupplier;

/**
 * Overcommit accounting, as {@code mm/util.c} keeps it (Linux 6.18): the three
 * {@code vm.overcommit_*} sysctls, the two reserves, and {@code vm_committed_as}, the pages
 * private writable mappings have been promised (meminfo's {@code Committed_AS}).
 *
 * <p>Who charges: {@code mmap} of a private writable mapping without MAP_NORESERVE (with it too in
 * mode 2), {@code brk}, stack growth, {@code mremap} growth and {@code mprotect} making a private
 * mapping writable, each through {@link #vmEnoughMemory}; unmapping gives the pages back
 * ({@link #unacct}). Mode 0 (OVERCOMMIT_GUESS) refuses only a single request larger than RAM and
 * swap, mode 1 (OVERCOMMIT_ALWAYS) never refuses, mode 2 (OVERCOMMIT_NEVER) refuses once
 * Committed_AS would reach the {@link #commitLimitPages CommitLimit}, less the admin reserve for
 * an unprivileged caller and a slice of the user reserve.
 *
 * <p>kmemlab has no swap and no hugetlb pool, so {@code total_swap_pages} and
 * {@code hugetlb_total_pages()} are 0.
 */
public final class Overcommit {
    public static final int OVERCOMMIT_GUESS = 0;
    public static final int OVERCOMMIT_ALWAYS = 1;
    public static final int OVERCOMMIT_NEVER = 2;
    /** sysctl_overcommit_ratio's default. */
    public static final int DEFAULT_RATIO = 50;

    private final LongSupplier totalramPages;
    private final Dmesg dmesg;
    private int overcommitMemory = OVERCOMMIT_GUESS;
    private int overcommitRatio = DEFAULT_RATIO;
    private long overcommitKbytes;
    private long adminReserveKbytes = 8L << 10;
    private long userReserveKbytes = 128L << 10;
    private long committedPages;
    private long refused;

    /**
     * @param totalramPages {@code totalram_pages()}, read when a limit is computed (the page
     *     allocator is attached after the machine is built)
     */
    public Overcommit(LongSupplier totalramPages, Dmesg dmesg) {
        this.totalramPages = totalramPages;
        this.dmesg = dmesg;
    }

    /**
     * init_admin_reserve() and init_user_reserve(): 3% of the free memory, at most 8 MiB and 128 MiB.
     */
    public void initReserves(long freePages) {
        long freeKbytes = freePages << (Addr.PAGE_SHIFT - 10);
        adminReserveKbytes = Math.min(freeKbytes / 32, 8L << 10);
        userReserveKbytes = Math.min(freeKbytes / 32, 128L << 10);
    }

    /** vm_commit_limit(): overcommit_kbytes if set, else RAM × overcommit_ratio / 100 (+ swap, 0). */
    public long commitLimitPages() {
        if (overcommitKbytes != 0) {
            return overcommitKbytes >>> (Addr.PAGE_SHIFT - 10);
        }
        return totalramPages.getAsLong() * overcommitRatio / 100;
    }

    /** percpu_counter_read_positive(&vm_committed_as): meminfo's Committed_AS, in pages. */
    public long committedPages() {
        return Math.max(committedPages, 0);
    }

    /**
     * __vm_enough_memory(): charges {@code pages} to Committed_AS, and takes them back and refuses
     * if the policy says no, with the kernel's rate-limited warning.
     *
     * @param mmTotalVm the caller's {@code mm->total_vm} in pages (for the user reserve), or -1
     *     for no mm
     * @return 0, or -ENOMEM (-12)
     */
    public int vmEnoughMemory(long pages, long mmTotalVm, boolean capSysAdmin, int pid, String comm) {
        committedPages += pages;
        if (overcommitMemory == OVERCOMMIT_ALWAYS) {
            return 0;
        }
        if (overcommitMemory == OVERCOMMIT_GUESS) {
            if (pages <= totalramPages.getAsLong()) {
                return 0;
            }
        } else {
            long allowed = commitLimitPages();
            if (!capSysAdmin) {
                allowed -= adminReserveKbytes >>> (Addr.PAGE_SHIFT - 10);
            }
            if (mmTotalVm >= 0) {
                allowed -= Math.min(mmTotalVm / 32, userReserveKbytes >>> (Addr.PAGE_SHIFT - 10));
            }
            if (committedPages() < allowed) {
                return 0;
            }
        }
        refused++;
        dmesg.warn("__vm_enough_memory: pid: " + pid + ", comm: " + comm + ", bytes: " + (pages << Addr.PAGE_SHIFT)
                + " not enough memory for the allocation");
        committedPages -= pages;
        return -12;
    }

    /** vm_unacct_memory(): gives {@code pages} back. */
    public void unacct(long pages) {
        committedPages -= pages;
    }

    /** Requests {@link #vmEnoughMemory} refused since boot. */
    public long refused() {
        return refused;
    }

    public int overcommitMemory() {
        return overcommitMemory;
    }

    public int overcommitRatio() {
        return overcommitRatio;
    }

    public long overcommitKbytes() {
        return overcommitKbytes;
    }

    public long adminReserveKbytes() {
        return adminReserveKbytes;
    }

    public long userReserveKbytes() {
        return userReserveKbytes;
    }

    /** vm.overcommit_memory: 0, 1 or 2 (proc_dointvec_minmax). @return null, or "EINVAL" */
    public String setOvercommitMemory(long mode) {
        if (mode < OVERCOMMIT_GUESS || mode > OVERCOMMIT_NEVER) {
            return "EINVAL";
        }
        overcommitMemory = (int) mode;
        return null;
    }

    /** vm.overcommit_ratio (overcommit_ratio_handler): also clears overcommit_kbytes. */
    public String setOvercommitRatio(long ratio) {
        if (ratio < Integer.MIN_VALUE || ratio > Integer.MAX_VALUE) {
            return "EINVAL";
        }
        overcommitRatio = (int) ratio;
        overcommitKbytes = 0;
        return null;
    }

    /** vm.overcommit_kbytes (overcommit_kbytes_handler): also clears overcommit_ratio. */
    public String setOvercommitKbytes(long kbytes) {
        if (kbytes < 0) {
            return "EINVAL";
        }
        overcommitKbytes = kbytes;
        overcommitRatio = 0;
        return null;
    }

    public String setAdminReserveKbytes(long kbytes) {
        if (kbytes < 0) {
            return "EINVAL";
        }
        adminReserveKbytes = kbytes;
        return null;
    }

    public String setUserReserveKbytes(long kbytes) {
        if (kbytes < 0) {
            return "EINVAL";
        }
        userReserveKbytes = kbytes;
        return null;
    }

    /**
     * Registers {@code /proc/sys/vm/overcommit_memory}, {@code overcommit_ratio},
     * {@code overcommit_kbytes}, {@code admin_reserve_kbytes} and {@code user_reserve_kbytes}
     * (util_sysctl_table).
     */
    public void registerFiles(VirtualFs vfs) {
        sysctl(vfs, "overcommit_memory", () -> overcommitMemory, this::setOvercommitMemory);
        sysctl(vfs, "overcommit_ratio", () -> overcommitRatio, this::setOvercommitRatio);
        sysctl(vfs, "overcommit_kbytes", () -> overcommitKbytes, this::setOvercommitKbytes);
        sysctl(vfs, "admin_reserve_kbytes", () -> adminReserveKbytes, this::setAdminReserveKbytes);
        sysctl(vfs, "user_reserve_kbytes", () -> userReserveKbytes, this::setUserReserveKbytes);
    }

    /** One integer sysctl under /proc/sys/vm: reads as "N\n", a write takes one integer. */
    public static void sysctl(
            VirtualFs vfs, String name, LongSupplier value, java.util.function.LongFunction<String> set) {
        vfs.register("/proc/sys/vm/" + name, 0644, () -> value.getAsLong() + "\n", text -> {
            String t = text == null ? "" : text.trim();
            try {
                return set.apply(Long.parseLong(t));
            } catch (NumberFormatException e) {
                return "EINVAL";
            }
        });
    }
}
