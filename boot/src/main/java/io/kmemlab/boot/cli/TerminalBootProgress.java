package io.kmemlab.boot.cli;

import io.kmemlab.boot.BootProgress;
import java.io.PrintStream;

/**
 * A boot's progress on a terminal: after a quiet second (boots shorter than that print nothing),
 * one line on the error stream, redrawn in place four times a second with the phase and the
 * seconds so far, and erased when the boot is over. Main uses it only when there is a console, so
 * pipes, files and tests never see it.
 */
final class TerminalBootProgress implements BootProgress {
    private static final long REDRAW_MILLIS = 250;

    private final PrintStream err;
    private final String label;
    private final long quietMillis;
    private final long start = System.nanoTime();
    private volatile String phase;
    private Thread ticker;
    private int drawn;
    private boolean over;

    /**
     * @param label what is booting, e.g. {@code mem=1T}
     * @param quietMillis how long a boot runs before the line appears
     */
    TerminalBootProgress(PrintStream err, String label, long quietMillis) {
        this.err = err;
        this.label = label;
        this.quietMillis = quietMillis;
    }

    @Override
    public void phase(String what) {
        if (what == null) {
            finish();
            return;
        }
        phase = what;
        if (ticker == null) {
            ticker = new Thread(this::tick, "kmemlab-boot-progress");
            ticker.setDaemon(true);
            ticker.start();
        }
    }

    private void tick() {
        try {
            Thread.sleep(quietMillis);
            while (draw()) {
                Thread.sleep(REDRAW_MILLIS);
            }
        } catch (InterruptedException e) {
            // the boot is over
        }
    }

    /** Draws the line; false once the boot is over. */
    private synchronized boolean draw() {
        if (over) {
            return false;
        }
        long secs = (System.nanoTime() - start) / 1_000_000_000L;
        String line = "kmemlab: booting" + (label.isEmpty() ? "" : " " + label) + ": " + phase + " … " + secs + " s";
        err.print("\r" + line + " ".repeat(Math.max(0, drawn - line.length())));
        err.flush();
        drawn = line.length();
        return true;
    }

    private void finish() {
        Thread t;
        synchronized (this) {
            over = true;
            if (drawn > 0) {
                err.print("\r" + " ".repeat(drawn) + "\r");
                err.flush();
                drawn = 0;
            }
            t = ticker;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
