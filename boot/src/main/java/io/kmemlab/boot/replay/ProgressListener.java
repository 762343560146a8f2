package io.kmemlab.boot.replay;

import java.io.PrintStream;
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

    /** A bar on stderr, only when stderr is a terminal (System.console() != null). */
    static ProgressListener forStderr() {
        if (System.console() == null) {
            return NONE;
        }
        return new Bar(System.err);
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
