// The API driver for the glibc exactness tests: replays an .ops file through every allocation
// call (not only malloc/realloc/free as replay.c does) and prints what replay.c prints, plus the
// results of the calls replay.c does not make. Ops, one a line:
//   m ID SIZE          malloc            c ID N SIZE     calloc (prints the nonzero bytes seen)
//   a ID ALIGN SIZE    memalign          p ID ALIGN SIZE posix_memalign (prints its return value)
//   r ID SIZE          realloc           f ID            free
//   o PARAM VALUE      mallopt           t PAD           malloc_trim
//   s                  malloc_stats (to stderr)
//   w ID OFF VALUE     poke: store the 8-byte VALUE at block ID + OFF (a heap corruption)
//   F ID OFF           free(block ID + OFF)
// A NULL result prints "null" (replay.c would print the break's negated address).
// Every block is filled with 0xa5 (up to 256 bytes) after allocation, so calloc's clearing shows.
// Build: gcc -O2 -o apidriver apidriver.c; run without address randomisation, so that the break
// starts at 0x555555559000 as in the tests (memalign(65536) and THP alignment see the absolute
// address): setarch -R ./apidriver FILE.ops > out 2> stats
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
static char obuf[1 << 20];
static void line(char op, long id, void *q, char *base) {
  size_t us = q ? malloc_usable_size(q) : 0;
  if (!q) printf("%c %ld null 0\n", op, id);
  else if (((size_t *)q)[-1] & 2) printf("%c %ld mmap %zu\n", op, id, us);
  else printf("%c %ld %lx %zu\n", op, id, (unsigned long)((char *)q - base), us);
}
static void scribble(void *q, size_t n) { if (q) memset(q, 0xa5, n < 256 ? n : 256); }
int main(int argc, char **argv) {
  setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
  setvbuf(stderr, 0, _IONBF, 0);
  char *base = sbrk(0);
  if (getenv("APIDRIVER_BASE")) fprintf(stderr, "base %p\n", base);
  int fd = open(argv[1], O_RDONLY); struct stat st; fstat(fd, &st);
  char *p = mmap(0, st.st_size + 1, PROT_READ, MAP_PRIVATE, fd, 0), *e = p + st.st_size;
  void **ptr = mmap(0, (1 << 20) * sizeof(void *), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  while (p < e) {
    while (p < e && (*p == ' ' || *p == '\n')) p++;
    if (p >= e) break;
    char op = *p++;
    long a = 0, b = 0, c = 0;
    if (op != 's') a = strtol(p, &p, 10);
    if (op == 'm' || op == 'r' || op == 'o') b = strtol(p, &p, 10);
    if (op == 'c' || op == 'a' || op == 'p' || op == 'w') { b = strtol(p, &p, 10); c = strtoul(p, &p, 0); }
    if (op == 'F') b = strtol(p, &p, 10);
    void *q;
    switch (op) {
    case 'm': q = ptr[a] = malloc(b); line(op, a, q, base); scribble(q, b); break;
    case 'r': q = realloc(ptr[a], b); if (q || !b) ptr[a] = q; line(op, a, q, base); scribble(q, b); break;
    case 'f': free(ptr[a]); ptr[a] = 0; break;
    case 'c': {
      q = ptr[a] = calloc(b, c); line(op, a, q, base);
      size_t nz = 0; for (size_t i = 0; q && i < (size_t)(b * c); i++) nz += ((unsigned char *)q)[i] != 0;
      printf("z %zu\n", nz); scribble(q, b * c); break; }
    case 'a': q = ptr[a] = memalign(b, c); line(op, a, q, base); scribble(q, c); break;
    case 'p': { void *r = 0; int rc = posix_memalign(&r, b, c); ptr[a] = r; printf("P %d\n", rc); line(op, a, r, base); scribble(r, c); break; }
    case 'o': printf("o %ld %ld %d\n", a, b, mallopt(a, b)); break;
    case 't': printf("t %ld %d\n", a, malloc_trim(a)); break;
    case 's': fflush(stdout); malloc_stats(); break;
    case 'w': memcpy((char *)ptr[a] + b, &c, 8); break;
    case 'F': free((char *)ptr[a] + b); break;
    }
  }
  struct mallinfo2 m = mallinfo2();
  printf("# mallinfo2 arena=%zu ordblks=%zu smblks=%zu hblks=%zu hblkhd=%zu fsmblks=%zu uordblks=%zu fordblks=%zu keepcost=%zu\n",
         m.arena, m.ordblks, m.smblks, m.hblks, m.hblkhd, m.fsmblks, m.uordblks, m.fordblks, m.keepcost);
  printf("# brk_end_offset %lx\n", (unsigned long)((char *)sbrk(0) - base));
  fflush(stdout);
  malloc_info(0, stdout);
  fflush(stdout);
  return 0;
}
