package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kmemlab.boot.replay.source.BlockPipeline;
import io.kmemlab.boot.replay.source.EventBlock;
import io.kmemlab.boot.replay.source.EventSource;
import io.kmemlab.boot.replay.source.TraceRejectedException;
import io.kmemlab.boot.replay.source.Workload;
import io.kmemlab.mm.trace.Symbols;
import io.kmemlab.mm.trace.read.TraceLine;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reading thread and the parallel boots hand results and failures over faithfully. */
class ReplayerPipelineTest {
    private static final ReplayMachineFactory SIMPLE = SimpleSlabAllocator.factory(64L << 20, 2);

    /** A workload that fails (with {@code failure}) when asked for line {@code failAt}. */
    private static EventSource failingAt(long failAt, RuntimeException bug) {
        EventSource w = Workload.MIXED.source(1, 50_000, 2);
        return new EventSource() {
            @Override
            public String name() {
                return "failing";
            }

            @Override
            public String format() {
                return w.format();
            }

            @Override
            public int cpus() {
                return w.cpus();
            }

            @Override
            public Stream open(Symbols symbols) throws IOException, TraceRejectedException {
                Stream s = w.open(symbols);
                return new Stream() {
                    @Override
                    public boolean next(TraceLine out) throws IOException {
                        if (s.lineNo() == failAt) {
                            if (bug != null) {
                                throw bug;
                            }
                            throw new IOException("disk on fire");
                        }
                        return s.next(out);
                    }

                    @Override
                    public long lineNo() {
                        return s.lineNo();
                    }

                    @Override
                    public long nonEventLines() {
                        return s.nonEventLines();
                    }

                    @Override
                    public Map<String, Long> otherEvents() {
                        return s.otherEvents();
                    }

                    @Override
                    public void close() throws IOException {
                        s.close();
                    }
                };
            }
        };
    }

    private static Replayer replayer(ReplayMachineFactory f) {
        return new Replayer(f, ReplayOptions.DEFAULT, () -> 0, ProgressListener.NONE);
    }

    @Test
    void runAll_readErrorInThirdBlock_rejectedAfterTheTwoBlocksReplayed() {
        assertThatThrownBy(() -> replayer(SIMPLE).runAll(failingAt(10_000, null), List.of("a", "b"), List.of(), null))
                .isInstanceOf(TraceRejectedException.class)
                .hasMessage("failing: read error after line " + 2 * EventBlock.CAPACITY + ": disk on fire");
    }

    @Test
    void runAll_bugInTheReader_rethrownAsItself() {
        IllegalStateException bug = new IllegalStateException("reader bug");
        assertThatThrownBy(() -> replayer(SIMPLE).runAll(failingAt(100, bug), List.of("a"), List.of(), null))
                .isSameAs(bug);
    }

    @Test
    void runAll_secondMachineFailsToBoot_itsErrorRethrown() {
        ReplayMachineFactory f = (name, words) -> {
            if (name.equals("b")) {
                throw new IllegalArgumentException("b cannot boot");
            }
            return SIMPLE.boot(name, words);
        };
        assertThatThrownBy(() ->
                        replayer(f).runAll(Workload.MIXED.source(1, 1000, 2), List.of("a", "b", "c"), List.of(), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("b cannot boot");
    }

    @Test
    void runAll_manyMoreBlocksThanInFlight_everyEventReplayedOnEveryMachineInOrder() throws Exception {
        long events = (BlockPipeline.BLOCKS * 3L + 1) * EventBlock.CAPACITY + 17;
        List<Replayer.Run> runs =
                replayer(SIMPLE).runAll(Workload.MIXED.source(5, events, 2), List.of("a", "b"), List.of(), null);
        List<Replayer.Run> again =
                replayer(SIMPLE).runAll(Workload.MIXED.source(5, events, 2), List.of("a"), List.of(), null);
        assertThat(runs).hasSize(2);
        for (Replayer.Run r : runs) {
            assertThat(r.stats().eventsRead()).isEqualTo(events);
            assertThat(r.trace().lines()).isEqualTo(events);
        }
        assertThat(runs.get(0).stats().applied()).isEqualTo(again.get(0).stats().applied());
        assertThat(runs.get(0).stats().finalSlabBytes())
                .isEqualTo(again.get(0).stats().finalSlabBytes());
        assertThat(runs.get(0).stats().peakSlabBytes())
                .isEqualTo(again.get(0).stats().peakSlabBytes());
    }
}
