/* f64 arithmetic: C = A * B for SIZE x SIZE matrices (malloc'd), in i-k-j
 * order so the inner loop runs along rows. Built twice: plain -O2, and with
 * -msimd128, where clang vectorizes the inner loop into f64x2 operations.
 * Each C[i][j] is summed in the same order in both builds (no
 * reassociation without -ffast-math), so both print the same checksum. */
#include "common.h"

static void matmul(long n, const double *a, const double *b, double *c) {
    for (long i = 0; i < n * n; i++)
        c[i] = 0.0;
    for (long i = 0; i < n; i++)
        for (long k = 0; k < n; k++) {
            double aik = a[i * n + k];
            const double *brow = b + k * n;
            double *crow = c + i * n;
            for (long j = 0; j < n; j++)
                crow[j] += aik * brow[j];
        }
}

int main(int argc, char **argv) {
    long n = arg_size(argc, argv, 360);
    double *a = xmalloc((size_t)(n * n) * sizeof *a);
    double *b = xmalloc((size_t)(n * n) * sizeof *b);
    double *c = xmalloc((size_t)(n * n) * sizeof *c);
    for (long i = 0; i < n * n; i++) {
        a[i] = (double)(rng() % 2001) / 1000.0 - 1.0;
        b[i] = (double)(rng() % 2001) / 1000.0 - 1.0;
    }
    matmul(n, a, b, c);
    double trace = 0.0, sum = 0.0;
    uint64_t bits = 0;
    for (long i = 0; i < n; i++)
        trace += c[i * n + i];
    for (long i = 0; i < n * n; i++) {
        uint64_t u;
        __builtin_memcpy(&u, &c[i], 8);
        bits = (bits ^ u) * 0x100000001b3ull;
        sum += c[i];
    }
    printf("matmul %ld %.6f %.6f %016llx\n", n, trace, sum, (unsigned long long)bits);
    free(a);
    free(b);
    free(c);
    return 0;
}
