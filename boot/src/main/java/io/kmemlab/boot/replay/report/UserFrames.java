package io.kmemlab.boot.replay.report;

import io.kmemlab.proc.Process;
import io.kmemlab.proc.ProcessTable;
import io.kmemlab.proc.Pte;
import io.kmemlab.proc.UserFrameVisitor;
import io.kmemlab.proc.VmaInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The frames the processes hold at one moment, named for the physical memory map: page-table
 * pages and the pages user space maps (anonymous, file, shmem), each with the process that holds
 * it ({@code pid 301 (mawk)}) and, for a user page, the VMA that maps it. Taken from {@link
 * ProcessTable#forEachUserFrame} (a read-only walk of every address space's page tables), so
 * nothing on the fault path pays for it. A page two processes map is named after the first, in
 * pid order.
 */
public final class UserFrames {
    /** Legend keys, by the index {@link #kind} returns (0: not the processes'). */
    static final String[] KEYS = {null, "page table", "user anon", "user file", "user shmem"};

    private static final String[] LEVELS = {"", "PTE table", "PMD table", "PUD table", "PGD"};

    private final byte[] kind;
    private final int[] owner;
    private final List<String> owners = new ArrayList<>();

    private UserFrames(int nrFrames) {
        kind = new byte[nrFrames];
        owner = new int[nrFrames];
    }

    /** The frames every live process of {@code table} holds now, on a machine of {@code nrFrames}. */
    public static UserFrames capture(ProcessTable table, int nrFrames) {
        UserFrames u = new UserFrames(nrFrames);
        Map<String, Integer> index = new HashMap<>();
        Map<Process, List<VmaInfo>> vmas = new HashMap<>();
        table.forEachUserFrame(new UserFrameVisitor() {
            @Override
            public void pageTable(int pfn, Process p, int level) {
                u.set(pfn, 1, name(p) + ": " + LEVELS[level], index);
            }

            @Override
            public void userPage(int pfn, Process p, long uaddr, int member) {
                int k = member == Pte.MM_FILEPAGES ? 3 : member == Pte.MM_SHMEMPAGES ? 4 : 2;
                VmaInfo v = vmaOf(vmas.computeIfAbsent(p, Process::vmas), uaddr);
                String where = v == null
                        ? ""
                        : String.format(
                                Locale.ROOT,
                                ", VMA %x-%x%s",
                                v.start(),
                                v.end(),
                                v.name().isEmpty() ? "" : " " + v.name());
                u.set(pfn, k, name(p) + where, index);
            }
        });
        return u;
    }

    private static String name(Process p) {
        return "pid " + p.pid() + " (" + p.comm() + ")";
    }

    private static VmaInfo vmaOf(List<VmaInfo> vmas, long uaddr) {
        int lo = 0;
        int hi = vmas.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            VmaInfo v = vmas.get(mid);
            if (uaddr < v.start()) {
                hi = mid - 1;
            } else if (uaddr >= v.end()) {
                lo = mid + 1;
            } else {
                return v;
            }
        }
        return null;
    }

    private void set(int pfn, int k, String name, Map<String, Integer> index) {
        if (pfn < 0 || pfn >= kind.length || kind[pfn] != 0) {
            return;
        }
        kind[pfn] = (byte) k;
        owner[pfn] = index.computeIfAbsent(name, n -> {
            owners.add(n);
            return owners.size() - 1;
        });
    }

    /** What the processes hold at {@code pfn}: an index into {@link #KEYS}, 0 for nothing. */
    int kind(int pfn) {
        return pfn < kind.length ? kind[pfn] : 0;
    }

    /** Who holds {@code pfn} (and the VMA for a user page); meaningful when {@link #kind} is not 0. */
    String owner(int pfn) {
        return owners.get(owner[pfn]);
    }

    /** Frames the processes hold as {@code key} ({@code "page table"}, {@code "user anon"} …). */
    public long frames(String key) {
        long n = 0;
        for (byte k : kind) {
            if (k != 0 && KEYS[k].equals(key)) {
                n++;
            }
        }
        return n;
    }
}
