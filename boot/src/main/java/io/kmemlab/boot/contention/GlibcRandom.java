package io.kmemlab.boot.contention;

/**
 * glibc's {@code rand()}: {@code random_r} with the default TYPE_3 state — an additive lagged
 * Fibonacci generator over 31 words, {@code r[i] = r[i-31] + r[i-3]} modulo 2³², each output the
 * sum's top 31 bits. {@code srandom_r(seed)} fills the words with the Park–Miller sequence
 * {@code 16807 · x mod (2³¹ − 1)} from the seed (0 becomes 1) and throws the first 310 outputs
 * away. With seed 1, as a program that never calls srand gets, the first value is 1804289383:
 * glibc's bench-malloc-thread draws its size and offset tables from this stream.
 */
public final class GlibcRandom {
    /** RAND_MAX. */
    public static final int RAND_MAX = Integer.MAX_VALUE;

    private static final int DEGREE = 31;
    private static final int SEPARATION = 3;

    private final int[] state = new int[DEGREE];
    private int front = SEPARATION;
    private int rear;

    /** The generator after {@code srand(seed)}. */
    public GlibcRandom(int seed) {
        int word = seed == 0 ? 1 : seed;
        state[0] = word;
        for (int i = 1; i < DEGREE; i++) {
            // 16807 · word mod 2147483647 by Schrage's method, as srandom_r
            int hi = word / 127773;
            int lo = word % 127773;
            word = 16807 * lo - 2836 * hi;
            if (word < 0) {
                word += 2147483647;
            }
            state[i] = word;
        }
        for (int i = 0; i < DEGREE * 10; i++) {
            next();
        }
    }

    /** The default stream ({@code rand()} without {@code srand}). */
    public GlibcRandom() {
        this(1);
    }

    /** The next {@code rand()}: 0 … RAND_MAX. */
    public int next() {
        int val = state[front] += state[rear];
        int result = val >>> 1;
        if (++front >= DEGREE) {
            front = 0;
            ++rear;
        } else if (++rear >= DEGREE) {
            rear = 0;
        }
        return result;
    }
}
