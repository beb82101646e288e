/* Integer loops and byte stores: the sieve of Eratosthenes over SIZE bytes
 * (malloc'd), then the count and the sum of the primes below SIZE. */
#include "common.h"

int main(int argc, char **argv) {
    long n = arg_size(argc, argv, 16000000);
    unsigned char *composite = xmalloc((size_t)n);
    for (long i = 0; i < n; i++)
        composite[i] = 0;
    for (long i = 2; i * i < n; i++)
        if (!composite[i])
            for (long j = i * i; j < n; j += i)
                composite[j] = 1;
    uint64_t count = 0, sum = 0;
    for (long i = 2; i < n; i++)
        if (!composite[i]) {
            count++;
            sum += (uint64_t)i;
        }
    printf("sieve %ld %llu %llu\n", n, (unsigned long long)count, (unsigned long long)sum);
    free(composite);
    return 0;
}
