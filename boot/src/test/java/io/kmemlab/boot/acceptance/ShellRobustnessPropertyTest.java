package io.kmemlab.boot.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.shell.Shell;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * "A user mistake never prints a Java stack trace": random scripts mixing valid and malformed
 * commands (wrong caches, double frees, stray addresses, corrupting pokes, absurd numbers) never
 * hit an internal error under any allocator, every failure is a {@code kmemlab: line N:} message,
 * and unless the script wrote to memory the machine still validates (the allocators' invariants
 * hold after user mistakes).
 */
class ShellRobustnessPropertyTest {
    private static final List<String> ADDRS = List.of(
            "$a",
            "$b",
            "$c",
            "$a+8",
            "$b+64",
            "$c-8",
            "0",
            "0x10",
            "0xffff888000100000",
            "0xffff888000001000",
            "0xffffffffffffffff",
            "0x1234",
            "abc",
            "$nope",
            "$a+");
    private static final List<String> SIZES = List.of(
            "0",
            "1",
            "8",
            "11",
            "64",
            "96",
            "100",
            "192",
            "4096",
            "8193",
            "100000",
            "4194304",
            "99999999999",
            "-1",
            "0x40",
            "x");
    private static final List<String> CACHES = List.of("foo", "bar", "kmalloc-64", "kmalloc-96", "nosuch");
    private static final List<String> GFPS = List.of(
            "",
            " GFP_KERNEL",
            " GFP_ATOMIC",
            " GFP_DMA",
            " GFP_KERNEL|__GFP_ZERO",
            " __GFP_ACCOUNT",
            " 0x400cc0",
            " GFP_NOPE");

    @Provide
    Arbitrary<String> command() {
        Arbitrary<String> addr = Arbitraries.of(ADDRS);
        Arbitrary<String> size = Arbitraries.of(SIZES);
        Arbitrary<String> cache = Arbitraries.of(CACHES);
        Arbitrary<String> gfp = Arbitraries.of(GFPS);
        Arbitrary<String> var = Arbitraries.of("$a = ", "$b = ", "$c = ", "");
        Arbitrary<String> order = Arbitraries.of("0", "1", "3", "10", "11", "-1", "z");
        return Arbitraries.oneOf(
                Combinators.combine(var, size, gfp).as((v, s, g) -> v + "kmalloc " + s + g),
                Combinators.combine(var, size, gfp).as((v, s, g) -> v + "kzalloc " + s + g),
                Combinators.combine(var, addr, size).as((v, a, s) -> v + "krealloc " + a + " " + s),
                Combinators.combine(var, size, size).as((v, n, s) -> v + "kcalloc " + n + " " + s),
                addr.map(a -> "kfree " + a),
                addr.map(a -> "ksize " + a),
                Combinators.combine(cache, size).as((c, s) -> "kmem_cache_create " + c + " " + s),
                Combinators.combine(
                                cache,
                                size,
                                Arbitraries.of(
                                        "",
                                        " ctor",
                                        " align=64",
                                        " align=3",
                                        " flags=SLAB_POISON|SLAB_RED_ZONE",
                                        " flags=TYPESAFE_BY_RCU",
                                        " flags=NOPE"))
                        .as((c, s, o) -> "kmem_cache_create " + c + " " + s + o),
                Combinators.combine(var, cache, gfp).as((v, c, g) -> v + "kmem_cache_alloc " + c + g),
                Combinators.combine(cache, addr).as((c, a) -> "kmem_cache_free " + c + " " + a),
                cache.map(c -> "kmem_cache_shrink " + c),
                cache.map(c -> "kmem_cache_destroy " + c),
                cache.map(c -> "validate " + c),
                Combinators.combine(addr, Arbitraries.of("0x12", "0", "0xff 0xff", "256", "-1"))
                        .as((a, b) -> "poke " + a + " " + b),
                Combinators.combine(addr, Arbitraries.of("1", "16", "0", "-1", "99999999"))
                        .as((a, n) -> "peek " + a + " " + n),
                Combinators.combine(addr, Arbitraries.of("0x6b 8", "0 64", "0xcc 4096"))
                        .as((a, r) -> "memset " + a + " " + r),
                Combinators.combine(var, order, gfp).as((v, o, g) -> v + "alloc_pages " + o + g),
                Combinators.combine(addr, order).as((a, o) -> "__free_pages " + a + " " + o),
                Arbitraries.of(
                        "cat /proc/slabinfo",
                        "cat /proc/buddyinfo",
                        "cat /proc/meminfo",
                        "slabtop",
                        "validate",
                        "ls /sys/kernel/slab",
                        "cat /sys/kernel/slab/kmalloc-64/objects",
                        "drain",
                        "sleep 3",
                        "tick 500",
                        "cpu 1",
                        "cpu 0",
                        "echo \"kmalloc-64 32 16 4\" > /proc/slabinfo",
                        "echo \"kmalloc-64 x\" > /proc/slabinfo",
                        "cat /sys/kernel/debug/kmemlab/slob",
                        "trace on",
                        "trace off",
                        "dmesg"));
    }

    @Property
    void randomScripts_neverHitAnInternalError_andTheMachineStaysValid(
            @ForAll @Size(min = 1, max = 30) List<@From("command") String> script, @ForAll("allocator") String slab) {
        Session s = new Session("mem=64M", "nr_cpus=2", "slab=" + slab);
        Shell.RunResult r = s.run(String.join("\n", script));
        assertThat(r.internalErrors()).as("script %s%nerr %s", script, s.err()).isZero();
        s.assertNoJavaTrace();
        for (String line : s.err().split("\n")) {
            if (!line.isEmpty()) {
                assertThat(line).startsWith("kmemlab: line ");
            }
        }
        // validate with no cache runs every allocator's invariant check (page allocator, memblock,
        // slab); scripts that scribble on memory may legitimately have corrupted slab metadata
        s.run("validate");
        if (script.stream().noneMatch(c -> c.startsWith("poke") || c.startsWith("memset"))) {
            assertThat("\n" + s.out()).as("script %s", script).endsWith("\n0 errors\n");
        }
        assertThat(s.shell.run("validate", true).internalErrors()).isZero();
    }

    @Provide
    Arbitrary<String> allocator() {
        return Arbitraries.of("slub", "slab", "slob");
    }
}
