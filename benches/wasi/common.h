/* Shared by the WASI workloads (complete C programs built with clang
 * against wasi-libc, see benches/build.rs). Each program takes the amount
 * of work from argv[1] (default: the size the bench uses), allocates its
 * data with malloc, and prints one line "NAME SIZE CHECKSUM" with printf,
 * which the harness checks. The same source builds natively (`cc -O2`),
 * which is how the end-to-end script checks the output. */
#pragma once
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* The size: argv[1] if given, else `def`. */
static long arg_size(int argc, char **argv, long def) {
    if (argc > 1) {
        long n = strtol(argv[1], NULL, 10);
        if (n > 0)
            return n;
        fprintf(stderr, "usage: %s [SIZE > 0]\n", argv[0]);
        exit(2);
    }
    return def;
}

/* Memory the program cannot run without. */
static void *xmalloc(size_t n) {
    void *p = malloc(n);
    if (!p) {
        fprintf(stderr, "out of memory (%zu bytes)\n", n);
        exit(3);
    }
    return p;
}

/* A small fast PRNG (xorshift64*), the same on every platform. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rng(void) {
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 0x2545f4914f6cdd1dull;
}
