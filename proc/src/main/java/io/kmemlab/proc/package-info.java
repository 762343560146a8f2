/**
 * Processes on the emulated kernel: our {@code mm/mmap.c}, {@code mm/vma.c}, {@code mm/memory.c},
 * {@code mm/gup.c}, {@code mm/mremap.c}, {@code mm/mprotect.c}, {@code mm/madvise.c},
 * {@code mm/oom_kill.c} and the memory half of {@code fs/proc/array.c} and
 * {@code fs/proc/task_mmu.c}, following Linux 6.18 on x86-64 with 4-level paging. It sits beside
 * the page allocator and talks to it only through {@link io.kmemlab.mm.page.PageAllocator}: every
 * user page, page-table page and the zero page is a frame the page allocator handed out.
 *
 * <h2>How it works</h2>
 *
 * A {@link io.kmemlab.proc.ProcessTable} (one per machine) spawns processes; a
 * {@link io.kmemlab.proc.Process} is a task with one address space ({@code Mm}, the mm_struct):
 *
 * <pre>
 *  0x7ffffffff000  TASK_SIZE ─┬─ [stack]  132 KiB, VM_GROWSDOWN, top randomised by 16 GiB
 *                             │  RLIMIT_STACK (8 MiB) + stack_guard_gap (1 MiB) + 16 GiB: the gap
 *            mmap_base ───────┼─ mmap areas, allocated top down (randomised by 28 bits of pages)
 *                             ⋮
 *            start_brk ───────┼─ [heap]   brk, after the image (randomised by up to 32 MiB)
 *  0x555555554000 + rnd ──────┴─ the program: r--p, r-xp, r--p, rw-p from its file
 * </pre>
 *
 * The VMAs ({@code Vma}) sit in an ordered map by start address. Page tables are real: a PGD, PUD,
 * PMD and PTE tables in frames from the page allocator, each entry a little-endian word in the
 * frame's bytes ({@link io.kmemlab.proc.Pte} has the layout). A user access ({@code readU64},
 * {@code touch}, …) walks them as the MMU would; a missing or read-only entry raises the fault
 * handler ({@code Memory}), which maps the shared zero page for an anonymous read, allocates a
 * zeroed page ({@code GFP_HIGHUSER_MOVABLE|__GFP_ZERO|__GFP_COMP}, the flags of the real trace:
 * 6.18 allocates user memory as folios) for a write, and counts PGFAULT and the process's minor
 * faults. RSS is kept in the four mm counters and reported by the {@code rss_stat} tracepoint at
 * each change ({@code mm_id=… curr=… type=MM_ANONPAGES size=…B}). Unmapping zaps the PTEs and gives
 * the pages back 31 at a time ({@code release_pages} → {@code free_unref_folios}:
 * {@code mm_page_free_batched}), then frees the page tables no VMA needs.
 *
 * <p>MAP_POPULATE runs {@code __mm_populate} after the mapping exists, inside the mmap call: every
 * page is faulted in (write faults for private writable areas, read faults otherwise, so a
 * read-only area gets the zero page and a shared one its shmem pages), errors ignored;
 * MAP_NONBLOCK cancels it. MADV_POPULATE_READ/WRITE run the same loop and report errors.
 *
 * <p>Commit accounting goes through the machine's {@link io.kmemlab.mm.Overcommit} (mm/util.c:
 * {@code __vm_enough_memory}, modes 0/1/2, CommitLimit, Committed_AS). When the page allocator
 * has no page for a fault, lazily freed (MADV_FREE, still clean) pages are reclaimed; if there are
 * none the OOM killer kills the process with the highest badness with the kernel's report, or,
 * under vm.panic_on_oom, the machine panics and every later call fails.
 *
 * <h2>Costs</h2>
 *
 * Every system call and fault advances the machine's virtual clock by the
 * {@link io.kmemlab.proc.CostModel} (calibrated against measured MAP_POPULATE and demand-fault
 * times of a 64 MiB mapping on 6.18) and books it to a {@link io.kmemlab.mm.user.TimeCategory} of the
 * process; {@link io.kmemlab.proc.ProcessMetric} has the calls, bytes, errors and time per system
 * call. Faults GUP raises (populate) skip the trap's cost, as they skip the exception.
 *
 * <h2>Invariants ({@code Process.validate()}, {@code ProcessTable.validate()})</h2>
 * <ul>
 *   <li>VMAs are page aligned, non-empty, disjoint, below TASK_SIZE; no two neighbours could merge
 *       (same flags and backing, continuous pgoff, compatible anon_vma);
 *   <li>total_vm, data_vm, exec_vm, stack_vm and locked_vm are the sums of vm_stat_account over
 *       the VMAs;
 *   <li>every present PTE lies in a VMA; per counter, RSS = the present PTEs charged to it (the
 *       zero page is charged to none); every anonymous page's reverse-map entry names its process
 *       and address; every page table maps a range some VMA meets, and nr_puds/nr_pmds/nr_ptes
 *       count them;
 *   <li>machine-wide: Committed_AS = the pages of all VM_ACCOUNT areas, NR_ANON_MAPPED = Σ
 *       MM_ANONPAGES, NR_PAGETABLE = Σ page-table pages with the PGDs.
 * </ul>
 *
 * <h2>For a user-space allocator</h2>
 *
 * A malloc implementation gets a {@code Process} and uses nothing else: {@code brk},
 * {@code mmap}, {@code munmap}, {@code mremap}, {@code madvise}, {@code mprotect} for memory (the
 * raw system calls' returns: an address, or -errno), {@code readU64}/{@code writeU64}/{@code read}/
 * {@code write}/{@code fill} for its headers and free lists (which fault pages in), and the
 * process's {@link io.kmemlab.proc.ProcessMetric} for its report: calls, bytes and time per system
 * call, minor faults, RSS and its peak, VmSize. None of it allocates a Java object per page.
 *
 * <h2>Compaction</h2>
 *
 * {@link io.kmemlab.proc.UserPageRmap} maps an anonymous page's pfn to its process and address;
 * {@code mayMigrate(pfn, order)} and {@code migrated(oldPfn, newPfn, order)} let the page
 * allocator move a user page: the PTE is rewritten to the new frame, and the process reads the
 * same bytes at the same address.
 *
 * <h2>Simplifications</h2>
 * <ul>
 *   <li>No fork, threads, files or swap: a process runs one program image whose contents read as
 *       zeros; its page-cache pages belong to the mapping and are freed with it (no page cache
 *       outlives a process); mmap takes only MAP_ANONYMOUS (a file mapping is EBADF). Shared
 *       anonymous memory is a shmem object per mmap, sized at mmap (past its end is SIGBUS).
 *   <li>No transparent huge pages: every fault maps 4 KiB (as MAP_POPULATE does under THP
 *       "madvise"), though large anonymous mappings are placed on 2 MiB boundaries as 6.18 places
 *       them. No MAP_HUGETLB (ENOMEM: the pool is empty), no MREMAP_DONTUNMAP (EINVAL), no pkeys.
 *   <li>PTE protections are not narrowed by mprotect: permissions are checked against the VMA, and
 *       the PTE's write bit only tells the zero page and read-only file and shmem pages from
 *       writable ones.
 *   <li>The PGD is one page (no PTI pair); the OOM killer runs from the fault path (kmemlab's page
 *       allocator has no reclaim), so the failed attempt is first reported by warn_alloc; the only
 *       reclaim is of MADV_FREE pages. Pids start at 301; uid 1000 by default; one current task for
 *       the whole machine (/proc/self).
 *   <li>The /proc/PID/status lines about credentials, signals, capabilities, seccomp and context
 *       switches print the values of a plain unprivileged single-threaded process.
 * </ul>
 */
package io.kmemlab.proc;
