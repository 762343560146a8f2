package io.kmemlab.mm.user;

/**
 * What a user-space allocator sees of the process it runs in: the memory system calls, the
 * process's memory, and a way to die. An allocator reaches the kernel only through this interface
 * (glibc's {@code sbrk}/{@code mmap}, jemalloc's {@code pages_map}); every call is counted, timed
 * in virtual time and may fault pages in, exactly as the process model does for any program.
 *
 * <p>System calls return what the kernel returns: an address, or {@code -errno} (see {@link
 * Errno#isError}). Memory accesses return false (or 0) when the access killed the process.
 */
public interface UserSpace {

    /** brk(2): the new break, or the old one if it could not move (0 asks for the current one). */
    long brk(long addr);

    /** mmap(2) of anonymous memory: the address, or -errno. Flags and prot from {@link Mman}. */
    long mmap(long addr, long len, int prot, int flags);

    /** munmap(2): 0 or -errno. */
    int munmap(long addr, long len);

    /** mremap(2): the (new) address, or -errno. */
    long mremap(long oldAddr, long oldLen, long newLen, int flags, long newAddr);

    /** mprotect(2): 0 or -errno. */
    int mprotect(long addr, long len, int prot);

    /** madvise(2): 0 or -errno. */
    int madvise(long addr, long len, int advice);

    /** The program break the process started with (its heap's base: the answer files' offsets). */
    long startBrk();

    /** The current program break. */
    long brkAddress();

    long readU64(long uaddr);

    boolean writeU64(long uaddr, long value);

    int readU8(long uaddr);

    boolean writeU8(long uaddr, int value);

    boolean read(long uaddr, byte[] dst, int off, int len);

    boolean write(long uaddr, byte[] src, int off, int len);

    /** memset. */
    boolean fill(long uaddr, int value, long len);

    /**
     * memmove of {@code len} bytes (the regions may overlap), as realloc copies a block.
     *
     * @return false if an access killed the process
     */
    boolean copy(long dst, long src, long len);

    /** Charges {@code nanos} of virtual time to the process's user-mode work (the allocator's own code). */
    void chargeUser(long nanos);

    /**
     * abort(3) after an allocator's fatal check ({@code malloc_printerr}): {@code message} goes to
     * the process's stderr and the process dies of SIGABRT. Later calls fail as for any dead process.
     */
    void abort(String message);

    /** A message on the process's stderr that does not kill it (a counted warning). */
    void warn(String message);

    /** False once the process died (abort, a fatal signal, OOM kill, exit). */
    boolean alive();

    int pid();

    /** Minor faults so far. */
    long minflt();

    /** Resident pages. */
    long rssPages();

    long syscalls(Syscall s);

    /** Bytes the calls of kind {@code s} asked for. */
    long syscallBytes(Syscall s);

    /** The machine's virtual time, in nanoseconds. */
    long nowNanos();
}
