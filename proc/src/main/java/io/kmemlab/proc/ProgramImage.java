package io.kmemlab.proc;

import io.kmemlab.mm.Addr;

/**
 * The executable a process runs: a static position-independent ELF laid out as {@code ld -z
 * separate-code} lays it out, four PT_LOAD segments each in its own pages, mapped MAP_PRIVATE from
 * the file at the load bias:
 *
 * <pre>
 *  r--p  ELF header and program headers         one page
 *  r-xp  .text                                  textBytes, page-rounded (start_code … end_code)
 *  r--p  .rodata, .eh_frame                     rodataBytes, page-rounded
 *  rw-p  .data and .bss                         dataBytes + bssBytes, page-rounded (… end_data)
 * </pre>
 *
 * The program break starts at the page after the bss. The file's contents are not modelled: a
 * page faulted in from it reads as zeros.
 *
 * @param path the file's path (printed in the maps)
 * @param dev the device of its file system, {@code (major << 8) | minor} as new_encode_dev
 * @param ino its inode number
 */
public record ProgramImage(
        String path, int dev, long ino, long textBytes, long rodataBytes, long dataBytes, long bssBytes) {

    /** A small C program: 10.6 KiB of text, 7.6 KiB of rodata, 0.6 KiB of data, 24 bytes of bss. */
    public static ProgramImage small(String path) {
        long ino = 1_048_576 + (path.hashCode() & 0xfffff);
        return new ProgramImage(path, (8 << 8) | 2, ino, 0x2a51, 0x1e40, 0x0258, 0x18);
    }

    static long pagesOf(long bytes) {
        return (bytes + Addr.PAGE_SIZE - 1) >>> Addr.PAGE_SHIFT;
    }

    /** Pages of the four segments. */
    long[] segmentPages() {
        return new long[] {
            1,
            Math.max(1, pagesOf(textBytes)),
            Math.max(1, pagesOf(rodataBytes)),
            Math.max(1, pagesOf(dataBytes + bssBytes))
        };
    }
}
