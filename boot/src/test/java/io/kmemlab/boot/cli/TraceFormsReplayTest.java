package io.kmemlab.boot.cli;

import static io.kmemlab.boot.cli.ReplayCommandTest.jsonLong;
import static io.kmemlab.boot.cli.ReplayCommandTest.replay;
import static io.kmemlab.boot.cli.ReplayCommandTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.kmemlab.boot.cli.ReplayCommandTest.Result;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11 §1: one capture of Linux 6.18.44 (the excerpts in mm-core's test resources,
 * {@code traces/forms}, all cut to the same 268 events), in every text form the real tools print,
 * replays to the same applied events, bytes requested and bytes allocated as the plain tracefs
 * {@code trace} form, with no malformed line.
 */
class TraceFormsReplayTest {
    @TempDir
    static Path tmp;

    static Result reference;

    @BeforeAll
    static void replayTheTraceForm() throws IOException {
        reference = replayForm("kmem-trace.txt");
        assertThat(reference.exit()).as(reference.err()).isZero();
        // The figures of the plain form itself, as its lines say (counted with grep on the file).
        assertThat(jsonLong(reference.out(), "slub", "malformed")).isZero();
        assertThat(jsonLong(reference.out(), "slub", "events")).isEqualTo(268);
        // grep -c 'kmalloc:\|kmem_cache_alloc:'; the sums of grep -o 'bytes_req=[0-9]*' and bytes_alloc.
        assertThat(jsonLong(reference.out(), "slub", "allocations")).isEqualTo(110);
        assertThat(jsonLong(reference.out(), "slub", "bytes_req")).isEqualTo(101_762);
        assertThat(jsonLong(reference.out(), "slub", "bytes_alloc")).isEqualTo(103_408);
    }

    static Result replayForm(String name) throws IOException {
        Path p = tmp.resolve(name);
        if (!Files.exists(p)) {
            try (InputStream in = TraceFormsReplayTest.class.getResourceAsStream("/traces/forms/" + name)) {
                assertThat(in).as(name).isNotNull();
                Files.copy(in, p);
            }
        }
        return run(replay(), p.toString(), "mem=256M", "--json", "--no-timing");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "kmem-nohash.txt", // trace_options nohash-ptr: real pointers
                "kmem-lat.txt", // latency-format: "java-18311     1..... 2627156us+:"
                "kmem-noctx.txt", // nocontext-info: the line starts with the event name
                "kmem-noirq.txt", // noirq-info: no flags column
                "kmem-sym.txt", // sym-offset, sym-addr, noprint-parent (no effect on events)
                "kmem-tgid.txt", // record-tgid: "(  18286)" before [cpu]
                "kmem-fields.txt", // fields: every number twice, "bytes_req=0xb (11)", "accounted=(1)"
                "kmem-tc.txt", // trace-cmd report: "forms: ", "(sym+0x3b)" before the fields, (nil)
                "kmem-tcN.txt", // trace-cmd report -N: no plugins
                "kmem-tcR.txt", // trace-cmd report -R: raw fields, accounted=1, gfp_flags=0xcc0
                "kmem-tct.txt", // trace-cmd report -t: nanosecond timestamps
                "kmem-tcl.txt", // trace-cmd report -l: latency context "0d..1."
                "kmem-perf.txt", // perf script of perf record -e 'kmem:*'
                "kmem-perfkmem.txt.gz", // perf script of perf kmem --page --slab record: call chains
                "kmem-perfkmemG.txt", // ... perf script -G: call chains hidden
            })
    void everyForm_replaysToTheTraceFormsFigures_noMalformedLine(String form) throws IOException {
        Result r = replayForm(form);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(jsonLong(r.out(), "slub", "malformed")).as(form).isZero();
        for (String key : new String[] {"applied", "allocations", "frees", "null_frees", "bytes_req", "bytes_alloc"}) {
            assertThat(jsonLong(r.out(), "slub", key))
                    .as(form + " " + key)
                    .isEqualTo(jsonLong(reference.out(), "slub", key));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmem-tc.txt", "kmem-tcR.txt", "kmem-tcl.txt"})
    void traceCmdReport_cpusLine_setsTheCpuCount(String form) throws IOException {
        Result r = replayForm(form);
        assertThat(jsonLong(r.out(), "trace", "cpus")).isEqualTo(2);
    }

    @Test
    void unrecognisedText_saysWhichFormsKmemlabReads() throws IOException {
        Path p = tmp.resolve("notes.txt");
        Files.writeString(p, "shopping list\nmilk: 2\neggs: 12\n", StandardCharsets.US_ASCII);
        Result r = run(replay(), p.toString(), "mem=256M");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("not a kmem trace")
                .contains("kmemlab reads: tracefs trace or trace_pipe")
                .contains("trace-cmd report (default, -N, -R, -t, -l)")
                .contains("perf script");
    }

    @Test
    void rawForm_forcedAsFtrace_everyLineMalformed_exit1() throws IOException {
        replayForm("kmem-raw.txt");
        Result r = run(replay(), tmp.resolve("kmem-raw.txt").toString(), "--format", "ftrace", "mem=256M");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("all 268 event lines are malformed").contains("kmemlab reads: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kmem-raw.txt", "kmem-hex.txt"})
    void rawAndHexForms_haveNoFields_rejectedWithTheReason_exit1(String form) throws IOException {
        Result r = replayForm(form);
        String option = form.contains("raw") ? "raw" : "hex";
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("printed with trace_options '" + option + "'")
                .contains("kmem_cache_free")
                .contains("with none of its fields")
                .contains("echo no" + option + " > trace_options");
    }
}
