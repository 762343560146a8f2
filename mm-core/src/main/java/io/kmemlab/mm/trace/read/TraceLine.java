package io.kmemlab.mm.trace.read;

import io.kmemlab.mm.trace.CacheDefinition;
import io.kmemlab.mm.trace.KmemEvent;

/**
 * One parsed trace line: a mutable flyweight that a reader refills for every line, so parsing a
 * trace allocates nothing per line. Read the fields right after {@code next()} returns; the next
 * call overwrites them.
 *
 * <p>{@link #kind()} says what the line was. For {@link Kind#EVENT} the fields of its
 * {@link #op()} are set (the rest keep neutral values): pointers as printed (hashed or raw, the
 * replay only needs them to be consistent), {@code pfn = -1} for a failed {@code mm_page_alloc},
 * {@code node = -1} when the trace has no {@code node=}.
 */
public final class TraceLine {
    /** What a line was. */
    public enum Kind {
        /** A kmem event the replay can apply: see {@link #op()}. */
        EVENT,
        /** A well-formed event line of an event the replay does not apply: see {@link #eventName()}. */
        OTHER_EVENT,
        /** A line that looks like an event but cannot be parsed: see {@link #reason()}. */
        MALFORMED,
        /** Header, comment or blank line: not an event at all. */
        NONE,
        /**
         * kmemlab's own {@code # kmemlab cache:} comment: the arguments of a kmem_cache_create,
         * see {@link #cacheDefinition()}. Not an event.
         */
        CACHE_DEFINITION
    }

    Kind kind = Kind.NONE;
    long lineNo;
    TraceOp op;
    String eventName;
    String reason;
    String comm = "<...>";
    int pid;
    int cpu;
    long nanos;
    long callSite;
    long ptr;
    long oldPtr;
    String cacheName;
    long bytesReq;
    long bytesAlloc;
    int gfpFlags;
    int node;
    boolean accounted;
    long pfn;
    int order;
    int migratetype;
    boolean percpuRefill;
    int fallbackOrder;
    int fallbackMigratetype;
    boolean changeOwnership;
    CacheDefinition cacheDefinition;

    /**
     * Makes this a synthetic event line (workload generators feed the replay engine this way, so
     * a workload and a trace run through exactly the same code). Clears the other fields.
     */
    public TraceLine setEvent(TraceOp op, long lineNo, String comm, int pid, int cpu, long nanos) {
        clearEvent();
        this.kind = Kind.EVENT;
        this.op = op;
        this.eventName = op.eventName();
        this.lineNo = lineNo;
        this.comm = comm;
        this.pid = pid;
        this.cpu = cpu;
        this.nanos = nanos;
        return this;
    }

    /** Makes this a malformed line (for replaying a stored copy of a parsed line). */
    public TraceLine setMalformed(long lineNo, String reason) {
        clearEvent();
        this.lineNo = lineNo;
        malformed(reason);
        return this;
    }

    /** Makes this a cache comment line (for replaying a stored copy of a parsed line). */
    public TraceLine setCacheDefinition(long lineNo, CacheDefinition d) {
        clearEvent();
        this.kind = Kind.CACHE_DEFINITION;
        this.lineNo = lineNo;
        this.cacheDefinition = d;
        this.cacheName = d.name();
        return this;
    }

    /** Makes this a line of another event (for replaying a stored copy of a parsed line). */
    public TraceLine setOtherEvent(long lineNo, String eventName) {
        clearEvent();
        this.kind = Kind.OTHER_EVENT;
        this.lineNo = lineNo;
        this.eventName = eventName;
        return this;
    }

    /** Object fields of a synthetic kmalloc/kmem_cache_alloc/kfree/kmem_cache_free/krealloc. */
    public TraceLine setObject(
            long callSite, long ptr, String cacheName, long bytesReq, long bytesAlloc, int gfpFlags) {
        this.callSite = callSite;
        this.ptr = ptr;
        this.oldPtr = op == TraceOp.KREALLOC ? ptr : 0;
        this.cacheName = cacheName;
        this.bytesReq = bytesReq;
        this.bytesAlloc = bytesAlloc;
        this.gfpFlags = gfpFlags;
        return this;
    }

    /** Page fields of a synthetic mm_page_* event. */
    public TraceLine setPage(long pfn, int order, int gfpFlags) {
        this.pfn = pfn;
        this.order = order;
        this.gfpFlags = gfpFlags;
        return this;
    }

    /**
     * Makes this an exact copy of {@code other}, every field: a reader keeps parsed lines this way
     * (one flyweight per stored line) so that replaying them later copies nothing.
     */
    public TraceLine copyFrom(TraceLine other) {
        kind = other.kind;
        lineNo = other.lineNo;
        op = other.op;
        eventName = other.eventName;
        reason = other.reason;
        comm = other.comm;
        pid = other.pid;
        cpu = other.cpu;
        nanos = other.nanos;
        callSite = other.callSite;
        ptr = other.ptr;
        oldPtr = other.oldPtr;
        cacheName = other.cacheName;
        bytesReq = other.bytesReq;
        bytesAlloc = other.bytesAlloc;
        gfpFlags = other.gfpFlags;
        node = other.node;
        accounted = other.accounted;
        pfn = other.pfn;
        order = other.order;
        migratetype = other.migratetype;
        percpuRefill = other.percpuRefill;
        fallbackOrder = other.fallbackOrder;
        fallbackMigratetype = other.fallbackMigratetype;
        changeOwnership = other.changeOwnership;
        cacheDefinition = other.cacheDefinition;
        return this;
    }

    /** Resets the event fields before a line is parsed (prefix fields are set by the parser). */
    void clearEvent() {
        op = null;
        eventName = null;
        reason = null;
        callSite = 0;
        ptr = 0;
        oldPtr = 0;
        cacheName = null;
        bytesReq = 0;
        bytesAlloc = 0;
        gfpFlags = 0;
        node = -1;
        accounted = false;
        pfn = 0;
        order = 0;
        migratetype = 0;
        percpuRefill = false;
        fallbackOrder = 0;
        fallbackMigratetype = 0;
        changeOwnership = false;
        cacheDefinition = null;
    }

    void malformed(String why) {
        kind = Kind.MALFORMED;
        reason = why;
    }

    public Kind kind() {
        return kind;
    }

    /** 1-based line number in the input. */
    public long lineNo() {
        return lineNo;
    }

    /** The operation of an {@link Kind#EVENT} line. */
    public TraceOp op() {
        return op;
    }

    /** The tracepoint name of an {@link Kind#EVENT} or {@link Kind#OTHER_EVENT} line (interned). */
    public String eventName() {
        return eventName;
    }

    /** Why a {@link Kind#MALFORMED} line was rejected (a constant text). */
    public String reason() {
        return reason;
    }

    /** The task's comm from the line prefix (interned), {@code <...>} if unknown. */
    public String comm() {
        return comm;
    }

    public int pid() {
        return pid;
    }

    public int cpu() {
        return cpu;
    }

    /** Timestamp in nanoseconds. */
    public long nanos() {
        return nanos;
    }

    /** Call-site address: interned in the reader's symbol table, or the raw hex value. */
    public long callSite() {
        return callSite;
    }

    /** {@code ptr=}: the object (for krealloc, the new object's trace id). */
    public long ptr() {
        return ptr;
    }

    /** For {@link TraceOp#KREALLOC}: the object being resized (0 for none). */
    public long oldPtr() {
        return oldPtr;
    }

    /** {@code name=} of kmem_cache_alloc / kmem_cache_free (interned), or null if absent. */
    public String cacheName() {
        return cacheName;
    }

    /** {@code bytes_req=} (an unsigned 64-bit value). */
    public long bytesReq() {
        return bytesReq;
    }

    /** {@code bytes_alloc=} (an unsigned 64-bit value). */
    public long bytesAlloc() {
        return bytesAlloc;
    }

    public int gfpFlags() {
        return gfpFlags;
    }

    /** {@code node=}, -1 (NUMA_NO_NODE) if absent. */
    public int node() {
        return node;
    }

    public boolean accounted() {
        return accounted;
    }

    /** {@code pfn=} of a page event; -1 for a failed mm_page_alloc. */
    public long pfn() {
        return pfn;
    }

    public int order() {
        return order;
    }

    public int migratetype() {
        return migratetype;
    }

    /** {@code percpu_refill=} of mm_page_alloc_zone_locked. */
    public boolean percpuRefill() {
        return percpuRefill;
    }

    /** {@code fallback_order=} of mm_page_alloc_extfrag ({@link #order()} holds alloc_order). */
    public int fallbackOrder() {
        return fallbackOrder;
    }

    /** {@code fallback_migratetype=} ({@link #migratetype()} holds alloc_migratetype). */
    public int fallbackMigratetype() {
        return fallbackMigratetype;
    }

    public boolean changeOwnership() {
        return changeOwnership;
    }

    /** The kmem_cache_create arguments of a {@link Kind#CACHE_DEFINITION} line, else null. */
    public CacheDefinition cacheDefinition() {
        return cacheDefinition;
    }

    /**
     * The event as kmemlab's own record (allocates: for tools and tests, not for replay). Null
     * unless the line is an {@link Kind#EVENT} of a tracepoint ({@link TraceOp#KREALLOC} has none).
     */
    public KmemEvent toEvent() {
        if (kind != Kind.EVENT) {
            return null;
        }
        return switch (op) {
            case KMALLOC -> new KmemEvent.Kmalloc(callSite, ptr, bytesReq, bytesAlloc, gfpFlags, node);
            case KMEM_CACHE_ALLOC ->
                new KmemEvent.KmemCacheAlloc(callSite, ptr, cacheName, bytesReq, bytesAlloc, gfpFlags, node, accounted);
            case KFREE -> new KmemEvent.Kfree(callSite, ptr);
            case KMEM_CACHE_FREE -> new KmemEvent.KmemCacheFree(callSite, ptr, cacheName);
            case KREALLOC -> null;
            case MM_PAGE_ALLOC -> new KmemEvent.MmPageAlloc(pfn, order, migratetype, gfpFlags);
            case MM_PAGE_FREE -> new KmemEvent.MmPageFree(pfn, order);
            case MM_PAGE_FREE_BATCHED -> new KmemEvent.MmPageFreeBatched(pfn);
            case MM_PAGE_ALLOC_ZONE_LOCKED ->
                new KmemEvent.MmPageAllocZoneLocked(pfn, order, migratetype, percpuRefill);
            case MM_PAGE_PCPU_DRAIN -> new KmemEvent.MmPagePcpuDrain(pfn, order, migratetype);
            case MM_PAGE_ALLOC_EXTFRAG ->
                new KmemEvent.MmPageAllocExtfrag(
                        pfn, order, fallbackOrder, migratetype, fallbackMigratetype, changeOwnership);
        };
    }

    @Override
    public String toString() {
        return switch (kind) {
            case EVENT ->
                "line " + lineNo + ": " + op.eventName() + " cpu=" + cpu + " ptr=0x" + Long.toHexString(ptr) + " pfn=0x"
                        + Long.toHexString(pfn);
            case OTHER_EVENT -> "line " + lineNo + ": other event " + eventName;
            case MALFORMED -> "line " + lineNo + ": malformed: " + reason;
            case NONE -> "line " + lineNo + ": no event";
            case CACHE_DEFINITION -> "line " + lineNo + ": " + cacheDefinition.commentLine();
        };
    }
}
