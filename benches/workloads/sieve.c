/* Integer loops: sieve of Eratosthenes over [0, N), sum of the primes. */
#include "common.h"

#define N 4000000
static unsigned char composite[N];

unsigned long long run(void) {
    for (uint32_t i = 0; i < N; i++)
        composite[i] = 0;
    for (uint32_t i = 2; (uint64_t)i * i < N; i++)
        if (!composite[i])
            for (uint32_t j = i * i; j < N; j += i)
                composite[j] = 1;
    uint64_t count = 0, sum = 0;
    for (uint32_t i = 2; i < N; i++)
        if (!composite[i]) {
            count++;
            sum += i;
        }
    return mix(count, sum);
}
