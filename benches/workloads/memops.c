/* Memory-heavy: memset / memcpy / memmove style loops (word and byte
 * granularity, aligned and not) over a 1 MiB buffer, plus a checksum pass. */
#include "common.h"

#define SIZE (1 << 20)
static unsigned char buf[SIZE], dst[SIZE];

unsigned long long run(void) {
    uint64_t h = 0;
    for (int round = 0; round < 8; round++) {
        memset(buf, round * 37 + 1, SIZE);
        for (uint32_t i = 0; i < SIZE; i += 61)
            buf[i] = (unsigned char)(i * round);
        memcpy(dst, buf, SIZE);                 /* aligned: word loop */
        memcpy(dst + 1, buf + 3, SIZE - 4);     /* misaligned: byte loop */
        memmove(dst + 5, dst, SIZE - 8);        /* overlapping, backwards */
        for (uint32_t off = 0; off + 4096 <= SIZE; off += 4096)
            memset(dst + off + (off & 63), 0, 100 + (off & 255));
        uint32_t s = 0;
        const uint32_t *w = (const uint32_t *)dst;
        for (uint32_t i = 0; i < SIZE / 4; i++)
            s = (s ^ w[i]) * 16777619u;
        h = mix(h, s);
    }
    return h;
}
