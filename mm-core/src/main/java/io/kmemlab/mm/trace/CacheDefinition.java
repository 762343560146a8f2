package io.kmemlab.mm.trace;

/**
 * The arguments of one successful {@code kmem_cache_create}, as kmemlab writes them into its own
 * traces so that a replay creates the same caches at the same point (same merges, same shapes, same
 * memory) instead of guessing a shape from {@code bytes_req}/{@code bytes_alloc}. No kernel
 * tracepoint carries them (a real trace only names caches), so they travel as an ftrace comment,
 * which ftrace readers, trace-cmd and perf skip:
 *
 * <pre>
 *  # kmemlab cache: name=task_struct size=9792 align=64 flags=0x00042000 ctor=0 useroffset=3056 usersize=160 freeptr_offset=-1 events=0
 *    │               │               │         │        │               │      │                            │                   │
 *    prefix          cache name      object    align    SLAB_* flags    a      usercopy region              explicit free       kmem event lines
 *    (exact)         (no spaces)     size      argument (hex)           ctor?  (HARDENED_USERCOPY)          pointer offset      that follow and
 *                                                                                                           (-1: none)          belong to the creation
 * </pre>
 *
 * <p>The line is written once per creation (a new cache or an alias of an existing one), right
 * before the kmem event lines the creation itself emitted (the cache's own descriptors allocated
 * from {@code kmem_cache} and the like, {@code events=} of them), and once per existing cache when
 * a trace file is attached. A replay creates the cache and skips those {@code events} lines, since
 * creating it emits them again. Keys are written in this order; a reader takes them in any order,
 * requires {@code name} and {@code size} and ignores keys it does not know.
 *
 * @param name the cache name (as kmem_cache_alloc's {@code name=} prints it: no spaces)
 * @param size {@code object_size} asked for
 * @param align the {@code align} argument
 * @param flags SLAB_* creation flags asked for
 * @param ctor whether the cache has a constructor (its effect on layout is what a replay needs)
 * @param useroffset start of the usercopy region
 * @param usersize size of the usercopy region (non-zero: unmergeable)
 * @param freeptrOffset kmem_cache_args.freeptr_offset, or -1 if not used
 * @param events kmem event lines the creation emitted, which follow this line
 * @param sheafCapacity kmem_cache_args.sheaf_capacity (0: none; written as {@code sheaf_capacity=}
 *     before {@code events=} only when not 0, so traces of caches without sheaves are unchanged)
 */
public record CacheDefinition(
        String name,
        long size,
        long align,
        int flags,
        boolean ctor,
        int useroffset,
        int usersize,
        int freeptrOffset,
        int events,
        int sheafCapacity) {

    /** A definition without sheaves. */
    public CacheDefinition(
            String name,
            long size,
            long align,
            int flags,
            boolean ctor,
            int useroffset,
            int usersize,
            int freeptrOffset,
            int events) {
        this(name, size, align, flags, ctor, useroffset, usersize, freeptrOffset, events, 0);
    }

    /** What every such comment line starts with. */
    public static final String COMMENT_PREFIX = "# kmemlab cache: ";

    /** The same definition with another {@code events=} count. */
    public CacheDefinition withEvents(int n) {
        return new CacheDefinition(
                name, size, align, flags, ctor, useroffset, usersize, freeptrOffset, n, sheafCapacity);
    }

    /** The comment line, without newline. */
    public String commentLine() {
        StringBuilder sb = new StringBuilder(160);
        sb.append(COMMENT_PREFIX)
                .append("name=")
                .append(name)
                .append(" size=")
                .append(size)
                .append(" align=")
                .append(align)
                .append(" flags=0x");
        String hex = Integer.toHexString(flags);
        for (int i = hex.length(); i < 8; i++) {
            sb.append('0');
        }
        sb.append(hex)
                .append(" ctor=")
                .append(ctor ? 1 : 0)
                .append(" useroffset=")
                .append(useroffset)
                .append(" usersize=")
                .append(usersize)
                .append(" freeptr_offset=")
                .append(freeptrOffset);
        if (sheafCapacity != 0) {
            sb.append(" sheaf_capacity=").append(sheafCapacity);
        }
        sb.append(" events=").append(events);
        return sb.toString();
    }
}
