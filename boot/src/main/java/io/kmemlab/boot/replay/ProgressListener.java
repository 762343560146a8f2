package io.kmemlab.boot.replay;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Progress of a long replay. */
public interface ProgressListener {
    ProgressListener NONE = new ProgressListener() {
        @Override
        public void update(String allocator, double fraction, long events) {}

        @Override
        public void done() {}
    };

    /** @param fraction 0…1, or -1 if the input's size is unknown */
    void update(String allocator, double fraction, long events);

    void done();

    /**
     * A bar on stderr, only when stderr is a terminal: {@code kmemlab replay t.txt --json > r.json}
     * still shows it, {@code 2> log} does not. System.console() alone would say whether stdin and
     * stdout are terminals, the wrong streams.
     */
    static ProgressListener forStderr() {
        return stderrIsTerminal() ? new Bar(System.err) : NONE;
    }

    /**
     * Where file descriptor 2 points (Linux: {@code /proc/self/fd/2}) is a terminal device; where
     * that cannot be read, whether the JVM has a console.
     */
    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            if (Files.isSymbolicLink(fd2)) {
                return isTerminalDevice(Files.readSymbolicLink(fd2).toString());
            }
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            // Not Linux, or not allowed to look: fall back below.
        }
        return System.console() != null;
    }

    /** A pseudo-terminal, a virtual console or a serial tty (not a pipe, a file or /dev/null). */
    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /** {@code \rreplay slub [##########..........]  50%  284487 events}. */
    final class Bar implements ProgressListener {
        private static final int WIDTH = 30;
        private final PrintStream out;
        private boolean drawn;

        Bar(PrintStream out) {
            this.out = out;
        }

        @Override
        public void update(String allocator, double fraction, long events) {
            StringBuilder sb = new StringBuilder("\rreplay ").append(allocator).append(" [");
            int filled = fraction < 0 ? 0 : (int) Math.round(fraction * WIDTH);
            for (int i = 0; i < WIDTH; i++) {
                sb.append(i < filled ? '#' : '.');
            }
            sb.append(']');
            if (fraction >= 0) {
                sb.append(String.format(Locale.ROOT, " %3d%%", (int) (fraction * 100)));
            }
            sb.append(' ').append(events).append(" events");
            out.print(sb);
            out.flush();
            drawn = true;
        }

        @Override
        public void done() {
            if (drawn) {
                out.print("\r" + " ".repeat(WIDTH + 60) + "\r");
                out.flush();
                drawn = false;
            }
        }
    }
}
