package io.kmemlab.boot.lab;

/**
 * Runs a student's code on a worker thread of its own under a wall-clock limit, so that a throw,
 * an error or a loop ends that run only: the body catches what the student throws, and a body
 * still running when the limit runs out is interrupted (the guards see it at their next memory
 * access), then stopped with Thread.stop where the runtime still has it, else abandoned (a daemon
 * that ends with kmemlab).
 */
final class StudentCall {
    private StudentCall() {}

    /**
     * Runs {@code body} on a daemon thread named {@code name}.
     *
     * @return true if it was still running after {@code timeoutMillis}
     */
    static boolean run(String name, long timeoutMillis, Runnable body) {
        Thread worker = new Thread(body, name);
        worker.setDaemon(true);
        worker.start();
        boolean timedOut = false;
        try {
            worker.join(timeoutMillis);
            if (worker.isAlive()) {
                timedOut = true;
                worker.interrupt();
                worker.join(1000);
                if (worker.isAlive()) {
                    stop(worker);
                    worker.join(1000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return timedOut;
    }

    /**
     * Ends a student's thread that ignores interruption (a loop that touches no memory): Thread.stop
     * on the runtimes that still have it; on the others the daemon thread is abandoned, spinning.
     */
    @SuppressWarnings({"deprecation", "removal"})
    private static void stop(Thread worker) {
        try {
            worker.stop();
        } catch (UnsupportedOperationException e) {
            // Java 20+: nothing stops it; it is a daemon and ends with kmemlab
        }
    }
}
