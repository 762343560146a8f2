package io.kmemlab.malloc;

import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.mm.user.Errno;
import io.kmemlab.mm.user.UserAllocator;
import io.kmemlab.mm.user.UserSpace;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The contract every user-space allocator of this module keeps, run against each by a subclass
 * (glibc's and jemalloc's too): the C library's promises checked by an {@link OccupancyModel} in
 * the process's memory, the edge cases of the API (free(NULL), malloc(0), huge and overflowing
 * sizes, realloc's NULL and 0, memalign), bad frees reported without a crash, {@code validate()}
 * clean after every test and catching a corrupted header, and a million-operation run.
 */
public abstract class UserAllocatorContract {

    /** A fresh allocator over {@code space}. */
    protected abstract UserAllocator create(UserSpace space);

    /**
     * An address of the allocator's own metadata for the live block {@code ptr} (its header, its
     * arena's header): the test writes garbage there and expects {@code validate()} to notice.
     */
    protected abstract long metadataOf(UserAllocator allocator, long ptr);

    /** The alignment malloc guarantees. */
    protected long alignment() {
        return 16;
    }

    /** False for an allocator that cannot tell a second free from a first (none here). */
    protected boolean detectsDoubleFree() {
        return true;
    }

    /**
     * Called every few thousand operations of the long run; an allocator that never reuses
     * memory (a bump arena) resets itself here when it has grown large and returns true.
     */
    protected boolean resetIfLarge(UserAllocator allocator) {
        return false;
    }

    /** The largest request of the long run (small enough for an arena to hold many). */
    protected long longRunMaxSize() {
        return 8192;
    }

    /** Operations of {@link #millionOperations_agreeWithTheOccupancyModel}. */
    protected int longRunOps() {
        return 1_000_000;
    }

    protected ArrayUserSpace space() {
        return new ArrayUserSpace();
    }

    private static void assertValid(UserAllocator a) {
        List<String> problems = a.validate();
        assertThat(problems).as(a.name() + " validate()").isEmpty();
    }

    @Test
    void malloc_returnsAlignedDistinctBlocksWithUsableBytes() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        OccupancyModel m = new OccupancyModel(s);
        for (long size : new long[] {1, 7, 8, 15, 16, 17, 24, 100, 1000, 4095, 4096, 4097, 100_000}) {
            long p = a.malloc(size);
            m.allocated(p, size, a.usableSize(p), alignment());
        }
        m.verifyAll();
        m.agreesWith(a);
        assertValid(a);
        assertThat(s.alive()).isTrue();
    }

    @Test
    void freeNull_doesNothing() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        a.free(0);
        assertThat(a.metric().frees()).isZero();
        assertThat(a.metric().badFrees()).isZero();
        assertThat(s.stderr()).isEmpty();
        assertThat(a.usableSize(0)).isZero();
        assertValid(a);
    }

    @Test
    void mallocZero_returnsAUniqueFreeablePointer() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        long p = a.malloc(0);
        long q = a.malloc(0);
        assertThat(p).isNotZero().isNotEqualTo(q);
        assertThat(p % alignment()).isZero();
        a.free(p);
        a.free(q);
        assertThat(a.metric().badFrees()).isZero();
        assertValid(a);
    }

    @Test
    void hugeSizes_failCleanly() {
        ArrayUserSpace s = space().brkLimit(64L << 20).mmapLimit(64L << 20);
        UserAllocator a = create(s);
        long small = a.malloc(32);
        for (long size : new long[] {-1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 62, 1L << 46, 1L << 40, 100L << 20}) {
            assertThat(a.malloc(size)).as("malloc(%d)", size).isZero();
            assertThat(a.memalign(64, size)).as("memalign(64, %d)", size).isZero();
            assertThat(a.realloc(small, size)).as("realloc(p, %d)", size).isZero();
        }
        assertThat(a.calloc(1L << 33, 1L << 33)).as("overflowing calloc").isZero();
        assertThat(a.calloc(-1, 2)).isZero();
        assertThat(a.metric().failures()).isGreaterThanOrEqualTo(21);
        assertThat(s.alive()).isTrue();
        // the block a failed realloc was given stays as it was
        assertThat(a.usableSize(small)).isGreaterThanOrEqualTo(32);
        a.free(small);
        assertThat(a.metric().badFrees()).isZero();
        assertValid(a);
    }

    @Test
    void realloc_nullIsMalloc_zeroFrees_andKeepsTheBytes() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        OccupancyModel m = new OccupancyModel(s);
        long p = a.realloc(0, 40);
        m.allocated(p, 40, a.usableSize(p), alignment());
        for (long size : new long[] {100, 20, 3000, 3001, 70_000, 8, 200_000, 1}) {
            long q = a.realloc(p, size);
            m.reallocated(p, q, size, a.usableSize(q), alignment());
            p = q;
            assertValid(a);
        }
        m.freeing(p);
        assertThat(a.realloc(p, 0)).isZero();
        assertThat(a.metric().liveBlocks()).isZero();
        assertThat(a.metric().badFrees()).isZero();
        assertValid(a);
    }

    @Test
    void calloc_zeroesEvenReusedMemory() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        OccupancyModel m = new OccupancyModel(s);
        long[] ps = new long[64];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = a.malloc(48 + i * 8);
            m.allocated(ps[i], 48 + i * 8, a.usableSize(ps[i]), alignment());
        }
        for (long p : ps) {
            m.freeing(p);
            a.free(p);
        }
        for (int i = 0; i < ps.length; i++) {
            long p = a.calloc(i + 1, 48);
            m.callocated(p, (i + 1) * 48L, a.usableSize(p), alignment());
        }
        m.agreesWith(a);
        assertValid(a);
    }

    @Test
    void memalign_honoursEveryPowerOfTwo() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        OccupancyModel m = new OccupancyModel(s);
        for (long align = 8; align <= 65536; align <<= 1) {
            for (long size : new long[] {1, 24, 100, 5000}) {
                long p = a.memalign(align, size);
                m.allocated(p, size, a.usableSize(p), Math.max(align, 8));
            }
        }
        assertThat(a.posixMemalign(24, 10)).isEqualTo(-Errno.EINVAL);
        assertThat(a.posixMemalign(4, 10)).isEqualTo(-Errno.EINVAL);
        long p = a.posixMemalign(256, 10);
        m.allocated(p, 10, a.usableSize(p), 256);
        m.verifyAll();
        m.agreesWith(a);
        assertValid(a);
    }

    @Test
    void doubleFree_isReportedAndCounted_notACrash() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        long p = a.malloc(64);
        long q = a.malloc(64);
        a.free(p);
        a.free(p);
        if (detectsDoubleFree()) {
            assertThat(a.metric().badFrees()).isEqualTo(1);
            assertThat(s.stderr())
                    .anySatisfy(l -> assertThat(l).contains("double free").contains(Long.toHexString(p)));
        }
        assertThat(a.usableSize(q)).isGreaterThanOrEqualTo(64);
        a.free(q);
        assertValid(a);
    }

    @Test
    void invalidFrees_areReportedAndCounted_notACrash() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        long p = a.malloc(64);
        long[] bad = {p + 8, p + 1, 0x1000, ArrayUserSpace.START_BRK - 4096, 0x7fff_0000_0000L, -16};
        for (long b : bad) {
            a.free(b);
        }
        assertThat(a.realloc(p + 16, 10)).isZero();
        assertThat(s.alive()).as("bad frees do not kill the process").isTrue();
        assertThat(a.metric().badFrees()).isEqualTo(bad.length + 1);
        assertThat(s.stderr())
                .hasSize(bad.length + 1)
                .allSatisfy(l -> assertThat(l).contains("invalid pointer"));
        a.free(p);
        assertThat(a.metric().liveBlocks()).isZero();
        assertValid(a);
    }

    @Test
    void validate_findsACorruptedHeader() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        long[] ps = new long[10];
        for (int i = 0; i < ps.length; i++) {
            ps[i] = a.malloc(40 + 16 * i);
        }
        a.free(ps[3]);
        assertValid(a);
        long target = metadataOf(a, ps[5]);
        long saved = s.readU64(target);
        s.writeU64(target, 0xdead_beef_0bad_f00dL);
        assertThat(a.validate()).as("validate() after garbage at 0x%x", target).isNotEmpty();
        assertThat(s.alive()).isTrue();
        s.writeU64(target, saved);
        assertValid(a);
    }

    @Test
    void millionOperations_agreeWithTheOccupancyModel() {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        OccupancyModel m = new OccupancyModel(s);
        long ops = run(a, m, new SplittableRandom(13), longRunOps(), 1024, longRunMaxSize(), true);
        assertThat(ops).isGreaterThanOrEqualTo(longRunOps());
        assertThat(a.metric().badFrees()).isZero();
        assertThat(s.stderr()).isEmpty();
        assertValid(a);
    }

    @Property(tries = 60)
    void randomOperations_agreeWithTheOccupancyModel(
            @ForAll("seeds") long seed, @ForAll("slotCounts") int slots, @ForAll("maxSizes") long maxSize) {
        ArrayUserSpace s = space();
        UserAllocator a = create(s);
        OccupancyModel m = new OccupancyModel(s);
        run(a, m, new SplittableRandom(seed), 2000, slots, maxSize, false);
        m.verifyAll();
        assertValid(a);
    }

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<Integer> slotCounts() {
        return Arbitraries.of(1, 2, 8, 64, 300);
    }

    @Provide
    Arbitrary<Long> maxSizes() {
        return Combinators.combine(Arbitraries.of(16L, 256L, 4096L, 70_000L), Arbitraries.just(0L))
                .as(Long::sum);
    }

    /**
     * Random malloc / calloc / memalign / realloc / free over {@code slots} pointers, each checked
     * by the model; every so often the whole heap is validated.
     *
     * @return the operations done
     */
    protected long run(
            UserAllocator a, OccupancyModel m, SplittableRandom r, int ops, int slots, long maxSize, boolean sparse) {
        long[] ptr = new long[slots];
        long done = 0;
        for (int i = 0; i < ops; i++) {
            int k = r.nextInt(slots);
            long size = size(r, maxSize);
            if (ptr[k] == 0) {
                int kind = r.nextInt(20);
                if (kind == 0) {
                    long n = 1 + r.nextInt(4);
                    long each = size / 4 + 1;
                    long p = a.calloc(n, each);
                    m.callocated(p, n * each, a.usableSize(p), alignment());
                    ptr[k] = p;
                } else if (kind == 1) {
                    long align = 8L << r.nextInt(8);
                    long p = a.memalign(align, size);
                    m.allocated(p, size, a.usableSize(p), Math.max(align, alignment()));
                    ptr[k] = p;
                } else {
                    long p = a.malloc(size);
                    m.allocated(p, size, a.usableSize(p), alignment());
                    ptr[k] = p;
                }
            } else if (r.nextInt(3) == 0 && size == 0) {
                m.freeing(ptr[k]);
                assertThat(a.realloc(ptr[k], 0)).as("realloc(p, 0)").isZero();
                ptr[k] = 0;
            } else if (r.nextInt(3) == 0) {
                size = Math.max(size, 1);
                long q = a.realloc(ptr[k], size);
                m.reallocated(ptr[k], q, size, a.usableSize(q), alignment());
                ptr[k] = q;
            } else {
                m.freeing(ptr[k]);
                a.free(ptr[k]);
                ptr[k] = 0;
            }
            done++;
            if ((i & 4095) == 4095) {
                m.agreesWith(a);
                if (resetIfLarge(a)) {
                    m.clear();
                    Arrays.fill(ptr, 0);
                }
            }
            if (!sparse ? (i & 255) == 255 : (i & 0x3ffff) == 0x3ffff) {
                assertValid(a);
            }
        }
        m.agreesWith(a);
        return done;
    }

    private long size(SplittableRandom r, long maxSize) {
        int kind = r.nextInt(100);
        long lim = kind < 70 ? Math.min(maxSize, 128) : kind < 97 ? Math.min(maxSize, 2048) : maxSize;
        return r.nextLong(lim + 1);
    }
}
