#include <mcheck.h>
#include <stdlib.h>
#include <stdint.h>
int main(void) {
  mtrace();
  char *a = malloc(16);
  char *x = malloc(SIZE_MAX/2);
  char *b = realloc(a, SIZE_MAX/2);
  char *m = malloc(0);
  free(m); free(a); (void)x; (void)b;
  return 0;
}
