package io.kmemlab.proc;

import io.kmemlab.mm.PageFrames;
import java.util.Arrays;

/**
 * The shmem object behind a MAP_SHARED|MAP_ANONYMOUS mapping ({@code shmem_zero_setup}: an
 * unlinked file on the internal shm mount, "/dev/zero (deleted)" in the maps). Its size is the
 * mapping's length at mmap; its pages live here (the page cache of the file) whether or not a
 * PTE maps them, so MADV_DONTNEED drops the mappings and keeps the data. The last area that
 * refers to it frees its pages.
 */
final class ShmemFile {
    /** The inode number the maps print (get_next_ino()). */
    final long ino;
    /** i_size in pages: a fault beyond it is SIGBUS. */
    final long sizePages;
    /** pfn of each page, {@link PageFrames#NIL} where none yet. */
    final int[] pfns;

    int refs = 1;
    long nrPages;

    ShmemFile(long ino, long sizePages) {
        this.ino = ino;
        this.sizePages = sizePages;
        this.pfns = new int[(int) Math.min(sizePages, Integer.MAX_VALUE - 8)];
        Arrays.fill(pfns, PageFrames.NIL);
    }
}
