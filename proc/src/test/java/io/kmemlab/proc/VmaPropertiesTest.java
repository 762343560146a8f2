package io.kmemlab.proc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.Addr;
import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.Mman;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random sequences of mmap, munmap, mremap, mprotect, madvise and writes against an independent
 * model of user memory: page → (protection, the token last written there). After every step the
 * process's VMAs must cover exactly the model's pages with the model's protections, every
 * readable page must hold its token (0 for a page never written or dropped), and the address
 * space must validate (no overlaps, no mergeable neighbours, counters, page tables, rmap).
 */
class VmaPropertiesTest {
    /** The window the fixed operations work in: 96 pages at 4 GiB. */
    private static final long WINDOW = 1L << 32;

    private static final int WINDOW_PAGES = 96;
    private static final int[] PROTS = {
        Mman.PROT_READ | Mman.PROT_WRITE, Mman.PROT_READ | Mman.PROT_WRITE, Mman.PROT_READ, Mman.PROT_NONE,
    };

    /** A model page: its protection and the token at its first word. */
    private record Page(int prot, long token) {}

    @Provide
    Arbitrary<List<int[]>> ops() {
        Arbitrary<int[]> op = Arbitraries.integers()
                .between(0, 9)
                .flatMap(kind -> Arbitraries.integers()
                        .between(0, WINDOW_PAGES - 1)
                        .tuple4()
                        .map(t -> new int[] {kind, t.get1(), t.get2(), t.get3(), t.get4()}));
        return op.list().ofMinSize(1).ofMaxSize(40);
    }

    @Property
    void vmaOperations_agreeWithAPageModel(@ForAll("ops") List<int[]> ops) {
        ProcTesting t = new ProcTesting(
                32L << 20, ProcConfig.DEFAULT.withNorandmaps(true).withCosts(CostModel.ZERO));
        Process p = t.table.spawn("prop");
        Set<Long> initial = pagesOf(p);
        TreeMap<Long, Page> model = new TreeMap<>();
        long token = 1;
        for (int[] op : ops) {
            int a = op[1];
            int n = 1 + op[2] % 8;
            int prot = PROTS[op[3] % PROTS.length];
            long addr = WINDOW + ((long) a << 12);
            long len = (long) n << 12;
            switch (op[0]) {
                case 0, 1 -> {
                    long r = p.mmap(addr, len, prot, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS | Mman.MAP_FIXED);
                    assertThat(r).isEqualTo(addr);
                    for (int i = 0; i < n; i++) {
                        model.put(page(addr) + i, new Page(prot, 0));
                    }
                }
                case 2 -> {
                    long r = p.mmap(0, len, prot, Mman.MAP_PRIVATE | Mman.MAP_ANONYMOUS);
                    assertThat(r).isPositive();
                    for (int i = 0; i < n; i++) {
                        assertThat(model.put(page(r) + i, new Page(prot, 0)))
                                .as("mmap returned a used page")
                                .isNull();
                        assertThat(initial).doesNotContain(page(r) + i);
                    }
                }
                case 3 -> {
                    assertThat(p.munmap(addr, len)).isZero();
                    for (int i = 0; i < n; i++) {
                        model.remove(page(addr) + i);
                    }
                }
                case 4 -> {
                    int r = p.mprotect(addr, len, prot);
                    boolean hole = false;
                    for (int i = 0; i < n && !hole; i++) {
                        Page old = model.get(page(addr) + i);
                        if (old == null) {
                            hole = true;
                        } else {
                            model.put(page(addr) + i, new Page(prot, old.token()));
                        }
                    }
                    assertThat(r).isEqualTo(hole ? -Errno.ENOMEM : 0);
                }
                case 5 -> {
                    int r = p.madvise(addr, len, Mman.MADV_DONTNEED);
                    boolean hole = false;
                    for (int i = 0; i < n; i++) {
                        Page old = model.get(page(addr) + i);
                        if (old == null) {
                            hole = true;
                        } else {
                            model.put(page(addr) + i, new Page(old.prot(), 0));
                        }
                    }
                    assertThat(r).isEqualTo(hole ? -Errno.ENOMEM : 0);
                }
                case 6 -> {
                    int m = 1 + op[4] % 10;
                    boolean fixed = op[3] % 3 == 0;
                    long to = WINDOW + ((long) op[4] % WINDOW_PAGES << 12);
                    long r = p.mremap(
                            addr, len, (long) m << 12, Mman.MREMAP_MAYMOVE | (fixed ? Mman.MREMAP_FIXED : 0), to);
                    if (Errno.isError(r)) {
                        continue;
                    }
                    Page first = model.get(page(addr));
                    assertThat(first)
                            .as("mremap of an unmapped range succeeded")
                            .isNotNull();
                    Map<Long, Page> moved = new TreeMap<>();
                    for (int i = 0; i < n; i++) {
                        Page old = model.remove(page(addr) + i);
                        assertThat(old).as("mremap over a hole succeeded").isNotNull();
                        assertThat(old.prot())
                                .as("mremap across VMAs succeeded")
                                .isEqualTo(first.prot());
                        if (i < m) {
                            moved.put(page(r) + i, old);
                        }
                    }
                    if (fixed) {
                        for (int i = 0; i < m; i++) {
                            model.remove(page(r) + i);
                        }
                    }
                    for (int i = n; i < m; i++) {
                        moved.put(page(r) + i, new Page(first.prot(), 0));
                    }
                    for (var e : moved.entrySet()) {
                        assertThat(model.put(e.getKey(), e.getValue()))
                                .as("mremap onto a mapped page")
                                .isNull();
                    }
                }
                default -> {
                    Long pg = model.ceilingKey(page(addr));
                    if (pg == null) {
                        pg = model.isEmpty() ? null : model.firstKey();
                    }
                    if (pg == null || (model.get(pg).prot() & Mman.PROT_WRITE) == 0) {
                        continue;
                    }
                    long tok = token++;
                    assertThat(p.writeU64(pg << 12, tok)).isTrue();
                    model.put(pg, new Page(model.get(pg).prot(), tok));
                }
            }
            assertThat(p.alive()).isTrue();
            check(t, p, initial, model);
        }
        p.exitGroup(0);
        t.valid();
        assertThat(t.pages.allocatedPages())
                .as("every page back but the zero page")
                .isEqualTo(1);
        assertThat(t.machine.overcommit().committedPages()).isZero();
    }

    private static long page(long addr) {
        return addr >>> Addr.PAGE_SHIFT;
    }

    private static Set<Long> pagesOf(Process p) {
        Set<Long> s = new HashSet<>();
        for (VmaInfo v : p.vmas()) {
            for (long a = v.start(); a < v.end(); a += Addr.PAGE_SIZE) {
                s.add(page(a));
            }
        }
        return s;
    }

    private static void check(ProcTesting t, Process p, Set<Long> initial, TreeMap<Long, Page> model) {
        assertThat(p.validate()).isEmpty();
        t.valid();
        Map<Long, Integer> actual = new TreeMap<>();
        for (VmaInfo v : p.vmas()) {
            for (long a = v.start(); a < v.end(); a += Addr.PAGE_SIZE) {
                if (!initial.contains(page(a))) {
                    actual.put(page(a), v.flags() & VmFlags.VM_ACCESS_FLAGS);
                }
            }
        }
        Map<Long, Integer> expected = new TreeMap<>();
        model.forEach((k, v) -> expected.put(k, VmFlags.protBits(v.prot())));
        assertThat(actual).isEqualTo(expected);
        for (var e : model.entrySet()) {
            if (e.getValue().prot() != Mman.PROT_NONE) {
                assertThat(p.readU64(e.getKey() << 12))
                        .as("page " + Addr.hex(e.getKey() << 12))
                        .isEqualTo(e.getValue().token());
            }
        }
        assertThat(t.machine.overcommit().committedPages()).isEqualTo(p.committedPages());
    }
}
