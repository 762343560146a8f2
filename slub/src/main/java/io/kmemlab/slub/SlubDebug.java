package io.kmemlab.slub;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PageFrames;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.slab.SlabFlags;
import java.util.Locale;

/**
 * slab_debug for one cache (Linux 6.18 {@code mm/slub.c}, debugging.md Part A): object
 * initialisation, the checks in the kernel's order, validation, and the reports in the kernel's
 * words. Errors are counted as the kernel's KUnit slab error counter counts them: +1 per
 * object_err, slab_err and slab_fix; a corrupted byte range costs 2 (report + FIX).
 */
final class SlubDebug {
    static final int POISON_INUSE = 0x5a;
    static final int POISON_FREE = 0x6b;
    static final int POISON_END = 0xa5;
    static final int RED_INACTIVE = 0xbb;
    static final int RED_ACTIVE = 0xcc;
    static final int TRACK_ALLOC = 0;
    static final int TRACK_FREE = 1;
    private static final String EQ_LINE = "=".repeat(77);
    private static final String DASH_LINE = "-".repeat(77);

    private final SlubCache s;
    private final PhysMem mem;
    private final SlabTable t;

    SlubDebug(SlubCache s) {
        this.s = s;
        this.mem = s.mem;
        this.t = s.t;
    }

    private boolean has(int f) {
        return (s.flags & f) != 0;
    }

    /** The machine's jiffies (one CONFIG_HZ for every allocator). */
    private long jiffies() {
        return s.machine.clock().jiffies();
    }

    // --- initialisation -------------------------------------------------------------------

    /** init_object(s, object, val). */
    void initObject(long obj, int val) {
        int os = s.desc.objectSize();
        int poisonSize = os;
        if (has(SlabFlags.RED_ZONE)) {
            mem.fill(obj - s.redLeftPad, val, s.redLeftPad);
            if (s.geo.origSizeTracking() && val == RED_ACTIVE) {
                poisonSize = getOrigSize(obj);
            }
        }
        if (s.geo.objectPoison()) {
            mem.fill(obj, POISON_FREE, poisonSize - 1);
            mem.writeU8(obj + poisonSize - 1, POISON_END);
        }
        if (has(SlabFlags.RED_ZONE)) {
            mem.fill(obj + poisonSize, val, s.inuseOffset - poisonSize);
        }
    }

    /** init_tracking: zeroed alloc and free tracks. */
    void initTracking(long obj) {
        if (has(SlabFlags.STORE_USER)) {
            mem.fill(obj + s.geo.infoEnd(), 0, 2L * SlubGeometry.TRACK_SIZE);
        }
    }

    private long track(long obj, int which) {
        return obj + s.geo.infoEnd() + (long) which * SlubGeometry.TRACK_SIZE;
    }

    /** set_track: addr 8, stack handle 4, cpu 4, pid 4, pad 4, when 8. */
    void setTrack(long obj, int which, long addr, int cpu) {
        long p = track(obj, which);
        mem.writeU64(p, addr);
        mem.writeU32(p + 8, 0);
        mem.writeU32(p + 12, cpu);
        mem.writeU32(p + 16, s.machine.cpus().pid(cpu));
        mem.writeU32(p + 20, 0);
        mem.writeU64(p + 24, jiffies());
    }

    int getOrigSize(long obj) {
        return mem.readU32(obj + s.geo.infoEnd() + 2L * SlubGeometry.TRACK_SIZE);
    }

    void setOrigSize(long obj, int origSize) {
        mem.writeU32(obj + s.geo.infoEnd() + 2L * SlubGeometry.TRACK_SIZE, origSize);
    }

    // --- reports --------------------------------------------------------------------------

    private String hex(long p) {
        return String.format(Locale.ROOT, "0x%016x", p);
    }

    private void bugHeader(StringBuilder sb, String text) {
        sb.append(EQ_LINE).append('\n');
        sb.append("BUG ")
                .append(s.name())
                .append(" (")
                .append(s.allocator.taintString())
                .append("): ")
                .append(text)
                .append('\n');
        sb.append(DASH_LINE).append('\n').append('\n');
    }

    /** print_slab_info: struct slab address, counters and %pGp flags. */
    private void slabInfo(StringBuilder sb, int id) {
        int pfn = t.pfn[id];
        sb.append("Slab ")
                .append(hex(Addr.structPage(pfn)))
                .append(" objects=")
                .append(t.objects[id])
                .append(" used=")
                .append(t.slab[id].inuse)
                .append(" fp=")
                .append(hex(t.slab[id].freelist))
                .append(" flags=")
                .append(pageFlags(pfn, id))
                .append('\n');
    }

    /** %pGp of a slab folio in 6.18: head, workingset (SL_partial), node and zone. */
    private String pageFlags(int pfn, int id) {
        PageFrames f = s.frames;
        long raw = (long) f.zone(pfn) << 62;
        StringBuilder names = new StringBuilder();
        if (f.test(pfn, PageFrames.PG_HEAD)) {
            raw |= 1L << 6;
            names.append("head|");
        }
        if (t.slab[id].state == SlabTable.NODE_PARTIAL) {
            raw |= 1L << 9;
            names.append("workingset|");
        }
        names.append("node=0|zone=").append(f.zone(pfn));
        return "0x" + Long.toHexString(raw) + "(" + names + ")";
    }

    /** print_section: 16 bytes per line with the ASCII column, as print_hex_dump. */
    void section(StringBuilder sb, String prefix, long addr, int len) {
        byte[] b = mem.read(addr, len);
        for (int off = 0; off < len; off += 16) {
            int n = Math.min(16, len - off);
            int start = sb.length();
            sb.append(prefix)
                    .append(String.format(Locale.ROOT, "%016x", addr + off))
                    .append(": ");
            int hexStart = sb.length();
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    sb.append(' ');
                }
                sb.append(String.format(Locale.ROOT, "%02x", b[off + i] & 0xff));
            }
            while (sb.length() - hexStart < 49) {
                sb.append(' ');
            }
            for (int i = 0; i < n; i++) {
                int c = b[off + i] & 0xff;
                sb.append(c >= 0x20 && c < 0x7f ? (char) c : '.');
            }
            assert sb.length() > start;
            sb.append('\n');
        }
    }

    private void printTrack(StringBuilder sb, String what, long obj, int which) {
        long p = track(obj, which);
        long addr = mem.readU64(p);
        if (addr == 0) {
            return;
        }
        int cpu = mem.readU32(p + 12);
        int pid = mem.readU32(p + 16);
        long when = mem.readU64(p + 24);
        sb.append(what)
                .append(" in ")
                .append(s.machine.symbols().format(addr))
                .append(" age=")
                .append(jiffies() - when)
                .append(" cpu=")
                .append(cpu)
                .append(" pid=")
                .append(pid)
                .append('\n');
        sb.append(
                what.equals("Allocated")
                        ? "object allocation stack trace missing\n"
                        : "object free stack trace missing\n");
    }

    /** print_trailer. */
    void trailer(StringBuilder sb, int id, long p) {
        long base = t.base[id];
        if (has(SlabFlags.STORE_USER)) {
            printTrack(sb, "Allocated", p, TRACK_ALLOC);
            printTrack(sb, "Freed", p, TRACK_FREE);
        }
        slabInfo(sb, id);
        sb.append("Object ")
                .append(hex(p))
                .append(" @offset=")
                .append(p - base)
                .append(" fp=")
                .append(hex(s.getFreepointer(p)))
                .append('\n')
                .append('\n');
        int os = s.desc.objectSize();
        if (has(SlabFlags.RED_ZONE)) {
            section(sb, "Redzone  ", p - s.redLeftPad, s.redLeftPad);
        } else if (p > base + 16) {
            section(sb, "Bytes b4 ", p - 16, 16);
        }
        section(sb, "Object   ", p, Math.min(os, Addr.PAGE_SIZE));
        if (has(SlabFlags.RED_ZONE)) {
            section(sb, "Redzone  ", p + os, s.inuseOffset - os);
        }
        int off = s.geo.metadataEnd();
        if (off != s.geo.sizeFromObject()) {
            section(sb, "Padding  ", p + off, s.geo.sizeFromObject() - off);
        }
    }

    private void emit(StringBuilder sb) {
        int len = sb.length();
        if (len > 0 && sb.charAt(len - 1) == '\n') {
            sb.setLength(len - 1);
        }
        s.machine.dmesg().report(ReportKind.SLAB_CORRUPTION, sb.toString());
    }

    /** object_err (+1): BUG header and trailer; taints B and W. */
    void objectErr(int id, long obj, String reason) {
        s.errors++;
        StringBuilder sb = new StringBuilder(1024);
        bugHeader(sb, reason);
        if (obj == 0 || !s.validPointer(id, obj)) {
            slabInfo(sb, id);
            sb.append("Invalid pointer ").append(hex(obj)).append('\n');
        } else {
            trailer(sb, id, obj);
        }
        s.allocator.taint(true, true);
        emit(sb);
    }

    /** slab_err (+1): BUG header and slab info; taints B. */
    void slabErr(int id, String text) {
        s.errors++;
        StringBuilder sb = new StringBuilder(512);
        bugHeader(sb, text);
        slabInfo(sb, id);
        s.allocator.taint(true, false);
        emit(sb);
    }

    /** slab_fix (+1). */
    void slabFix(String text) {
        s.errors++;
        s.machine.dmesg().err("FIX " + s.name() + ": " + text);
    }

    // --- checks ---------------------------------------------------------------------------

    /**
     * check_bytes_and_report: the first byte in [start, start+len) not equal to {@code value}, the
     * range trimmed of trailing good bytes, reported (+1) and restored with a FIX (+1).
     *
     * @param printObject whether this is the object's first failure (prints the object_err block)
     */
    boolean checkBytes(int id, long obj, String what, long start, int value, int len, boolean printObject) {
        if (len <= 0) {
            return true;
        }
        long fault = mem.firstNotEqual(start, value, len);
        if (fault == -1) {
            return true;
        }
        long end = start + len;
        while (end > fault && mem.readU8(end - 1) == value) {
            end--;
        }
        s.errors++;
        StringBuilder sb = new StringBuilder(1024);
        sb.append('[')
                .append(what)
                .append(" overwritten] ")
                .append(hex(fault))
                .append('-')
                .append(hex(end - 1))
                .append(" @offset=")
                .append(fault - t.base[id])
                .append(". First byte 0x")
                .append(Integer.toHexString(mem.readU8(fault)))
                .append(" instead of 0x")
                .append(Integer.toHexString(value))
                .append('\n');
        if (printObject) {
            bugHeader(sb, "Object corrupt");
            trailer(sb, id, obj);
            s.allocator.taint(true, true);
        }
        emit(sb);
        restore(what, value, fault, end);
        return false;
    }

    private void restore(String what, int value, long from, long to) {
        slabFix(String.format(Locale.ROOT, "Restoring %s %s-%s=0x%x", what, hex(from), hex(to - 1), value));
        mem.fill(from, value, to - from);
    }

    /** check_object(s, slab, object, val) in the kernel's order; true if all passed. */
    boolean checkObject(int id, long p, int val) {
        int os = s.desc.objectSize();
        boolean ret = true;
        if (has(SlabFlags.RED_ZONE)) {
            ret &= checkBytes(id, p, "Left Redzone", p - s.redLeftPad, val, s.redLeftPad, ret);
            ret &= checkBytes(id, p, "Right Redzone", p + os, val, s.inuseOffset - os, ret);
            if (s.geo.origSizeTracking() && val == RED_ACTIVE) {
                int orig = getOrigSize(p);
                if (os > orig) {
                    ret &= checkBytes(id, p, "kmalloc Redzone", p + orig, val, os - orig, ret);
                }
            }
        } else if (has(SlabFlags.POISON) && os < s.inuseOffset) {
            ret &= checkBytes(id, p, "Alignment padding", p + os, POISON_INUSE, s.inuseOffset - os, ret);
        }
        if (has(SlabFlags.POISON)) {
            if (val != RED_ACTIVE && s.geo.objectPoison()) {
                if (os > 1) {
                    ret &= checkBytes(id, p, "Poison", p, POISON_FREE, os - 1, ret);
                }
                ret &= checkBytes(id, p, "End Poison", p + os - 1, POISON_END, 1, ret);
            }
            int off = s.geo.metadataEnd();
            int sfo = s.geo.sizeFromObject();
            if (sfo != off) {
                ret &= checkBytes(id, p, "Object padding", p + off, POISON_INUSE, sfo - off, ret);
            }
        }
        if ((s.geo.freeptrOutside() || val != RED_ACTIVE) && !s.validPointer(id, s.getFreepointer(p))) {
            objectErr(id, p, "Freepointer corrupt");
            s.setFreepointer(p, 0);
            ret = false;
        }
        return ret;
    }

    /** slab_pad_check (P): the slab's tail remainder must be 0x5a. */
    void slabPadCheck(int id) {
        if (!has(SlabFlags.POISON)) {
            return;
        }
        long start = t.base[id];
        int length = Addr.PAGE_SIZE << t.order[id];
        int remainder = length % s.size;
        if (remainder == 0) {
            return;
        }
        long pad = start + length - remainder;
        long fault = mem.firstNotEqual(pad, POISON_INUSE, remainder);
        if (fault == -1) {
            return;
        }
        long end = start + length;
        while (end > fault && mem.readU8(end - 1) == POISON_INUSE) {
            end--;
        }
        StringBuilder sb = new StringBuilder(512);
        bugHeader(sb, "Padding overwritten. " + hex(fault) + "-" + hex(end - 1) + " @offset=" + (fault - start));
        section(sb, "Padding ", pad, remainder);
        emit(sb);
        restore("slab padding", POISON_INUSE, fault, end);
    }

    /** check_slab. */
    boolean checkSlab(int id) {
        int maxobj = SlubGeometry.orderObjects(t.order[id], s.size);
        if (t.objects[id] > maxobj) {
            slabErr(id, "objects " + t.objects[id] + " > max " + maxobj);
            return false;
        }
        if (t.slab[id].inuse > t.objects[id]) {
            slabErr(id, "inuse " + t.slab[id].inuse + " > max " + t.objects[id]);
            return false;
        }
        if (t.slab[id].state == SlabTable.DEAD) {
            slabErr(id, "Slab disabled since SLUB metadata consistency check failed");
            return false;
        }
        slabPadCheck(id);
        return true;
    }

    /** on_freelist(s, slab, search): walks and repairs the slab freelist. */
    boolean onFreelist(int id, long search) {
        int nr = 0;
        long object = 0;
        long fp = t.slab[id].freelist;
        while (fp != 0 && nr <= t.objects[id]) {
            if (fp == search) {
                return true;
            }
            if (!s.validPointer(id, fp)) {
                if (object != 0) {
                    objectErr(id, object, "Freechain corrupt");
                    s.setFreepointer(object, 0);
                    break;
                }
                slabErr(id, "Freepointer corrupt");
                t.slab[id].freelist = 0;
                t.slab[id].inuse = t.objects[id];
                slabFix("Freelist cleared");
                return false;
            }
            object = fp;
            fp = s.getFreepointer(object);
            nr++;
        }
        if (nr > t.objects[id]) {
            slabErr(id, "Freelist cycle detected");
            t.slab[id].freelist = 0;
            t.slab[id].inuse = t.objects[id];
            slabFix("Freelist cleared");
            return false;
        }
        int maxObjects = Math.min(SlubGeometry.orderObjects(t.order[id], s.size), SlubGeometry.MAX_OBJS_PER_PAGE);
        if (t.objects[id] != maxObjects) {
            slabErr(id, "Wrong number of objects. Found " + t.objects[id] + " but should be " + maxObjects);
            s.totalObjects += maxObjects - t.objects[id];
            t.objects[id] = maxObjects;
            slabFix("Number of objects adjusted");
        }
        if (t.slab[id].inuse != t.objects[id] - nr) {
            slabErr(
                    id,
                    "Wrong object count. Counter is " + t.slab[id].inuse + " but counted were " + (t.objects[id] - nr));
            t.slab[id].inuse = t.objects[id] - nr;
            slabFix("Object count adjusted");
        }
        return search == 0;
    }

    /** alloc_debug_processing. */
    boolean allocDebugProcessing(int id, long obj, int origSize) {
        if (has(SlabFlags.CONSISTENCY_CHECKS)) {
            boolean ok = checkSlab(id);
            if (ok && !s.validPointer(id, obj)) {
                objectErr(id, obj, "Freelist Pointer check fails");
                ok = false;
            }
            if (ok && !checkObject(id, obj, RED_INACTIVE)) {
                ok = false;
            }
            if (!ok) {
                slabFix("Marking all objects used");
                t.slab[id].inuse = t.objects[id];
                t.slab[id].freelist = 0;
                t.slab[id].state = SlabTable.DEAD;
                return false;
            }
        }
        if (has(SlabFlags.TRACE)) {
            trace(id, obj, true);
        }
        if (s.geo.origSizeTracking()) {
            setOrigSize(obj, origSize);
        }
        initObject(obj, RED_ACTIVE);
        return true;
    }

    /** free_debug_processing for one object. */
    boolean freeDebugProcessing(int cpu, int id, long obj, long callSite) {
        boolean ok = false;
        check:
        {
            if (has(SlabFlags.CONSISTENCY_CHECKS) && !checkSlab(id)) {
                break check;
            }
            if (t.slab[id].inuse < 1) {
                slabErr(id, "Slab has " + t.slab[id].inuse + " allocated objects but 1 are to be freed");
                break check;
            }
            if (has(SlabFlags.CONSISTENCY_CHECKS)) {
                if (onFreelist(id, obj)) {
                    objectErr(id, obj, "Object already free");
                    break check;
                }
                if (!checkObject(id, obj, RED_ACTIVE)) {
                    break check;
                }
            }
            if (has(SlabFlags.STORE_USER)) {
                setTrack(obj, TRACK_FREE, callSite, cpu);
            }
            if (has(SlabFlags.TRACE)) {
                trace(id, obj, false);
            }
            initObject(obj, RED_INACTIVE);
            ok = true;
        }
        if (!ok) {
            slabFix("Object at " + hex(obj) + " not freed");
        }
        return ok;
    }

    /** trace(): {@code TRACE <cache> alloc|free 0x%p inuse=%d fp=0x%p}, object dump on free. */
    private void trace(int id, long obj, boolean alloc) {
        StringBuilder sb = new StringBuilder(256);
        sb.append("TRACE ")
                .append(s.name())
                .append(alloc ? " alloc " : " free ")
                .append(hex(obj))
                .append(" inuse=")
                .append(t.slab[id].inuse)
                .append(" fp=")
                .append(hex(t.slab[id].freelist))
                .append('\n');
        if (!alloc) {
            section(sb, "Object ", obj, s.desc.objectSize());
        }
        sb.setLength(sb.length() - 1);
        s.machine.dmesg().info(sb.toString());
    }

    // --- validation -----------------------------------------------------------------------

    /** validate_slab_cache: flush, then every partial (and, with U, full) slab; returns errors. */
    long validateSlabCache() {
        long before = s.errors;
        s.flushAll();
        long count = 0;
        for (int id = s.partialHead; id != SlabTable.NIL && count <= s.nrPartial; id = t.next[id]) {
            validateSlab(id);
            count++;
        }
        if (count != s.nrPartial) {
            s.machine
                    .dmesg()
                    .err("SLUB " + s.name() + ": " + count + " partial slabs counted but counter=" + s.nrPartial);
            s.errors++;
        }
        if (has(SlabFlags.STORE_USER)) {
            for (int id = s.fullHead; id != SlabTable.NIL && count <= s.nrSlabs; id = t.next[id]) {
                validateSlab(id);
                count++;
            }
            if (count != s.nrSlabs) {
                s.machine.dmesg().err("SLUB: " + s.name() + " " + count + " slabs counted but counter=" + s.nrSlabs);
                s.errors++;
            }
        }
        return s.errors - before;
    }

    /** validate_slab: check_slab, on_freelist, then objects in address order to the first bad one. */
    void validateSlab(int id) {
        if (!checkSlab(id) || !onFreelist(id, 0)) {
            return;
        }
        int n = t.objects[id];
        boolean[] free = new boolean[n];
        int steps = 0;
        for (long p = t.slab[id].freelist; p != 0 && steps <= n && s.validPointer(id, p); p = s.getFreepointer(p)) {
            free[(int) ((p - s.redLeftPad - t.base[id]) / s.size)] = true;
            steps++;
        }
        for (int i = 0; i < n; i++) {
            long p = t.base[id] + s.redLeftPad + (long) i * s.size;
            if (!checkObject(id, p, free[i] ? RED_INACTIVE : RED_ACTIVE)) {
                break;
            }
        }
    }

    /** list_slab_objects: a slab that still has objects at shutdown (+1, +1 per object). */
    void listSlabObjects(int id) {
        s.errors++;
        StringBuilder sb = new StringBuilder(512);
        bugHeader(sb, "Objects remaining on __kmem_cache_shutdown()");
        slabInfo(sb, id);
        int n = t.objects[id];
        boolean[] free = new boolean[n];
        int steps = 0;
        for (long p = t.slab[id].freelist; p != 0 && steps <= n && s.validPointer(id, p); p = s.getFreepointer(p)) {
            free[(int) ((p - s.redLeftPad - t.base[id]) / s.size)] = true;
            steps++;
        }
        for (int i = 0; i < n; i++) {
            if (!free[i]) {
                long p = t.base[id] + s.redLeftPad + (long) i * s.size;
                s.errors++;
                sb.append("Object ")
                        .append(hex(p))
                        .append(" @offset=")
                        .append(p - t.base[id])
                        .append('\n');
                if (has(SlabFlags.STORE_USER)) {
                    printTrack(sb, "Allocated", p, TRACK_ALLOC);
                    printTrack(sb, "Freed", p, TRACK_FREE);
                }
            }
        }
        s.allocator.taint(true, false);
        emit(sb);
    }

    // --- corruption outside debug checks -------------------------------------------------------

    /**
     * A free pointer after {@code obj} is not an object of the slab: the rest of the chain is
     * isolated (as deactivate_slab does under F), so the emulator never follows a wild pointer.
     *
     * @return 0, the new successor of {@code obj}
     */
    long isolateCorruptChain(int id, long obj) {
        objectErr(id, obj, "Freechain corrupt");
        s.setFreepointer(obj, 0);
        slabFix("Isolate corrupted freechain");
        return 0;
    }

    /** A slab freelist head that is not an object: the freelist is dropped (objects leak). */
    void freelistHeadCorrupt(int id, long head) {
        slabErr(id, "Freepointer corrupt");
        t.slab[id].freelist = 0;
        t.slab[id].inuse = t.objects[id];
        slabFix("Freelist cleared");
    }

    void freelistPointerCheckFails(int id, long obj) {
        objectErr(id, obj, "Freelist Pointer check fails");
        slabFix("Marking all objects used");
        t.slab[id].inuse = t.objects[id];
        t.slab[id].freelist = 0;
        t.slab[id].state = SlabTable.DEAD;
    }

    void freelistCycle(int id, long last) {
        slabErr(id, "Freelist cycle detected");
        if (last != 0) {
            s.setFreepointer(last, 0);
        }
        slabFix("Isolate corrupted freechain");
    }

    /** kfree/kmem_cache_free of an address inside a slab that is not an object start. */
    void invalidFree(int id, long obj) {
        slabErr(id, "Invalid object pointer " + hex(obj));
        slabFix("Object at " + hex(obj) + " not freed");
    }

    /** set_freepointer's BUG_ON(object == fp) under SLAB_FREELIST_HARDENED. */
    void naiveDoubleFree(long obj) {
        s.errors++;
        s.allocator.taint(true, false);
        s.machine
                .dmesg()
                .report(
                        ReportKind.BUG,
                        "------------[ cut here ]------------\n"
                                + "kernel BUG at mm/slub.c: set_freepointer: object " + hex(obj) + " of " + s.name()
                                + " is already the freelist head (double free)\n"
                                + "Oops: invalid opcode: 0000 [#1] SMP NOPTI");
    }

    /** A free into a slab with no objects in use. */
    void tooManyFrees(int id, long obj) {
        slabErr(id, "Slab has 0 allocated objects but 1 are to be freed");
        slabFix("Object at " + hex(obj) + " not freed");
    }
}
