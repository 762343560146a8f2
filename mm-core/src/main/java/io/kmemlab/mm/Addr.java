package io.kmemlab.mm;

/**
 * The one place that converts between page frame numbers, physical addresses and x86-64
 * direct-map kernel virtual addresses. Nobody else shifts or masks addresses.
 *
 * <pre>
 *  physical  = pfn &lt;&lt; PAGE_SHIFT                       (__pfn_to_phys)
 *  virtual   = PAGE_OFFSET + physical                   (__va, the direct map)
 *  struct page of pfn = VMEMMAP_BASE + pfn * 64         (pfn_to_page; printed by page=%p)
 *
 *  63                      47            12 11        0
 *  +------------------------+--------------+-----------+
 *  | 0xffff888000000000 ... |     pfn      |  offset   |   direct-map virtual address
 *  +------------------------+--------------+-----------+
 * </pre>
 *
 * A PFN is an {@code int}: 2^31 frames of 4 KiB cover 8 TiB, more than any emulated machine.
 */
public final class Addr {
    public static final int PAGE_SHIFT = 12;
    public static final int PAGE_SIZE = 1 << PAGE_SHIFT;
    public static final long PAGE_MASK = ~((long) PAGE_SIZE - 1);
    /** x86-64 direct map base without KASLR (page_offset_base). */
    public static final long PAGE_OFFSET = 0xffff888000000000L;
    /** x86-64 vmemmap base without KASLR (vmemmap_base). */
    public static final long VMEMMAP_BASE = 0xffffea0000000000L;
    /** sizeof(struct page) on x86-64. */
    public static final int STRUCT_PAGE_SIZE = 64;
    /** ZERO_SIZE_PTR, what kmalloc(0) returns. */
    public static final long ZERO_SIZE_PTR = 16;
    /** Largest emulated physical address space: 8 TiB. */
    public static final long MAX_PHYS = 1L << 43;

    private Addr() {}

    public static long pfnToPhys(int pfn) {
        return (long) pfn << PAGE_SHIFT;
    }

    public static int physToPfn(long phys) {
        return (int) (phys >>> PAGE_SHIFT);
    }

    public static long pfnToVirt(int pfn) {
        return PAGE_OFFSET + ((long) pfn << PAGE_SHIFT);
    }

    public static int virtToPfn(long virt) {
        return (int) ((virt - PAGE_OFFSET) >>> PAGE_SHIFT);
    }

    public static long virtToPhys(long virt) {
        return virt - PAGE_OFFSET;
    }

    public static long physToVirt(long phys) {
        return PAGE_OFFSET + phys;
    }

    /** True if {@code virt} lies in the direct map of a machine with {@code nrFrames} frames. */
    public static boolean isDirectMap(long virt, int nrFrames) {
        long phys = virt - PAGE_OFFSET;
        return Long.compareUnsigned(phys, (long) nrFrames << PAGE_SHIFT) < 0;
    }

    public static int offsetInPage(long addr) {
        return (int) (addr & (PAGE_SIZE - 1));
    }

    public static long pageAlignDown(long addr) {
        return addr & PAGE_MASK;
    }

    /** Address of the pfn's struct page in the vmemmap, as the page tracepoints print it. */
    public static long structPage(int pfn) {
        return VMEMMAP_BASE + (long) pfn * STRUCT_PAGE_SIZE;
    }

    /** get_order(size): the smallest order whose block holds {@code size} bytes (size ≥ 1). */
    public static int getOrder(long size) {
        long pages = (size + PAGE_SIZE - 1) >>> PAGE_SHIFT;
        return pages <= 1 ? 0 : 64 - Long.numberOfLeadingZeros(pages - 1);
    }

    /** Lowercase hexadecimal with a 0x prefix, as the shell prints addresses. */
    public static String hex(long addr) {
        return "0x" + Long.toHexString(addr);
    }
}
