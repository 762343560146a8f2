/*
 * contention-native.c: glibc's bench-malloc-thread loop (benchtests/bench-malloc-thread.c) with a
 * fixed iteration count instead of its 3 s alarm, so that the per-operation cost of the real
 * allocators can be set beside `kmemlab contention --workload glibc-thread` (docs/contention.md).
 *
 * Per thread: a 1024-slot working set; each iteration frees the slot named by the next entry of a
 * 4096-entry offset table and mallocs a size from an 8000-entry table drawn with rand() (default
 * seed 1) from an inverse-square distribution on [4, 32768]. Prints one JSON line: threads,
 * iterations per thread, and ns per iteration (one free + one malloc) per thread, the mean over the
 * threads, measured with CLOCK_MONOTONIC between a start barrier and each thread's end.
 *
 * usage: contention-native THREADS [ITERATIONS]     (default 2000000)
 *        contention-native --tables N               (print the first N sizes and offsets)
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define WORKING_SET_SIZE 1024
#define NUM_OFFSETS (WORKING_SET_SIZE * 4)
#define NUM_BLOCK_SIZES 8000
#define MIN_ALLOCATION_SIZE 4
#define MAX_ALLOCATION_SIZE 32768

static unsigned int sizes[NUM_BLOCK_SIZES];
static unsigned int offsets[NUM_OFFSETS];
static long iterations = 2000000;
static pthread_barrier_t start;

static unsigned int block_size(unsigned int r) {
    const float exponent = -2;
    float min_pow = powf(MIN_ALLOCATION_SIZE, exponent + 1);
    float max_pow = powf(MAX_ALLOCATION_SIZE, exponent + 1);
    float x = (float) r / RAND_MAX;
    return (unsigned int) powf((max_pow - min_pow) * x + min_pow, 1 / (exponent + 1));
}

static void init_tables(void) {
    for (int i = 0; i < NUM_BLOCK_SIZES; i++) sizes[i] = block_size(rand());
    for (int i = 0; i < NUM_OFFSETS; i++) offsets[i] = rand() % WORKING_SET_SIZE;
}

static double now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void *worker(void *arg) {
    double *out = arg;
    void **slots = calloc(WORKING_SET_SIZE, sizeof(void *));
    unsigned int os = 0, bs = 0;
    pthread_barrier_wait(&start);
    double t0 = now_ns();
    for (long i = 0; i < iterations; i++) {
        os = os >= NUM_OFFSETS - 1 ? 0 : os + 1;
        bs = bs >= NUM_BLOCK_SIZES - 1 ? 0 : bs + 1;
        unsigned int idx = offsets[os];
        free(slots[idx]);
        slots[idx] = malloc(sizes[bs]);
    }
    *out = (now_ns() - t0) / iterations;
    for (int i = 0; i < WORKING_SET_SIZE; i++) free(slots[i]);
    free(slots);
    return NULL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        fprintf(stderr, "usage: %s THREADS [ITERATIONS] | --tables N\n", argv[0]);
        return 2;
    }
    init_tables();
    if (strcmp(argv[1], "--tables") == 0) {
        int n = argc > 2 ? atoi(argv[2]) : 20;
        for (int i = 0; i < n && i < NUM_BLOCK_SIZES; i++) printf("%u%c", sizes[i], i + 1 < n ? ' ' : '\n');
        for (int i = 0; i < n && i < NUM_OFFSETS; i++) printf("%u%c", offsets[i], i + 1 < n ? ' ' : '\n');
        return 0;
    }
    int threads = atoi(argv[1]);
    if (argc > 2) iterations = atol(argv[2]);
    if (threads < 1 || iterations < 1) return 2;
    pthread_t *t = malloc(threads * sizeof *t);
    double *ns = calloc(threads, sizeof *ns);
    pthread_barrier_init(&start, NULL, threads);
    for (int i = 0; i < threads; i++) pthread_create(&t[i], NULL, worker, &ns[i]);
    double sum = 0;
    for (int i = 0; i < threads; i++) {
        pthread_join(t[i], NULL);
        sum += ns[i];
    }
    printf("{\"threads\": %d, \"iterations\": %ld, \"ns_per_iteration\": %.1f}\n", threads, iterations,
           sum / threads);
    return 0;
}
