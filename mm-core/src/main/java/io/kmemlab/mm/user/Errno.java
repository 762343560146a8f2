package io.kmemlab.mm.user;

/**
 * The errno values the memory system calls return, negated as the raw system call returns them
 * ({@code -ENOMEM}), with the names and strerror() texts the shell prints.
 */
public final class Errno {
    public static final int EPERM = 1;
    public static final int ESRCH = 3;
    public static final int EINTR = 4;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int ENOMEM = 12;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int EINVAL = 22;

    private Errno() {}

    /** True if a system call's return value is an error ({@code -4095 ≤ ret < 0}, IS_ERR_VALUE). */
    public static boolean isError(long ret) {
        return ret < 0 && ret >= -4095;
    }

    /** {@code ENOMEM} for 12 (or -12). */
    public static String name(long errno) {
        return switch ((int) Math.abs(errno)) {
            case EPERM -> "EPERM";
            case ESRCH -> "ESRCH";
            case EINTR -> "EINTR";
            case EBADF -> "EBADF";
            case EAGAIN -> "EAGAIN";
            case ENOMEM -> "ENOMEM";
            case EACCES -> "EACCES";
            case EFAULT -> "EFAULT";
            case EEXIST -> "EEXIST";
            case ENODEV -> "ENODEV";
            case EINVAL -> "EINVAL";
            default -> "E" + Math.abs(errno);
        };
    }

    /** strerror(): {@code Cannot allocate memory} for ENOMEM. */
    public static String message(long errno) {
        return switch ((int) Math.abs(errno)) {
            case EPERM -> "Operation not permitted";
            case ESRCH -> "No such process";
            case EINTR -> "Interrupted system call";
            case EBADF -> "Bad file descriptor";
            case EAGAIN -> "Resource temporarily unavailable";
            case ENOMEM -> "Cannot allocate memory";
            case EACCES -> "Permission denied";
            case EFAULT -> "Bad address";
            case EEXIST -> "File exists";
            case ENODEV -> "No such device";
            case EINVAL -> "Invalid argument";
            default -> "Unknown error " + Math.abs(errno);
        };
    }
}
