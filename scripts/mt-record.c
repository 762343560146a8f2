/*
 * mt-record.c: a small multi-threaded program that records its own allocations in kmemlab's
 * recording format with a thread line per change of thread (`t TID`, main = 0), for
 * `kmemlab contention --workload pipeline` (boot's resource pipeline.trace is an excerpt).
 *
 * The program: a three-stage pipeline. Stage 1 reads "records" (generated text lines), mallocs a
 * buffer for each and a small header struct; stage 2 parses each record into fields (strdup-like
 * mallocs, one realloc growing a field array), frees the stage-1 buffer, and passes the fields on;
 * stage 3 "writes" each record (a formatted output buffer), then frees everything stage 2 made.
 * Queues between the stages are mutex/condvar lists whose nodes are malloc'd by the producer and
 * freed by the consumer: most frees are cross-thread, as in a real pipeline.
 *
 * usage: gcc -O2 -pthread -o mt-record scripts/mt-record.c && ./mt-record RECORDS > pipeline.trace
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static __thread int tid;
static int last_tid = -1;
static unsigned long next_id, nops;
#define MAXP (1 << 20)
static void *ptrs[MAXP];
static unsigned long ids[MAXP];

static unsigned long slot(void *p) {
    unsigned long h = ((unsigned long) p >> 4) * 0x9E3779B97F4A7C15ul >> 44;
    while (ptrs[h] && ptrs[h] != p) h = (h + 1) & (MAXP - 1);
    return h;
}
static void thread_line(void) {
    if (tid != last_tid) { printf("t %d\n", tid); last_tid = tid; }
}
static void *rmalloc(size_t n) {
    void *p = malloc(n);
    pthread_mutex_lock(&log_lock);
    thread_line();
    unsigned long s = slot(p);
    ptrs[s] = p; ids[s] = next_id;
    printf("a %lu %zu\n", next_id++, n); nops++;
    pthread_mutex_unlock(&log_lock);
    return p;
}
static void unslot(unsigned long i) { /* backward-shift delete */
    ptrs[i] = 0;
    for (unsigned long j = (i + 1) & (MAXP - 1); ptrs[j]; j = (j + 1) & (MAXP - 1)) {
        unsigned long h = ((unsigned long) ptrs[j] >> 4) * 0x9E3779B97F4A7C15ul >> 44;
        if ((j > i && (h <= i || h > j)) || (j < i && (h <= i && h > j))) {
            ptrs[i] = ptrs[j]; ids[i] = ids[j]; ptrs[j] = 0; i = j;
        }
    }
}
static void rfree(void *p) {
    if (!p) return;
    pthread_mutex_lock(&log_lock);
    thread_line();
    unsigned long s = slot(p);
    printf("f %lu\n", ids[s]); nops++;
    unslot(s);
    free(p);  /* inside the lock: the address cannot be reused before it is logged */
    pthread_mutex_unlock(&log_lock);
}
static void *rrealloc(void *p, size_t n) {
    pthread_mutex_lock(&log_lock);
    thread_line();
    unsigned long s = slot(p), id = ids[s];
    unslot(s);
    void *q = realloc(p, n);
    s = slot(q); ptrs[s] = q; ids[s] = id;
    printf("r %lu %zu\n", id, n); nops++;
    pthread_mutex_unlock(&log_lock);
    return q;
}

struct node { struct node *next; void *item; };
struct queue { pthread_mutex_t m; pthread_cond_t c; struct node *head, *tail; int done; };
static void put(struct queue *q, void *item) {
    struct node *n = rmalloc(sizeof *n);
    n->next = NULL; n->item = item;
    pthread_mutex_lock(&q->m);
    if (q->tail) q->tail->next = n; else q->head = n;
    q->tail = n;
    pthread_cond_signal(&q->c);
    pthread_mutex_unlock(&q->m);
}
static void *take(struct queue *q) {
    pthread_mutex_lock(&q->m);
    while (!q->head && !q->done) pthread_cond_wait(&q->c, &q->m);
    struct node *n = q->head;
    if (n) { q->head = n->next; if (!q->head) q->tail = NULL; }
    pthread_mutex_unlock(&q->m);
    if (!n) return NULL;
    void *item = n->item;
    rfree(n);
    return item;
}
static void finish(struct queue *q) {
    pthread_mutex_lock(&q->m); q->done = 1; pthread_cond_broadcast(&q->c); pthread_mutex_unlock(&q->m);
}

struct record { char *line; int nfields; char **fields; };
static struct queue q12 = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
static struct queue q23 = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0};
static int nrecords;

static void *stage1(void *a) {
    tid = 1;
    unsigned int seed = 1;
    for (int i = 0; i < nrecords; i++) {
        int nf = 2 + rand_r(&seed) % 6;
        char buf[512]; int len = 0;
        for (int f = 0; f < nf; f++) {
            int w = 1 + rand_r(&seed) % 40;
            for (int k = 0; k < w; k++) buf[len++] = 'a' + rand_r(&seed) % 26;
            buf[len++] = f + 1 < nf ? ',' : 0;
        }
        struct record *r = rmalloc(sizeof *r);
        r->line = rmalloc(len);
        memcpy(r->line, buf, len);
        r->nfields = 0; r->fields = NULL;
        put(&q12, r);
    }
    finish(&q12);
    return a;
}
static void *stage2(void *a) {
    tid = 2;
    struct record *r;
    while ((r = take(&q12))) {
        int cap = 2;
        r->fields = rmalloc(cap * sizeof *r->fields);
        for (char *s = r->line; *s || s == r->line;) {
            char *e = strchr(s, ',');
            size_t n = e ? (size_t) (e - s) : strlen(s);
            if (r->nfields == cap) { cap *= 2; r->fields = rrealloc(r->fields, cap * sizeof *r->fields); }
            char *f = rmalloc(n + 1);
            memcpy(f, s, n); f[n] = 0;
            r->fields[r->nfields++] = f;
            if (!e) break;
            s = e + 1;
        }
        rfree(r->line);
        r->line = NULL;
        put(&q23, r);
    }
    finish(&q23);
    return a;
}
static void *stage3(void *a) {
    tid = 3;
    struct record *r;
    unsigned long out = 0;
    while ((r = take(&q23))) {
        size_t len = 1;
        for (int f = 0; f < r->nfields; f++) len += strlen(r->fields[f]) + 3;
        char *o = rmalloc(len), *w = o;
        for (int f = 0; f < r->nfields; f++) w += sprintf(w, "\"%s\"%s", r->fields[f], f + 1 < r->nfields ? "," : "");
        out += strlen(o);
        rfree(o);
        for (int f = 0; f < r->nfields; f++) rfree(r->fields[f]);
        rfree(r->fields);
        rfree(r);
    }
    return (void *) out;
}

int main(int argc, char **argv) {
    nrecords = argc > 1 ? atoi(argv[1]) : 200;
    printf("# kmemlab malloc trace 1\n# from mt-record %d (a three-stage pthread pipeline, glibc 2.36)\n", nrecords);
    pthread_t t[3];
    pthread_create(&t[0], NULL, stage1, NULL);
    pthread_create(&t[1], NULL, stage2, NULL);
    pthread_create(&t[2], NULL, stage3, NULL);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    printf("# end %lu ops\n", nops);
    return 0;
}
