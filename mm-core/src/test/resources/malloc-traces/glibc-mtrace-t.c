#include <mcheck.h>
#include <stdlib.h>
#include <string.h>
int main(void) {
  mtrace();
  char *a = malloc(10);
  char *b = calloc(4, 25);
  char *c = malloc(200000);
  a = realloc(a, 100);
  free(b);
  void *d; posix_memalign(&d, 64, 48);
  char *e = realloc(NULL, 32);
  free(NULL);
  c = realloc(c, 0);
  free(d);
  char *f = strdup("hello");
  free(a);
  (void)e; (void)f;
  muntrace();
  return 0;
}
