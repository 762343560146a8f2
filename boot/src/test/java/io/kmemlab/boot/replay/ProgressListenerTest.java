package io.kmemlab.boot.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressListenerTest {

    @Test
    void bar_drawsInPlace_andErasesItselfWhenDone() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener.Bar bar = new ProgressListener.Bar(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        bar.update("slub", 0.5, 284_487);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("\rreplay slub [###############...............]  50% 284487 events");
        bytes.reset();
        bar.done();
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .startsWith("\r ")
                .endsWith(" \r")
                .doesNotContain("#");
    }

    @Test
    void unknownSize_drawsNoPercentage() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new ProgressListener.Bar(new PrintStream(bytes, true, StandardCharsets.UTF_8)).update("slab", -1, 65_536);
        assertThat(bytes.toString(StandardCharsets.UTF_8))
                .isEqualTo("\rreplay slab [..............................] 65536 events");
    }

    @Test
    void notATerminal_noBar() {
        // Surefire's forked JVM writes stderr to a pipe, as when stderr is redirected.
        assertThat(ProgressListener.stderrIsTerminal()).isFalse();
        assertThat(ProgressListener.forStderr()).isSameAs(ProgressListener.NONE);
    }

    @Test
    void terminalDevices_areTtysOnly() {
        assertThat(ProgressListener.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(ProgressListener.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(ProgressListener.isTerminalDevice("/dev/ttyS0")).isTrue();
        assertThat(ProgressListener.isTerminalDevice("/dev/console")).isTrue();
        assertThat(ProgressListener.isTerminalDevice("pipe:[123456]")).isFalse();
        assertThat(ProgressListener.isTerminalDevice("/dev/null")).isFalse();
        assertThat(ProgressListener.isTerminalDevice("/home/user/replay.log")).isFalse();
    }
}
