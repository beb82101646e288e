/* Integer and memory work: 8/16/32/64-bit arithmetic edge cases, bit
 * operations, memcpy/memmove/memset/memcmp at every alignment, string
 * functions, qsort/bsearch of structs, and malloc/realloc growth to 32 MiB
 * (memory.grow). Prints results and checksums. */
#define _POSIX_C_SOURCE 200809L
#include <inttypes.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t h = 1469598103934665603ull;
static void mix(uint64_t v) {
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xFF;
        h *= 1099511628211ull;
    }
}

static volatile int64_t V64[] = {0, 1, -1, 7, -7, INT64_MAX, INT64_MIN, 0x123456789abcdefLL,
                                 -0x123456789abcdefLL, 1LL << 32, 3, 65536};
static volatile int32_t V32[] = {0, 1, -1, 7, -7, INT32_MAX, INT32_MIN, 0x12345678, -0x12345678, 3,
                                 65536, 255};

struct rec {
    char name[12];
    int32_t key;
    double weight;
};

static int cmp_rec(const void *a, const void *b) {
    const struct rec *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return strcmp(x->name, y->name);
}

static uint32_t rng_s = 2463534242u;
static uint32_t rng(void) {
    rng_s ^= rng_s << 13;
    rng_s ^= rng_s >> 17;
    rng_s ^= rng_s << 5;
    return rng_s;
}

int main(void) {
    const int n64 = sizeof V64 / sizeof V64[0], n32 = sizeof V32 / sizeof V32[0];

    /* 64-bit arithmetic over all pairs (avoiding UB: no signed overflow, no
     * division by zero, no INT64_MIN / -1). */
    for (int i = 0; i < n64; i++)
        for (int j = 0; j < n64; j++) {
            uint64_t a = (uint64_t)V64[i], b = (uint64_t)V64[j];
            int64_t sa = V64[i], sb = V64[j];
            mix(a + b);
            mix(a - b);
            mix(a * b);
            mix(a ^ (b << (j & 63)));
            mix(a >> (b & 63));
            mix((uint64_t)(sa >> (b & 63)));
            mix((a << (b & 63)) | (a >> ((64 - (b & 63)) & 63)));
            mix(sa < sb);
            mix(a < b);
            if (b != 0) {
                mix(a / b);
                mix(a % b);
                if (!(sa == INT64_MIN && sb == -1)) {
                    mix((uint64_t)(sa / sb));
                    mix((uint64_t)(sa % sb));
                }
            }
        }
    printf("i64 ops hash %016" PRIx64 "\n", h);

    h = 1469598103934665603ull;
    for (int i = 0; i < n32; i++)
        for (int j = 0; j < n32; j++) {
            uint32_t a = (uint32_t)V32[i], b = (uint32_t)V32[j];
            int32_t sa = V32[i], sb = V32[j];
            mix(a + b);
            mix(a - b);
            mix(a * b);
            mix(a >> (b & 31));
            mix((uint32_t)(sa >> (b & 31)));
            mix((a << (b & 31)) | (a >> ((32 - (b & 31)) & 31)));
            mix((uint64_t)(int64_t)sa * (uint64_t)(int64_t)sb);
            mix((int8_t)a + (uint16_t)b + (int16_t)(a >> 3));
            if (b != 0) {
                mix(a / b);
                mix(a % b);
                if (!(sa == INT32_MIN && sb == -1)) {
                    mix((uint32_t)(sa / sb));
                    mix((uint32_t)(sa % sb));
                }
            }
            if (a) {
                mix((uint64_t)__builtin_clz(a));
                mix((uint64_t)__builtin_ctz(a));
            }
            mix((uint64_t)__builtin_popcount(a));
            mix((uint64_t)__builtin_popcountll((uint64_t)V64[i % n64]));
        }
    printf("i32 ops hash %016" PRIx64 "\n", h);
    printf("INT64_MIN=%" PRId64 " UINT64_MAX=%" PRIu64 " INT32_MIN=%" PRId32 " -1 as u32=%" PRIu32 "\n",
           INT64_MIN, UINT64_MAX, INT32_MIN, (uint32_t)-1);
    printf("hex %" PRIx64 " oct %" PRIo64 " %08" PRIX32 " %+d %5.3s| %-6d|\n", (uint64_t)V64[7],
           (uint64_t)V64[7], (uint32_t)V32[7], 42, "abcdef", -5);

    /* memcpy / memmove / memset / memcmp at all alignments. */
    enum { SZ = 4096 };
    static unsigned char src[SZ + 64], dst[SZ + 64], ref[SZ + 64];
    for (int i = 0; i < SZ + 64; i++)
        src[i] = (unsigned char)(rng() >> 24);
    int mem_fail = 0;
    for (int so = 0; so < 8; so++)
        for (int d0 = 0; d0 < 8; d0++)
            for (int len = 0; len < 300; len += 7) {
                memset(dst, 0x5A, sizeof dst);
                memcpy(dst + d0, src + so, (size_t)len);
                for (int k = 0; k < len; k++)
                    if (dst[d0 + k] != src[so + k])
                        mem_fail++;
                if (dst[d0 + len] != 0x5A || (d0 && dst[d0 - 1] != 0x5A))
                    mem_fail++;
            }
    /* Overlapping memmove both directions, checked against a byte loop. */
    for (int shift = -33; shift <= 33; shift += 3) {
        memcpy(dst, src, SZ);
        memcpy(ref, src, SZ);
        int from = 100, len = 2000, to = from + shift;
        memmove(dst + to, dst + from, (size_t)len);
        if (to < from)
            for (int k = 0; k < len; k++)
                ref[to + k] = ref[from + k];
        else
            for (int k = len - 1; k >= 0; k--)
                ref[to + k] = ref[from + k];
        if (memcmp(dst, ref, SZ) != 0)
            mem_fail++;
    }
    memset(dst + 3, 0xC3, 1000);
    for (int k = 0; k < 1000; k++)
        if (dst[3 + k] != 0xC3)
            mem_fail++;
    unsigned char x1[] = {1, 2, 3, 200}, x2[] = {1, 2, 3, 7};
    printf("memcmp sign %d %d %d\n", memcmp(x1, x2, 4) > 0, memcmp(x2, x1, 4) < 0,
           memcmp(x1, x2, 3) == 0);
    printf("mem failures %d\n", mem_fail);

    /* Strings. */
    char buf[256];
    strcpy(buf, "weft");
    strcat(buf, ", a WebAssembly runtime");
    printf("strlen %zu strchr %s strrchr %s strstr %s\n", strlen(buf), strchr(buf, 'a'),
           strrchr(buf, 'e'), strstr(buf, "Assembly"));
    printf("strncmp %d strtol %ld strtoul %lu strtoll %lld\n", strncmp("abc", "abd", 2),
           strtol("-0x7fz", NULL, 16), strtoul("777", NULL, 8), strtoll("-9223372036854775808", NULL, 10));
    char *tok, *save = NULL, line[] = "a,bb,,ccc,d";
    printf("tokens:");
    for (tok = strtok_r(line, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
        printf(" [%s]", tok);
    printf("\n");

    /* qsort / bsearch of structs. */
    enum { NR = 5000 };
    struct rec *recs = malloc(NR * sizeof *recs);
    for (int i = 0; i < NR; i++) {
        recs[i].key = (int32_t)(rng() % 1000) - 500;
        snprintf(recs[i].name, sizeof recs[i].name, "r%05u", rng() % 100000);
        recs[i].weight = recs[i].key * 0.25;
    }
    qsort(recs, NR, sizeof *recs, cmp_rec);
    int sorted = 1;
    h = 1469598103934665603ull;
    for (int i = 0; i < NR; i++) {
        if (i && cmp_rec(&recs[i - 1], &recs[i]) > 0)
            sorted = 0;
        mix((uint64_t)(uint32_t)recs[i].key);
        for (const char *p = recs[i].name; *p; p++)
            mix((uint64_t)*p);
    }
    struct rec probe = recs[1234];
    struct rec *found = bsearch(&probe, recs, NR, sizeof *recs, cmp_rec);
    printf("qsort sorted=%d hash %016" PRIx64 " first %s/%d last %s/%d bsearch %s\n", sorted, h,
           recs[0].name, recs[0].key, recs[NR - 1].name, recs[NR - 1].key,
           found && cmp_rec(found, &probe) == 0 ? "found" : "MISSING");
    free(recs);

    /* Heap growth: realloc up to 32 MiB, checking contents survive moves. */
    size_t cap = 1024, used = 0;
    uint32_t *arr = malloc(cap * sizeof *arr);
    int grow_fail = 0, grows = 0;
    while (cap < (32u << 20) / sizeof *arr) {
        while (used < cap) {
            arr[used] = (uint32_t)(used * 2654435761u);
            used++;
        }
        cap *= 2;
        arr = realloc(arr, cap * sizeof *arr);
        if (!arr) {
            printf("realloc failed\n");
            return 1;
        }
        grows++;
        for (size_t k = 0; k < used; k += 997)
            if (arr[k] != (uint32_t)(k * 2654435761u))
                grow_fail++;
    }
    printf("realloc grows %d final %zu bytes failures %d\n", grows, cap * sizeof *arr, grow_fail);
    free(arr);
    /* Many small allocations. */
    void *ptrs[1000];
    for (int round = 0; round < 20; round++) {
        for (int i = 0; i < 1000; i++) {
            ptrs[i] = malloc(1 + (rng() % 200));
            memset(ptrs[i], i & 0xFF, 1);
        }
        for (int i = 0; i < 1000; i++) {
            if (*(unsigned char *)ptrs[i] != (i & 0xFF))
                grow_fail++;
            free(ptrs[i]);
        }
    }
    printf("small allocs failures %d\n", grow_fail);
    return 0;
}
