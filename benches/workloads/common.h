/* Shared by the C workloads: no libc here (clang --target=wasm32 -nostdlib),
 * so the few library functions the compiler may call are defined below.
 * `no_builtin` keeps clang from turning their loops back into calls to
 * themselves. Every workload exports `unsigned long long run(void)` that
 * resets its own state, does the work, and returns a checksum. */
#pragma once
#include <stddef.h>
#include <stdint.h>

__attribute__((no_builtin("memcpy")))
void *memcpy(void *restrict dst, const void *restrict src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
        for (; n >= 16; n -= 16, d += 16, s += 16) {
            ((uint32_t *)d)[0] = ((const uint32_t *)s)[0];
            ((uint32_t *)d)[1] = ((const uint32_t *)s)[1];
            ((uint32_t *)d)[2] = ((const uint32_t *)s)[2];
            ((uint32_t *)d)[3] = ((const uint32_t *)s)[3];
        }
        for (; n >= 4; n -= 4, d += 4, s += 4)
            *(uint32_t *)d = *(const uint32_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

__attribute__((no_builtin("memmove")))
void *memmove(void *dst, const void *src, size_t n) {
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

__attribute__((no_builtin("memset")))
void *memset(void *dst, int c, size_t n) {
    unsigned char *d = dst;
    uint32_t w = (unsigned char)c * 0x01010101u;
    for (; n && ((uintptr_t)d & 3); n--)
        *d++ = (unsigned char)c;
    for (; n >= 16; n -= 16, d += 16) {
        ((uint32_t *)d)[0] = w;
        ((uint32_t *)d)[1] = w;
        ((uint32_t *)d)[2] = w;
        ((uint32_t *)d)[3] = w;
    }
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

static uint32_t rng_state;
static inline void rng_seed(uint32_t s) { rng_state = s ? s : 1; }
/* xorshift32 */
static inline uint32_t rng(void) {
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static inline uint64_t mix(uint64_t h, uint64_t v) {
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}
