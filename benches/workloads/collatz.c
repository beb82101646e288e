/* Integer loops: total Collatz sequence length of every n in [1, N]. */
#include "common.h"

#define N 100000

unsigned long long run(void) {
    uint64_t total = 0, longest = 0, arg = 0;
    for (uint32_t n = 1; n <= N; n++) {
        uint64_t x = n, steps = 0;
        while (x != 1) {
            x = (x & 1) ? 3 * x + 1 : x >> 1;
            steps++;
        }
        total += steps;
        if (steps > longest) {
            longest = steps;
            arg = n;
        }
    }
    return mix(mix(total, longest), arg);
}
