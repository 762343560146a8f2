// The thread driver for the glibc exactness tests: replays an .ops file (m ID SIZE, r ID SIZE,
// f ID, T TID) where "T TID" makes thread TID (0 = main; others created on first use) the
// caller of the following ops. Threads run strictly in turn (a baton under a mutex), so the
// result is deterministic. A pointer in a thread arena prints as "h OFFSET-IN-ITS-64MiB-HEAP";
// one in the main arena as "brkOFFSET" from the initial break (pthread_create callocs each new
// thread's DTV there, 17 * 16 bytes); a mapped chunk as "mmap". At the end: malloc_info XML.
// Build: gcc -O2 -pthread -o threaddriver threaddriver.c; run: ./threaddriver FILE.ops
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define HEAP_MAX (64UL << 20)
static char obuf[1 << 20];
static char *base;
static void **ptr;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int turn = 0, pending = 0, quit = 0;
static char cur_op; static long cur_a, cur_b;
static void line(char op, long id, void *q) {
  size_t us = q ? malloc_usable_size(q) : 0;
  if (!q) printf("%c %ld null 0\n", op, id);
  else if (((size_t *)q)[-1] & 2) printf("%c %ld mmap %zu\n", op, id, us);
  else if ((char *)q >= base && (char *)q < (char *)sbrk(0)) printf("%c %ld brk%lx %zu\n", op, id, (unsigned long)((char *)q - base), us);
  else printf("%c %ld h%lx %zu\n", op, id, (unsigned long)((uintptr_t)q & (HEAP_MAX - 1)), us);
}
static void run(char op, long a, long b) {
  void *q;
  switch (op) {
  case 'm': q = ptr[a] = malloc(b); line(op, a, q); break;
  case 'r': q = realloc(ptr[a], b); if (q || !b) ptr[a] = q; line(op, a, q); break;
  case 'f': free(ptr[a]); ptr[a] = 0; break;
  }
}
static void *worker(void *arg) {
  int me = (int)(intptr_t)arg;
  pthread_mutex_lock(&mu);
  for (;;) {
    while (!quit && !(pending && turn == me)) pthread_cond_wait(&cv, &mu);
    if (quit) break;
    run(cur_op, cur_a, cur_b);
    pending = 0;
    pthread_cond_broadcast(&cv);
  }
  pthread_mutex_unlock(&mu);
  return 0;
}
int main(int argc, char **argv) {
  setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
  base = sbrk(0);
  int fd = open(argv[1], O_RDONLY); struct stat st; fstat(fd, &st);
  char *p = mmap(0, st.st_size + 1, PROT_READ, MAP_PRIVATE, fd, 0), *e = p + st.st_size;
  ptr = mmap(0, (1 << 20) * sizeof(void *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  pthread_t th[64]; int have[64] = {0};
  int t = 0;
  while (p < e) {
    while (p < e && (*p == ' ' || *p == '\n')) p++;
    if (p >= e) break;
    char op = *p++;
    long a = strtol(p, &p, 10), b = 0;
    if (op == 'm' || op == 'r') b = strtol(p, &p, 10);
    if (op == 'T') {
      t = (int)a;
      if (t && !have[t]) { pthread_create(&th[t], 0, worker, (void *)(intptr_t)t); have[t] = 1; }
      continue;
    }
    if (t == 0) { run(op, a, b); continue; }
    pthread_mutex_lock(&mu);
    cur_op = op; cur_a = a; cur_b = b; turn = t; pending = 1;
    pthread_cond_broadcast(&cv);
    while (pending) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
  }
  fflush(stdout);
  malloc_info(0, stdout);
  fflush(stdout);
  return 0;
}
