/* libc's qsort (musl's smoothsort in wasi-libc) of SIZE pseudo-random ints
 * in a malloc'd array, with a comparison function it calls through a
 * function pointer (call_indirect); checks the order, prints a checksum. */
#include "common.h"

static int cmp_int(const void *a, const void *b) {
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv) {
    long n = arg_size(argc, argv, 100000);
    int *v = xmalloc((size_t)n * sizeof *v);
    for (long i = 0; i < n; i++)
        v[i] = (int)(rng() >> 33) - (1 << 30);
    qsort(v, (size_t)n, sizeof *v, cmp_int);
    uint64_t sum = 0;
    for (long i = 0; i < n; i++) {
        if (i && v[i - 1] > v[i]) {
            fprintf(stderr, "qsort: not sorted at %ld\n", i);
            return 1;
        }
        sum = sum * 31 + (uint32_t)v[i];
    }
    printf("qsort %ld %d %d %llu\n", n, v[0], v[n - 1], (unsigned long long)sum);
    free(v);
    return 0;
}
