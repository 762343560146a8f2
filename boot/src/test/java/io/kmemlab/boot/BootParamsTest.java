package io.kmemlab.boot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class BootParamsTest {
    /** slub claims slub_debug and slub_max_order; slob claims nothing; slab claims slab_max_order. */
    static final BootParams.WordClaims CLAIMS = new BootParams.WordClaims() {
        final Map<String, Set<String>> words = Map.of(
                "slub", Set.of("slub_debug", "slub_max_order"),
                "slab", Set.of("slab_max_order"),
                "slob", Set.of());

        @Override
        public boolean hasAllocator(String slab) {
            return words.containsKey(slab);
        }

        @Override
        public boolean claims(String slab, String name) {
            return words.getOrDefault(slab, Set.of()).contains(name);
        }

        @Override
        public String claimedByOther(String slab, String name) {
            for (var e : words.entrySet()) {
                if (!e.getKey().equals(slab) && e.getValue().contains(name)) {
                    return e.getKey();
                }
            }
            return null;
        }
    };

    static BootParams.Parsed parse(String... words) {
        return BootParams.parse(List.of(words), CLAIMS);
    }

    @Test
    void noWords_defaults() {
        BootParams p = parse().params();
        assertThat(p.memBytes()).isEqualTo(1L << 30);
        assertThat(p.nrCpus()).isEqualTo(2);
        assertThat(p.slab()).isEqualTo("slub");
        assertThat(p.minFreeKbytes()).isEqualTo(-1);
        assertThat(p.traceEvent()).isNull();
        assertThat(p.memblockDebug()).isFalse();
        assertThat(p.seed()).isZero();
    }

    @ParameterizedTest
    @CsvSource({
        "mem=16M, 16777216",
        "mem=1G, 1073741824",
        "mem=1g, 1073741824",
        "mem=64G, 68719476736",
        "mem=4T, 4398046511104",
        "mem=1048576K, 1073741824",
        "mem=0x40000000, 1073741824",
        "mem=20000000, 20000000",
    })
    void mem_suffixes(String word, long bytes) {
        assertThat(parse(word).params().memBytes()).isEqualTo(bytes);
    }

    @Test
    void goodWords_allParsed() {
        BootParams p = parse(
                        "mem=2G",
                        "nr_cpus=8",
                        "min_free_kbytes=4096",
                        "trace_event=kmem:mm_page_alloc",
                        "trace_event=kmem:kfree",
                        "slab=slub",
                        "memblock=debug",
                        "seed=0x2a",
                        "slub_debug=FZ",
                        "slub_max_order=1")
                .params();
        assertThat(p.nrCpus()).isEqualTo(8);
        assertThat(p.minFreeKbytes()).isEqualTo(4096);
        assertThat(p.traceEvent()).isEqualTo("kmem:mm_page_alloc,kmem:kfree");
        assertThat(p.memblockDebug()).isTrue();
        assertThat(p.seed()).isEqualTo(42);
        assertThat(p.allocatorWords()).containsExactly(Map.entry("slub_debug", "FZ"), Map.entry("slub_max_order", "1"));
        assertThat(p.commandLine()).startsWith("mem=2G nr_cpus=8 ");
    }

    @Test
    void laterWordWins() {
        assertThat(parse("mem=1G", "mem=2G").params().memBytes()).isEqualTo(2L << 30);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mem=0",
                "mem=abc",
                "mem=",
                "mem=15M",
                "mem=5T",
                "mem=1Q",
                "nr_cpus=0",
                "nr_cpus=x",
                "nr_cpus=513",
                "min_free_kbytes=-1",
                "min_free_kbytes=lots",
                "memblock=verbose",
                "seed=abc",
                "slab=SLUB!",
                "slab=nosuch",
                "trace_event="
            })
    void invalidWords_nameTheWord(String word) {
        BootParams.Parsed r = parse("mem=1G", word);
        assertThat(r.ok()).isFalse();
        assertThat(r.error()).startsWith("kmemlab: invalid boot parameter '" + word + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"foo=1", "foo", "slub_debugx=1"})
    void unknownWords_nameTheWord(String word) {
        assertThat(parse(word).error()).isEqualTo("kmemlab: unknown boot parameter '" + word + "'");
    }

    @Test
    void otherAllocatorsWord_saysWhichAllocatorOwnsIt() {
        assertThat(parse("slab=slob", "slub_debug=F").error())
                .isEqualTo("kmemlab: boot parameter 'slub_debug=F' belongs to slab=slub, not slab=slob");
    }

    @Test
    void memparse_rejectsOverflow() {
        assertThat(BootParams.memparse("99999999999999999999")).isEqualTo(-1);
        assertThat(BootParams.memparse("9223372036854775807K")).isEqualTo(-1);
    }

    @Test
    void wordsFor_sideBySide_eachAllocatorTakesItsOwnAndTheCommonWords() {
        List<String> words = List.of("mem=1G", "slub_debug=FZ", "slab_max_order=2", "bogus=1", "nr_cpus=2");
        List<String> all = List.of("slab", "slub", "slob");
        assertThat(BootParams.wordsFor("slub", all, words, CLAIMS))
                .containsExactly("mem=1G", "slub_debug=FZ", "bogus=1", "nr_cpus=2");
        assertThat(BootParams.wordsFor("slab", all, words, CLAIMS))
                .containsExactly("mem=1G", "slab_max_order=2", "bogus=1", "nr_cpus=2");
        assertThat(BootParams.wordsFor("slob", all, words, CLAIMS)).containsExactly("mem=1G", "bogus=1", "nr_cpus=2");
        // The word nobody claims stays, so that each boot refuses it as it would alone.
        assertThat(BootParams.parse(BootParams.wordsFor("slob", all, words, CLAIMS), CLAIMS)
                        .error())
                .isEqualTo("kmemlab: unknown boot parameter 'bogus=1'");
    }

    @Test
    void wordsFor_anotherAllocatorsWord_staysWhenThatAllocatorIsNotSelected() {
        List<String> words = List.of("slab_max_order=2");
        assertThat(BootParams.wordsFor("slub", List.of("slub"), words, CLAIMS)).containsExactly("slab_max_order=2");
        assertThat(BootParams.wordsFor("slub", List.of("slub", "slob"), words, CLAIMS))
                .containsExactly("slab_max_order=2");
        assertThat(BootParams.wordsFor("slub", List.of("slub", "slab"), words, CLAIMS))
                .isEmpty();
    }
}
