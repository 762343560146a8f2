package io.kmemlab.mm.user.trace;

/**
 * The answer files' line for one allocating operation (what {@code replay.c} prints and
 * {@code malloc replay --ops} prints):
 *
 * <pre>
 *   a ID OFFSET USABLE    OFFSET: hex distance of the pointer from the process's initial break
 *   a ID mmap USABLE      a block outside the brk heap, when the allocator has one (its own mmap)
 *   a ID - USABLE         no brk heap applies (the allocator never moved the break), or NULL
 * </pre>
 *
 * (realloc prints {@code r}). USABLE is malloc_usable_size of the pointer.
 */
public final class OpsFormat {
    private OpsFormat() {}

    /**
     * Appends the line, without a newline.
     *
     * @param heapEnd the highest break the process has had (its brk heap is [startBrk, heapEnd))
     */
    public static StringBuilder append(
            StringBuilder sb, char op, long id, long ptr, long usable, long startBrk, long heapEnd) {
        sb.append(op).append(' ').append(id).append(' ');
        if (ptr == 0 || heapEnd <= startBrk) {
            sb.append('-');
        } else if (ptr >= startBrk && ptr < heapEnd) {
            sb.append(Long.toHexString(ptr - startBrk));
        } else {
            sb.append("mmap");
        }
        return sb.append(' ').append(usable);
    }

    public static String line(char op, long id, long ptr, long usable, long startBrk, long heapEnd) {
        return append(new StringBuilder(32), op, id, ptr, usable, startBrk, heapEnd)
                .toString();
    }
}
