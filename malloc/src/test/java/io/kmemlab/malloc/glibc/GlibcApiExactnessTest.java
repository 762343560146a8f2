package io.kmemlab.malloc.glibc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * calloc, memalign, posix_memalign, realloc (grow, shrink, to 0, of mmapped chunks), mallopt,
 * malloc_trim and malloc_stats, driven by random .ops files through real glibc 2.36
 * ({@code apidriver.c} in the test resources, run under {@code setarch -R}) and through the
 * emulation: the same addresses, usable sizes, return values, zeroed calloc memory, and the same
 * mallinfo2, malloc_info and malloc_stats text.
 */
class GlibcApiExactnessTest {

    @ParameterizedTest
    @CsvSource({
        "api1, api1, ''",
        "api2, api2, ''",
        "api1, api1.T_hugetlb_1, glibc.malloc.hugetlb=1",
        "api1, api1.T_perturb_90, glibc.malloc.perturb=90",
        "api1, api1.T_tcache_count_0, glibc.malloc.tcache_count=0",
        "api1, api1.T_mxfast_0, glibc.malloc.mxfast=0",
    })
    void apiOps_matchGlibc236(String ops, String answer, String tunables) throws IOException {
        ApiOps run = new ApiOps(GlibcOptions.parse(tunables.isEmpty() ? Map.of() : Map.of("tunables", tunables)))
                .run(GlibcTraceExactnessTest.text(ops + ".ops.xz"));
        assertTrue(run.g.validate().isEmpty(), () -> answer + ": " + run.g.validate());
        GlibcTraceExactnessTest.assertSameOutput(
                answer, GlibcTraceExactnessTest.text(answer + ".glibc-2.36.out.xz"), run.out.toString());
        assertEquals(GlibcTraceExactnessTest.text(answer + ".glibc-2.36.stats"), run.err.toString(), "malloc_stats");
    }
}
