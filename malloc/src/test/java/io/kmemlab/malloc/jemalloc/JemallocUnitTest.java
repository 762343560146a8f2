package io.kmemlab.malloc.jemalloc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.malloc.ArrayUserSpace;
import io.kmemlab.mm.testing.FlatUserSpace;
import io.kmemlab.mm.user.UserAllocatorProvider;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JemallocUnitTest {

    /** The size-class table against the one Debian's build printed (arenas.bin and arenas.lextent). */
    @Test
    void sizeClassesAndSlabs_areDebiansTable() throws IOException {
        String json = JemallocAnswerFileTest.json(TraceReplayer.readXz("/jemalloc/mawk.jemalloc-5.3.out.xz"));
        Matcher bin = Pattern.compile("\\{\"size\":(\\d+),\"nregs\":(\\d+),\"slab_size\":(\\d+),\"nshards\":1}")
                .matcher(json);
        int b = 0;
        while (bin.find()) {
            assertThat(SizeClasses.index2size(b)).isEqualTo(Long.parseLong(bin.group(1)));
            assertThat(SizeClasses.nregs(b)).isEqualTo(Integer.parseInt(bin.group(2)));
            assertThat(SizeClasses.slabSize(b)).isEqualTo(Long.parseLong(bin.group(3)));
            b++;
        }
        assertThat(b).isEqualTo(SizeClasses.NBINS);
        Matcher lx = Pattern.compile("\\{\"size\":(\\d+)}").matcher(json);
        int i = SizeClasses.NBINS;
        while (lx.find()) {
            assertThat(SizeClasses.index2size(i++)).isEqualTo(Long.parseLong(lx.group(1)));
        }
        assertThat(i).isEqualTo(SizeClasses.NSIZES);
    }

    /** size2index against a linear search of the table, for every size up to 1 MiB and each class edge. */
    @Test
    void size2index_isTheSmallestClassThatFits() {
        int ind = 0;
        for (long size = 1; size <= 1 << 20; size++) {
            while (SizeClasses.index2size(ind) < size) {
                ind++;
            }
            assertThat(SizeClasses.size2index(size)).as("size %d", size).isEqualTo(ind);
        }
        for (int k = 1; k < SizeClasses.NSIZES; k++) {
            long s = SizeClasses.index2size(k);
            assertThat(SizeClasses.size2index(s)).isEqualTo(k);
            assertThat(SizeClasses.size2index(s - 1)).isEqualTo(SizeClasses.index2size(k - 1) == s - 1 ? k - 1 : k);
        }
        assertThat(SizeClasses.s2u(SizeClasses.LARGE_MAXCLASS + 1)).isZero();
    }

    @Test
    void tcacheSlots_followTheNregsRule() {
        JemallocConfig c = JemallocConfig.defaults();
        assertThat(Tcache.ncachedMaxCompute(c, 0)).isEqualTo(200); // 512 regs × 2, capped
        assertThat(Tcache.ncachedMaxCompute(c, 8)).isEqualTo(64); // 128 B: 32 regs × 2
        assertThat(Tcache.ncachedMaxCompute(c, 35)).isEqualTo(20); // 14 KiB: 2 regs × 2, raised to the min
        assertThat(Tcache.ncachedMaxCompute(c, 36)).isEqualTo(20); // large
        assertThat(new Tcache(c, null).nhbins).isEqualTo(41);
    }

    @Test
    void mallocConf_parsesKnownKeysAndRefusesOthers() {
        JemallocConfig c = JemallocConfig.parse("narenas:1,tcache:false,dirty_decay_ms:0");
        assertThat(c.narenas()).isEqualTo(1);
        assertThat(c.tcache()).isFalse();
        assertThat(c.dirtyDecayMs()).isZero();
        assertThatThrownBy(() -> JemallocConfig.parse("narena:1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown option \"narena\"");
        assertThatThrownBy(() -> JemallocConfig.parse("tcache:maybe")).hasMessageContaining("tcache:maybe");
        assertThatThrownBy(() -> JemallocConfig.parse("narenas:0")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> JemallocConfig.parse("narenas")).hasMessageContaining("not key:value");
        assertThat(JemallocConfig.of(Map.of("malloc_conf", "narenas:2", "retain", "false"))
                        .narenas())
                .isEqualTo(2);
    }

    @Test
    void provider_isFoundByName_andTakesMallocConf() {
        UserAllocatorProvider p = ServiceLoader.load(UserAllocatorProvider.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(x -> x.name().equals("jemalloc"))
                .findFirst()
                .orElseThrow();
        assertThat(p.options()).contains("narenas", "tcache", "dirty_decay_ms", "malloc_conf");
        Jemalloc je = (Jemalloc) p.create(new FlatUserSpace(), Map.of("malloc_conf", "tcache:false"));
        assertThat(je.tcache).isNull();
        assertThatThrownBy(() -> p.create(new FlatUserSpace(), Map.of("bogus", "1")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A freed large allocation's pages stay dirty until dirty_decay_ms of virtual time has passed. */
    @Test
    void dirtyPages_decayInVirtualTime() {
        FlatUserSpace s = new FlatUserSpace();
        Jemalloc je = new Jemalloc(s, JemallocConfig.parse("dirty_decay_ms:1000,tcache:false"));
        long p = je.malloc(1 << 20);
        je.free(p);
        Pac pac = je.arena(0).pac;
        long dirty = pac.ndirty();
        assertThat(dirty).isGreaterThanOrEqualTo(256);
        for (int i = 0; i < 5000; i++) { // arena operations tick the decay, but no time passes
            je.free(je.malloc(64));
        }
        assertThat(pac.purgeStats[0][2]).isZero();
        assertThat(pac.ndirty()).isGreaterThanOrEqualTo(dirty);
        for (int round = 0; round < 40; round++) { // 2 s of virtual time in 50 ms steps
            s.chargeUser(50_000_000);
            for (int i = 0; i < 1000; i++) {
                je.free(je.malloc(64));
            }
        }
        assertThat(pac.ndirty()).isLessThan(dirty / 4);
        assertThat(pac.purgeStats[0][2]).isGreaterThan(0);
        assertThat(je.validate()).isEmpty();
    }

    /** dirty_decay_ms:0 purges at once: the pages go back to retained, madvised away. */
    @Test
    void zeroDecay_purgesImmediately() {
        Jemalloc je = new Jemalloc(new FlatUserSpace(), JemallocConfig.parse("dirty_decay_ms:0"));
        long mapped = je.figure(4);
        long retained = je.figure(5);
        je.free(je.malloc(1 << 20));
        Pac pac = je.arena(0).pac;
        assertThat(pac.ndirty()).isZero();
        assertThat(pac.purgeStats[0][1]).isPositive();
        assertThat(je.figure(4)).isEqualTo(mapped);
        assertThat(je.figure(5)).isEqualTo(retained);
    }

    /** Requests of oversize_threshold and more go to the huge arena, which purges at once. */
    @Test
    void oversizeRequests_useTheHugeArena() {
        Jemalloc je = new Jemalloc(new FlatUserSpace(), JemallocConfig.defaults());
        long p = je.malloc(9L << 20);
        assertThat(p).isNotZero();
        assertThat(je.arenas[je.hugeArenaInd]).isNotNull();
        assertThat(je.usableSize(p)).isEqualTo(10L << 20);
        je.free(p);
        assertThat(je.arenas[je.hugeArenaInd].pac.ndirty()).isZero();
        assertThat(je.statsPrint("J")).contains("\"merged\":{");
    }

    @Test
    void validate_findsAFreeBitThatDisagreesWithNfree() {
        Jemalloc je = new Jemalloc(new FlatUserSpace(), JemallocConfig.parse("tcache:false"));
        long p = je.malloc(48);
        int h = je.ex.lookup(p);
        je.ex.bitmap[h * SizeClasses.BITMAP_WORDS] ^= 1L << 5;
        List<String> problems = je.validate();
        assertThat(problems).anySatisfy(l -> assertThat(l).contains("nfree"));
    }

    private static long allocatedBytes() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean())
                .getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    /**
     * malloc, free, realloc and calloc allocate no Java objects once the heap has grown. The bound
     * leaves room for the few pages the process's memory creates on first touch as large extents
     * still wander (each is 4 KiB); anything per operation would be more than 900 KiB here.
     */
    @Test
    void hotPath_allocatesNoJavaObjects() {
        for (String conf : new String[] {"", "tcache:false"}) {
            ArrayUserSpace space = new ArrayUserSpace();
            Jemalloc a = new Jemalloc(space, JemallocConfig.parse(conf));
            long[] ptrs = new long[64];
            for (int round = 0; round < 2000; round++) {
                batch(a, ptrs, round);
            }
            long before = allocatedBytes();
            for (int round = 0; round < 300; round++) {
                batch(a, ptrs, round);
            }
            long used = allocatedBytes() - before;
            assertThat(used).as("conf \"%s\"", conf).isLessThan(32 << 10);
            assertThat(a.metric().badFrees()).isZero();
        }
    }

    private static void batch(Jemalloc a, long[] ptrs, int round) {
        for (int i = 0; i < ptrs.length; i++) {
            long size = 8 + ((i * 37 + round) % 200) * ((i % 9 == 0) ? 300 : 1);
            ptrs[i] = (i & 7) == 0 ? a.calloc(2, size / 2) : a.malloc(size);
        }
        for (int i = 0; i < ptrs.length; i += 2) {
            ptrs[i] = a.realloc(ptrs[i], 16 + ((i * 11 + round) % 300));
        }
        for (int i = ptrs.length - 1; i >= 0; i--) {
            a.free(ptrs[i]);
        }
    }
}
