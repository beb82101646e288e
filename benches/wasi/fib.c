/* Recursive calls: fib(k) by naive recursion for k = SIZE-3 .. SIZE, results
 * kept in a malloc'd array. clang -O2 turns the second recursive call into
 * a loop (fib(n) = fib(n-1) + fib(n-3) + ...), which leaves about
 * 3.6 * fib(SIZE) calls in all: 7.9 million for SIZE 32, 229 million for 39. */
#include "common.h"

__attribute__((noinline)) static uint32_t fib(uint32_t n) {
    return n < 2 ? n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    long n = arg_size(argc, argv, 32);
    if (n < 3 || n > 47) {
        fprintf(stderr, "fib: SIZE must be in 3..47\n");
        return 2;
    }
    uint32_t *r = xmalloc(4 * sizeof *r);
    for (int i = 0; i < 4; i++)
        r[i] = fib((uint32_t)(n - 3 + i));
    if (r[3] != r[2] + r[1]) {
        fprintf(stderr, "fib: self-check failed\n");
        return 1;
    }
    uint64_t sum = 0;
    for (int i = 0; i < 4; i++)
        sum = sum * 1000003u + r[i];
    printf("fib %ld %u %llu\n", n, r[3], (unsigned long long)sum);
    free(r);
    return 0;
}
