package io.kmemlab.boot.memblock;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random add / reserve / reserve_kern / remove / free / alloc sequences against an independent
 * model: one cell per 16 bytes of a 16 KiB window, holding the flags of the array that covers it
 * (or nothing). memblock must cover exactly the model's cells with the model's flags, keep each
 * array sorted, merged where the kernel merges, and allocate only memory that was free.
 */
class MemblockPropertyTest {
    static final int UNIT = 16;
    static final int CELLS = 1024;
    static final long BASE = 0x100000;

    record Op(int kind, int start, int len, boolean bottomUp) {}

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Op> op = Combinators.combine(
                        Arbitraries.integers().between(0, 5),
                        Arbitraries.integers().between(0, CELLS - 1),
                        Arbitraries.integers().between(1, 96),
                        Arbitraries.of(true, false))
                .as(Op::new);
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property
    void memblock_agreesWithCellModel(@ForAll("ops") List<Op> ops) {
        Memblock mb = new Memblock(32);
        int[] memory = new int[CELLS];
        int[] reserved = new int[CELLS];
        Arrays.fill(memory, -1);
        Arrays.fill(reserved, -1);
        for (Op op : ops) {
            int s = op.start();
            int e = Math.min(CELLS, s + op.len());
            long base = BASE + (long) s * UNIT;
            long size = (long) (e - s) * UNIT;
            switch (op.kind()) {
                case 0 -> {
                    mb.add(base, size);
                    cover(memory, s, e, 0);
                }
                case 1 -> {
                    mb.reserve(base, size);
                    cover(reserved, s, e, 0);
                }
                case 2 -> {
                    mb.reserveKern(base, size);
                    cover(reserved, s, e, Memblock.FLAG_RSRV_KERN);
                }
                case 3 -> {
                    mb.remove(base, size);
                    Arrays.fill(memory, s, e, -1);
                }
                case 4 -> {
                    mb.physFree(base, size);
                    Arrays.fill(reserved, s, e, -1);
                }
                default -> {
                    mb.setBottomUp(op.bottomUp());
                    long p = mb.alloc(size, UNIT);
                    if (p != 0) {
                        int ps = (int) ((p - BASE) / UNIT);
                        for (int c = ps; c < ps + (e - s); c++) {
                            assertThat(memory[c])
                                    .as("allocated cell %d is memory", c)
                                    .isNotNegative();
                            assertThat(reserved[c])
                                    .as("allocated cell %d was free", c)
                                    .isNegative();
                        }
                        cover(reserved, ps, ps + (e - s), Memblock.FLAG_RSRV_KERN);
                    } else {
                        assertThat(hasFreeRun(memory, reserved, e - s))
                                .as("a free run existed")
                                .isFalse();
                    }
                }
            }
            assertThat(mb.validate()).isEmpty();
            assertMatches(mb.memory(), memory);
            assertMatches(mb.reserved(), reserved);
        }
    }

    private static void cover(int[] cells, int s, int e, int flags) {
        for (int c = s; c < e; c++) {
            if (cells[c] < 0) {
                cells[c] = flags;
            }
        }
    }

    private static boolean hasFreeRun(int[] memory, int[] reserved, int n) {
        int run = 0;
        for (int c = 0; c < CELLS; c++) {
            boolean free = memory[c] >= 0 && reserved[c] < 0 && (c * UNIT + BASE) % UNIT == 0;
            run = free ? run + 1 : 0;
            if (run >= n) {
                return true;
            }
        }
        return false;
    }

    /** The array covers exactly the model's cells, with their flags, merged maximally. */
    private static void assertMatches(MemblockType t, int[] cells) {
        int[] seen = new int[CELLS];
        Arrays.fill(seen, -1);
        for (int i = 0; i < t.cnt(); i++) {
            int s = (int) ((t.base(i) - BASE) / UNIT);
            int e = (int) ((t.end(i) - BASE) / UNIT);
            for (int c = s; c < e; c++) {
                seen[c] = t.flags(i);
            }
            if (i > 0) {
                boolean touching = t.end(i - 1) == t.base(i);
                boolean same = t.flags(i - 1) == t.flags(i) && t.nid(i - 1) == t.nid(i);
                assertThat(touching && same)
                        .as("%s[%d] and [%d] should have merged", t.name(), i - 1, i)
                        .isFalse();
            }
        }
        assertThat(seen).as(t.name()).isEqualTo(cells);
    }
}
