package io.kmemlab.slab;

import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.ReportKind;
import io.kmemlab.mm.trace.Symbols;
import java.util.Locale;

/**
 * DEBUG_SLAB object checks for one cache: the two 64-bit red-zone words, the last-user word and
 * poisoning, with the kernel's reports ({@code check_poison_obj}, {@code slab_error},
 * {@code verify_redzone_free}, {@code cache_alloc_debugcheck_after}).
 *
 * <pre>
 *  slot (RED_ZONE + STORE_USER), objp = slot start, obj_offset = 8
 *  +-----------+----------------------------+-----------+-----------+
 *  | redzone1  | object (object_size, to 8) | redzone2  | last user |
 *  +-----------+----------------------------+-----------+-----------+
 *  objp        objp + 8                     size − 16   size − 8
 * </pre>
 *
 * Free objects hold 0x6b … 0xa5 (POISON), allocated ones 0x5a … 0xa5 until written; red zones
 * read RED_INACTIVE when free and RED_ACTIVE when allocated.
 */
final class SlabDebug {
    static final long RED_INACTIVE = 0x09F911029D74E35BL;
    static final long RED_ACTIVE = 0xD84156C5635688C0L;
    static final int POISON_INUSE = 0x5a;
    static final int POISON_FREE = 0x6b;
    static final int POISON_END = 0xa5;

    private final ClassicSlabCache c;
    private final PhysMem mem;
    private final Symbols symbols;

    SlabDebug(ClassicSlabCache c) {
        this.c = c;
        this.mem = c.mem;
        this.symbols = c.alloc.machine().symbols();
    }

    /** %px: the raw pointer, 16 hex digits, no prefix. */
    static String px(long addr) {
        return String.format(Locale.ROOT, "%016x", addr);
    }

    long redzone1(long objp) {
        return objp + c.objOffset - 8;
    }

    long redzone2(long objp) {
        return c.storeUser ? objp + c.size - 8 - SlabGeometry.REDZONE_ALIGN : objp + c.size - 8;
    }

    long userword(long objp) {
        return objp + c.size - 8;
    }

    /** poison_obj(): object_size bytes of {@code val}, the last one POISON_END. */
    void poisonObj(long objp, int val) {
        int n = c.desc.objectSize();
        long real = objp + c.objOffset;
        mem.fill(real, val, n);
        mem.writeU8(real + n - 1, POISON_END);
    }

    /** cache_init_objs_debug(): user word, red zones, constructor, poison. */
    void initObjs(int id) {
        long sMem = c.table.sMem[id];
        for (int i = 0; i < c.num; i++) {
            long objp = sMem + (long) i * c.size;
            if (c.storeUser) {
                mem.writeU64(userword(objp), 0);
            }
            if (c.redZone) {
                mem.writeU64(redzone1(objp), RED_INACTIVE);
                mem.writeU64(redzone2(objp), RED_INACTIVE);
            }
            if (c.desc.ctor() != null && !c.poison) {
                c.desc.ctor().construct(mem, objp + c.objOffset, c.desc.objectSize());
            }
            if (c.redZone) {
                if (mem.readU64(redzone2(objp)) != RED_INACTIVE) {
                    slabError("cache_init_objs_debug", "constructor overwrote the end of an object", "");
                }
                if (mem.readU64(redzone1(objp)) != RED_INACTIVE) {
                    slabError("cache_init_objs_debug", "constructor overwrote the start of an object", "");
                }
            }
            if (c.poison) {
                poisonObj(objp, POISON_FREE);
            }
        }
    }

    /** cache_alloc_debugcheck_after(). */
    void allocCheck(long objp, long caller) {
        if (c.poison) {
            checkPoisonObj(objp);
            poisonObj(objp, POISON_INUSE);
        }
        if (c.storeUser) {
            mem.writeU64(userword(objp), caller);
        }
        if (c.redZone) {
            long r1 = mem.readU64(redzone1(objp));
            long r2 = mem.readU64(redzone2(objp));
            if (r1 != RED_INACTIVE || r2 != RED_INACTIVE) {
                slabError(
                        "cache_alloc_debugcheck_after",
                        "double free, or memory outside object was overwritten",
                        redzoneLine(objp, r1, r2));
            }
            mem.writeU64(redzone1(objp), RED_ACTIVE);
            mem.writeU64(redzone2(objp), RED_ACTIVE);
        }
        if (c.desc.ctor() != null && c.poison) {
            c.desc.ctor().construct(mem, objp + c.objOffset, c.desc.objectSize());
        }
    }

    /** cache_free_debugcheck() for an object known to be allocated. */
    void freeCheck(long objp, long caller) {
        if (c.redZone) {
            long r1 = mem.readU64(redzone1(objp));
            long r2 = mem.readU64(redzone2(objp));
            if (r1 != RED_ACTIVE || r2 != RED_ACTIVE) {
                // verify_redzone_free()
                String msg = r1 == RED_INACTIVE && r2 == RED_INACTIVE
                        ? "double free detected"
                        : "memory outside object was overwritten";
                slabError("verify_redzone_free", msg, redzoneLine(objp, r1, r2));
            }
            mem.writeU64(redzone1(objp), RED_INACTIVE);
            mem.writeU64(redzone2(objp), RED_INACTIVE);
        }
        if (c.storeUser) {
            mem.writeU64(userword(objp), caller);
        }
        if (c.poison) {
            poisonObj(objp, POISON_FREE);
        }
    }

    /** A free of an object that is not allocated. */
    void reportDoubleFree(long objp) {
        if (c.redZone) {
            long r1 = mem.readU64(redzone1(objp));
            long r2 = mem.readU64(redzone2(objp));
            String msg = r1 == RED_INACTIVE && r2 == RED_INACTIVE
                    ? "double free detected"
                    : "memory outside object was overwritten";
            slabError("verify_redzone_free", msg, redzoneLine(objp, r1, r2));
        } else {
            // the check slab_put_obj() makes under DEBUG (the kernel BUG()s after it)
            report(String.format(
                    Locale.ROOT, "slab: double free detected in cache '%s', objp %s", c.name, px(objp + c.objOffset)));
        }
    }

    /** kmemlab's guard: a corrupted index array named an object beyond the slab. */
    void reportCorruptIndex(int id, int idx) {
        report(String.format(
                Locale.ROOT,
                "slab: freelist corrupted in cache '%s': index %d of %d objects, slab %s",
                c.name,
                idx,
                c.num,
                px(c.table.sMem[id])));
    }

    /** kmemlab's guard: the free list handed out an object that is still allocated. */
    void reportLiveObjectHandedOut(long objp) {
        report(String.format(
                Locale.ROOT,
                "slab: freelist corrupted in cache '%s': allocated object %s handed out again",
                c.name,
                px(objp + c.objOffset)));
    }

    /** slab_put_obj()'s DEBUG scan: the index must not already be on the slab's free list. */
    void checkFreelistDuplicate(int id, int idx, long objp) {
        long fl = c.table.freelist[id];
        if (fl == 0) {
            return;
        }
        for (int pos = c.table.active[id]; pos < c.num; pos++) {
            if (mem.readU8(fl + pos) == idx) {
                report(String.format(
                        Locale.ROOT, "slab: double free detected in cache '%s', objp %s", c.name, px(objp)));
                return;
            }
        }
    }

    /** slab_destroy_debugcheck(): every object of a slab being destroyed must still be free. */
    void destroyCheck(int id) {
        long fl = c.table.freelist[id];
        if (c.g.mgmt() == SlabGeometry.Mgmt.OBJFREELIST && c.poison && fl != 0) {
            poisonObj(fl - c.objOffset, POISON_FREE);
        }
        long sMem = c.table.sMem[id];
        for (int i = 0; i < c.num; i++) {
            long objp = sMem + (long) i * c.size;
            if (c.poison) {
                checkPoisonObj(objp);
            }
            if (c.redZone) {
                if (mem.readU64(redzone1(objp)) != RED_INACTIVE) {
                    slabError("slab_destroy_debugcheck", "start of a freed object was overwritten", "");
                }
                if (mem.readU64(redzone2(objp)) != RED_INACTIVE) {
                    slabError("slab_destroy_debugcheck", "end of a freed object was overwritten", "");
                }
            }
        }
    }

    private static String redzoneLine(long objp, long r1, long r2) {
        return String.format(Locale.ROOT, "%s: redzone 1:0x%x, redzone 2:0x%x", px(objp), r1, r2);
    }

    /** slab_error(): one line, then (kmemlab prints no stack) the bad-page taint. */
    private void slabError(String function, String msg, String extra) {
        String text = String.format(Locale.ROOT, "slab error in %s(): cache `%s': %s", function, c.name, msg);
        c.alloc.taintBadPage();
        report(extra.isEmpty() ? text : text + "\n" + extra);
    }

    private void report(String text) {
        c.alloc.machine().dmesg().report(ReportKind.SLAB_CORRUPTION, text);
    }

    /**
     * check_poison_obj(): a free object must read 0x6b … 0x6b 0xa5. Reports the header, the
     * object info, up to six mismatching 16-byte lines and both neighbours.
     */
    void checkPoisonObj(long objp) {
        int size = c.desc.objectSize();
        long real = objp + c.objOffset;
        if (mem.firstNotEqual(real, POISON_FREE, size - 1) == -1 && mem.readU8(real + size - 1) == POISON_END) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        int lines = 0;
        for (int i = 0; i < size; i++) {
            int exp = i == size - 1 ? POISON_END : POISON_FREE;
            if (mem.readU8(real + i) != exp) {
                if (lines == 0) {
                    sb.append(String.format(
                            Locale.ROOT,
                            "Slab corruption (%s): %s start=%s, len=%d%n",
                            c.alloc.taintString(),
                            c.name,
                            px(real),
                            size));
                    printObjinfo(sb, objp, 0);
                }
                i = (i / 16) * 16;
                int limit = Math.min(16, size - i);
                dumpLine(sb, real, i, limit);
                i += 16;
                lines++;
                if (lines > 5) {
                    break;
                }
                // as the kernel: the loop's own i++ follows, so the next line's first byte is
                // not examined
            }
        }
        long sMem = c.table.sMem[c.frames.priv(c.frames.compoundHead(io.kmemlab.mm.Addr.virtToPfn(objp)))];
        int objnr = (int) ((objp - sMem) / c.size);
        if (objnr > 0) {
            long prev = sMem + (long) (objnr - 1) * c.size;
            sb.append(String.format(Locale.ROOT, "Prev obj: start=%s, len=%d%n", px(prev + c.objOffset), size));
            printObjinfo(sb, prev, 2);
        }
        if (objnr + 1 < c.num) {
            long next = sMem + (long) (objnr + 1) * c.size;
            sb.append(String.format(Locale.ROOT, "Next obj: start=%s, len=%d%n", px(next + c.objOffset), size));
            printObjinfo(sb, next, 2);
        }
        report(sb.toString().replace("\r", ""));
    }

    /** print_objinfo(): red zones, last user, then {@code lines} dump lines. */
    private void printObjinfo(StringBuilder sb, long objp, int lines) {
        if (c.redZone) {
            sb.append(String.format(
                    Locale.ROOT, "Redzone: 0x%x/0x%x%n", mem.readU64(redzone1(objp)), mem.readU64(redzone2(objp))));
        }
        if (c.storeUser) {
            sb.append("Last user: (")
                    .append(symbols.format(mem.readU64(userword(objp))))
                    .append(")\n");
        }
        long real = objp + c.objOffset;
        int size = c.desc.objectSize();
        for (int i = 0; i < size && lines > 0; i += 16, lines--) {
            dumpLine(sb, real, i, Math.min(16, size - i));
        }
    }

    /**
     * dump_line(): {@code %03x: } and print_hex_dump's 16 bytes with the ASCII column; a single
     * flipped bit against 0x6b earns the bad-RAM hint.
     */
    private void dumpLine(StringBuilder sb, long real, int offset, int limit) {
        sb.append(String.format(Locale.ROOT, "%03x: ", offset));
        int bad = 0;
        int error = 0;
        StringBuilder ascii = new StringBuilder();
        int start = sb.length();
        for (int i = 0; i < limit; i++) {
            int b = mem.readU8(real + offset + i);
            if (b != POISON_FREE) {
                error = b;
                bad++;
            }
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 15, 16));
            ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
        }
        // hex_dump_to_buffer(): the ASCII column starts at rowsize × 3 + 1 = 49
        while (sb.length() - start < 49) {
            sb.append(' ');
        }
        sb.append(ascii).append('\n');
        if (bad == 1) {
            error ^= POISON_FREE;
            if ((error & (error - 1)) == 0) {
                sb.append("Single bit error detected. Probably bad RAM.\n");
                sb.append("Run memtest86+ or a similar memory test tool.\n");
            }
        }
    }
}
