package io.kmemlab.boot.shell;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.PhysMem;
import io.kmemlab.mm.slab.Ctor;
import io.kmemlab.mm.slab.KmemCache;
import io.kmemlab.mm.slab.KmemCacheArgs;
import io.kmemlab.mm.slab.SlabFlags;
import io.kmemlab.mm.slab.SlabLayer;

/**
 * The slab API as shell commands (issue 3 §4), plus poke/peek/memset to look at and corrupt object
 * memory. Without a slab allocator every slab command fails with "slab allocator 'X' is not
 * available".
 */
final class SlabCommands {
    /** Largest byte range peek/memset accept in one command. */
    private static final long MAX_DUMP = 1L << 20;

    /** The constructor {@code kmem_cache_create … ctor} installs: zeroes the object. */
    static final Ctor SHELL_CTOR = new Ctor() {
        @Override
        public void construct(PhysMem mem, long obj, int objectSize) {
            mem.fill(obj, 0, objectSize);
        }

        @Override
        public String symbol() {
            return "script_ctor+0x0/0x20";
        }
    };

    private SlabCommands() {}

    private static SlabLayer slab(Invocation inv) {
        SlabLayer s = inv.kernel().slab();
        if (s == null) {
            throw new CommandError(inv.kernel().slabUnavailable());
        }
        return s;
    }

    private static KmemCache cache(Invocation inv, int i) {
        KmemCache c = slab(inv).find(inv.arg(i));
        if (c == null) {
            throw new CommandError("no slab cache '" + inv.arg(i) + "'");
        }
        return c;
    }

    static void register(Shell sh) {
        sh.register(ShellCommand.of(
                "kmem_cache_create",
                "kmem_cache_create NAME SIZE [align=N] [flags=A|B|…] [ctor] [freeptr_offset=N] [usercopy=OFF:LEN] [sheaf_capacity=N]",
                "create a slab cache (it may merge with an existing one)",
                SlabCommands::create));
        sh.register(ShellCommand.of("kmem_cache_alloc", "kmem_cache_alloc NAME [GFP]", "allocate an object", inv -> {
            inv.expectArgs(1, 2);
            SlabLayer s = slab(inv);
            KmemCache c = cache(inv, 0);
            return addrOrNull(s.kmemCacheAlloc(inv.cpu(), c, inv.gfp(1), inv.callSite()));
        }));
        sh.register(ShellCommand.of(
                "kmem_cache_free", "kmem_cache_free NAME ADDR", "free an object to its cache", inv -> {
                    inv.expectArgs(2, 2);
                    SlabLayer s = slab(inv);
                    KmemCache c = cache(inv, 0);
                    long obj = inv.address(1);
                    return s.kmemCacheFree(inv.cpu(), c, obj, inv.callSite())
                            ? Result.NONE
                            : Result.error("free of " + Addr.hex(obj) + " rejected (see report)");
                }));
        sh.register(ShellCommand.of(
                "kmem_cache_shrink", "kmem_cache_shrink NAME", "release a cache's empty slabs", inv -> {
                    inv.expectArgs(1, 1);
                    slab(inv).kmemCacheShrink(cache(inv, 0));
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of("kmem_cache_destroy", "kmem_cache_destroy NAME", "destroy a cache", inv -> {
            inv.expectArgs(1, 1);
            SlabLayer s = slab(inv);
            KmemCache c = cache(inv, 0);
            return s.kmemCacheDestroy(inv.cpu(), c, inv.callSite())
                    ? Result.NONE
                    : Result.error("destroying " + inv.arg(0) + " refused (see report)");
        }));
        sh.register(ShellCommand.of("kmalloc", "kmalloc SIZE [GFP]", "allocate SIZE bytes", inv -> {
            inv.expectArgs(1, 2);
            return addrOrNull(slab(inv).kmalloc(inv.cpu(), inv.number(0), inv.gfp(1), inv.callSite()));
        }));
        sh.register(ShellCommand.of("kzalloc", "kzalloc SIZE [GFP]", "allocate SIZE zeroed bytes", inv -> {
            inv.expectArgs(1, 2);
            return addrOrNull(slab(inv).kzalloc(inv.cpu(), inv.number(0), inv.gfp(1), inv.callSite()));
        }));
        sh.register(ShellCommand.of("kmalloc_array", "kmalloc_array N SIZE [GFP]", "allocate N × SIZE bytes", inv -> {
            inv.expectArgs(2, 3);
            return addrOrNull(
                    slab(inv).kmallocArray(inv.cpu(), inv.number(0), inv.number(1), inv.gfp(2), inv.callSite()));
        }));
        sh.register(ShellCommand.of("kcalloc", "kcalloc N SIZE [GFP]", "allocate N × SIZE zeroed bytes", inv -> {
            inv.expectArgs(2, 3);
            return addrOrNull(slab(inv).kcalloc(inv.cpu(), inv.number(0), inv.number(1), inv.gfp(2), inv.callSite()));
        }));
        sh.register(ShellCommand.of("krealloc", "krealloc ADDR SIZE [GFP]", "resize a kmalloc allocation", inv -> {
            inv.expectArgs(2, 3);
            SlabLayer s = slab(inv);
            long p = inv.address(0);
            long size = inv.number(1);
            long q = s.krealloc(inv.cpu(), p, size, inv.gfp(2), inv.callSite());
            if (q == 0 && size != 0) {
                return Result.error("returned NULL");
            }
            return Result.address(q);
        }));
        sh.register(ShellCommand.of("kfree", "kfree ADDR", "free a kmalloc allocation", inv -> {
            inv.expectArgs(1, 1);
            long obj = inv.address(0);
            return slab(inv).kfree(inv.cpu(), obj, inv.callSite())
                    ? Result.NONE
                    : Result.error("free of " + Addr.hex(obj) + " rejected (see report)");
        }));
        sh.register(ShellCommand.of(
                "kfree_rcu", "kfree_rcu ADDR", "free a slab object after an RCU grace period", inv -> {
                    inv.expectArgs(1, 1);
                    slab(inv).kfreeRcu(inv.cpu(), inv.address(0), inv.callSite());
                    return Result.NONE;
                }));
        registerSheafCommands(sh);
        sh.register(ShellCommand.of("ksize", "ksize ADDR", "usable size of an allocation", inv -> {
            inv.expectArgs(1, 1);
            long obj = inv.address(0);
            long n = slab(inv).ksize(obj);
            return n < 0 ? Result.error(Addr.hex(obj) + " is not a slab object") : Result.number(n);
        }));
        sh.register(ShellCommand.of("poke", "poke ADDR BYTE…", "write bytes at an address", inv -> {
            inv.expectArgs(2, Integer.MAX_VALUE);
            long addr = inv.address(0);
            inv.checkMemory(addr, inv.argc() - 1);
            byte[] bytes = new byte[inv.argc() - 1];
            for (int i = 1; i < inv.argc(); i++) {
                bytes[i - 1] = (byte) inv.count(i, "byte", 0xff);
            }
            inv.machine().mem().write(addr, bytes, 0, bytes.length);
            return Result.NONE;
        }));
        sh.register(ShellCommand.of(
                "peek",
                "peek ADDR LEN",
                "hex dump of memory (print_hex_dump style), LEN at most " + MAX_DUMP + " (1 MiB)",
                inv -> {
                    inv.expectArgs(2, 2);
                    long addr = inv.address(0);
                    int len = (int) dumpLength(inv, 1);
                    inv.checkMemory(addr, len);
                    return Result.text(HexDump.dump(inv.machine().mem(), addr, len));
                }));
        sh.register(ShellCommand.of(
                "memset",
                "memset ADDR BYTE LEN",
                "fill memory with a byte, LEN at most " + MAX_DUMP + " (1 MiB)",
                inv -> {
                    inv.expectArgs(3, 3);
                    long addr = inv.address(0);
                    int b = (int) inv.count(1, "byte", 0xff);
                    long len = dumpLength(inv, 2);
                    inv.checkMemory(addr, len);
                    inv.machine().mem().fill(addr, b, len);
                    return Result.NONE;
                }));
        sh.register(ShellCommand.of("slabtop", "slabtop", "slab caches by size (slabtop --once)", inv -> {
            inv.expectArgs(0, 0);
            SlabLayer s = slab(inv);
            if (!inv.machine().vfs().exists("/proc/slabinfo")) {
                return Result.error("/proc/slabinfo: No such file or directory");
            }
            return Result.text(Slabtop.render(s.caches()));
        }));
    }

    /** peek's and memset's LEN: a count up to {@link #MAX_DUMP}, the limit named when it is over. */
    private static long dumpLength(Invocation inv, int i) {
        long len = inv.count(i, "length", Long.MAX_VALUE);
        if (len > MAX_DUMP) {
            throw new CommandError("length " + inv.arg(i) + " is over the limit of " + MAX_DUMP + " bytes (1 MiB)");
        }
        return len;
    }

    private static Result addrOrNull(long addr) {
        return addr == 0 ? Result.error("returned NULL") : Result.address(addr);
    }

    /** The prefilled-sheaf API the maple tree uses (SLUB; NULL under allocators without sheaves). */
    private static void registerSheafCommands(Shell sh) {
        sh.register(ShellCommand.of(
                "kmem_cache_prefill_sheaf",
                "kmem_cache_prefill_sheaf NAME COUNT [GFP]",
                "reserve a sheaf of at least COUNT objects (returns the sheaf)",
                inv -> {
                    inv.expectArgs(2, 3);
                    int n = (int) inv.count(1, "count", Integer.MAX_VALUE);
                    return addrOrNull(slab(inv).kmemCachePrefillSheaf(inv.cpu(), cache(inv, 0), inv.gfp(2), n));
                }));
        sh.register(ShellCommand.of(
                "kmem_cache_alloc_from_sheaf",
                "kmem_cache_alloc_from_sheaf NAME SHEAF [GFP]",
                "allocate an object from a prefilled sheaf",
                inv -> {
                    inv.expectArgs(2, 3);
                    KmemCache c = cache(inv, 0);
                    return addrOrNull(slab(inv)
                            .kmemCacheAllocFromSheaf(inv.cpu(), c, inv.gfp(2), inv.address(1), inv.callSite()));
                }));
        sh.register(ShellCommand.of(
                "kmem_cache_refill_sheaf",
                "kmem_cache_refill_sheaf NAME SHEAF COUNT [GFP]",
                "make a prefilled sheaf hold COUNT objects (returns the sheaf to use)",
                inv -> {
                    inv.expectArgs(3, 4);
                    int n = (int) inv.count(2, "count", Integer.MAX_VALUE);
                    return addrOrNull(
                            slab(inv).kmemCacheRefillSheaf(inv.cpu(), cache(inv, 0), inv.gfp(3), inv.address(1), n));
                }));
        sh.register(ShellCommand.of(
                "kmem_cache_return_sheaf",
                "kmem_cache_return_sheaf NAME SHEAF [GFP]",
                "give a prefilled sheaf back",
                inv -> {
                    inv.expectArgs(2, 3);
                    long sheaf = inv.address(1);
                    return slab(inv).kmemCacheReturnSheaf(inv.cpu(), cache(inv, 0), inv.gfp(2), sheaf)
                            ? Result.NONE
                            : Result.error(Addr.hex(sheaf) + " is not a prefilled sheaf of " + inv.arg(0));
                }));
        sh.register(ShellCommand.of(
                "kmem_cache_sheaf_size",
                "kmem_cache_sheaf_size NAME SHEAF",
                "objects left in a prefilled sheaf",
                inv -> {
                    inv.expectArgs(2, 2);
                    long sheaf = inv.address(1);
                    int n = slab(inv).kmemCacheSheafSize(cache(inv, 0), sheaf);
                    return n < 0
                            ? Result.error(Addr.hex(sheaf) + " is not a prefilled sheaf of " + inv.arg(0))
                            : Result.number(n);
                }));
    }

    private static Result create(Invocation inv) {
        inv.expectArgs(2, 8);
        SlabLayer s = slab(inv);
        String name = inv.arg(0);
        long size = inv.number(1);
        int flags = 0;
        KmemCacheArgs.Builder args = KmemCacheArgs.builder();
        for (int i = 2; i < inv.argc(); i++) {
            String a = inv.arg(i);
            if (a.equals("ctor")) {
                args.ctor(SHELL_CTOR);
            } else if (a.startsWith("align=")) {
                args.align(Invocation.parseNumber(a.substring(6), "alignment"));
            } else if (a.startsWith("flags=")) {
                flags = SlabFlags.parse(a.substring(6));
                if (flags < 0) {
                    return Result.error("invalid flags '" + a.substring(6) + "'");
                }
            } else if (a.startsWith("freeptr_offset=")) {
                args.freeptrOffset((int) Invocation.parseNumber(a.substring(15), "free pointer offset"));
            } else if (a.startsWith("sheaf_capacity=")) {
                long n = Invocation.parseNumber(a.substring(15), "sheaf capacity");
                if (n < 0 || n > Integer.MAX_VALUE) {
                    return Result.error("sheaf capacity " + a.substring(15) + " out of range");
                }
                args.sheafCapacity((int) n);
            } else if (a.startsWith("usercopy=") && a.indexOf(':') > 9) {
                int colon = a.indexOf(':');
                args.usercopy((int) Invocation.parseNumber(a.substring(9, colon), "useroffset"), (int)
                        Invocation.parseNumber(a.substring(colon + 1), "usersize"));
            } else {
                return Result.error("unknown option '" + a + "'; usage: "
                        + inv.shell().command("kmem_cache_create").usage());
            }
        }
        KmemCache c = s.kmemCacheCreate(name, size, flags, args.build());
        return c == null ? Result.error("failed to create '" + name + "' (see report)") : Result.NONE;
    }
}
