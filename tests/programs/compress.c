/* CPU-heavy workload: an LZ77 compressor (hash chains, 32 KiB window) and
 * decompressor run over deterministic, compressible generated data, plus an
 * incompressible buffer. Prints sizes and CRC-32 checksums and verifies the
 * round trip. Exercises integer arithmetic, loads/stores of every width,
 * branches, calls and memory.grow (malloc of several MiB). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define WINDOW 32768
#define MIN_MATCH 3
#define MAX_MATCH 258
#define HASH_BITS 15
#define CHAIN_LIMIT 24

static uint32_t crc_table[256];

static void crc_init(void) {
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
}

static uint32_t crc32(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static uint32_t rng(void) { /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545F4914F6CDD1Dull) >> 32);
}

/* Text-like data: words from a small vocabulary, numbers, punctuation and
 * occasional repeats of earlier passages. */
static void generate_text(uint8_t *out, size_t n) {
    static const char *words[] = {
        "weft",  "warp",   "loom",    "thread", "module", "memory", "table",
        "global", "import", "export", "stack",  "frame",  "branch", "loop",
        "the",   "a",      "of",      "and",    "to",     "in",     "is",
        "value", "i32",    "i64",     "f32",    "f64",    "call",   "return"};
    const size_t nwords = sizeof words / sizeof words[0];
    size_t i = 0;
    while (i < n) {
        uint32_t r = rng();
        if (r % 97 == 0 && i > 1000) {
            /* copy an earlier passage */
            size_t len = 20 + (r >> 8) % 200;
            size_t from = (r >> 16) % (i - 500); /* from + len < i */
            for (size_t k = 0; k < len && i < n; k++)
                out[i++] = out[from + k];
            continue;
        }
        const char *w;
        char num[16];
        if (r % 11 == 0) {
            snprintf(num, sizeof num, "%u", (r >> 8) % 100000);
            w = num;
        } else {
            w = words[(r >> 4) % nwords];
        }
        while (*w && i < n)
            out[i++] = (uint8_t)*w++;
        if (i < n)
            out[i++] = (r % 13 == 0) ? '\n' : (r % 7 == 0) ? ',' : ' ';
    }
}

/* Output: groups of 8 items preceded by a flag byte (bit set = match).
 * Literal: 1 byte. Match: offset-1 (2 bytes LE, < 32768), length-3 (1 byte).
 * Returns compressed size. */
static size_t lz_compress(const uint8_t *in, size_t n, uint8_t *out) {
    int32_t *head = malloc(sizeof(int32_t) << HASH_BITS);
    int32_t *prev = malloc(sizeof(int32_t) * WINDOW);
    for (size_t i = 0; i < (1u << HASH_BITS); i++)
        head[i] = -1;
    size_t o = 0, flag_pos = 0;
    int nitems = 8;
    size_t i = 0;
#define HASH(p) ((((uint32_t)(p)[0] << 16 | (uint32_t)(p)[1] << 8 | (p)[2]) * 2654435761u) >> (32 - HASH_BITS))
#define INSERT(pos)                                                            \
    do {                                                                       \
        if ((pos) + MIN_MATCH <= n) {                                          \
            uint32_t h_ = HASH(in + (pos));                                    \
            prev[(pos) & (WINDOW - 1)] = head[h_];                             \
            head[h_] = (int32_t)(pos);                                         \
        }                                                                      \
    } while (0)
    while (i < n) {
        if (nitems == 8) {
            flag_pos = o++;
            out[flag_pos] = 0;
            nitems = 0;
        }
        size_t best_len = 0, best_off = 0;
        if (i + MIN_MATCH <= n) {
            int32_t cand = head[HASH(in + i)];
            int chain = CHAIN_LIMIT;
            size_t max = n - i < MAX_MATCH ? n - i : MAX_MATCH;
            while (cand >= 0 && i - (size_t)cand <= WINDOW && chain-- > 0) {
                const uint8_t *a = in + cand, *b = in + i;
                if (a[best_len] == b[best_len]) {
                    size_t l = 0;
                    while (l < max && a[l] == b[l])
                        l++;
                    if (l > best_len) {
                        best_len = l;
                        best_off = i - (size_t)cand;
                        if (l == max)
                            break;
                    }
                }
                int32_t nx = prev[cand & (WINDOW - 1)];
                if (nx >= cand)
                    break;
                cand = nx;
            }
        }
        if (best_len >= MIN_MATCH) {
            out[flag_pos] |= (uint8_t)(1u << nitems);
            out[o++] = (uint8_t)((best_off - 1) & 0xFF);
            out[o++] = (uint8_t)((best_off - 1) >> 8);
            out[o++] = (uint8_t)(best_len - MIN_MATCH);
            for (size_t k = 0; k < best_len; k++)
                INSERT(i + k);
            i += best_len;
        } else {
            out[o++] = in[i];
            INSERT(i);
            i++;
        }
        nitems++;
    }
    free(head);
    free(prev);
    return o;
}

static size_t lz_decompress(const uint8_t *in, size_t n, uint8_t *out, size_t cap) {
    size_t i = 0, o = 0;
    while (i < n) {
        uint8_t flags = in[i++];
        for (int k = 0; k < 8 && i < n; k++) {
            if (flags & (1u << k)) {
                if (i + 3 > n)
                    return (size_t)-1;
                size_t off = (size_t)in[i] | (size_t)in[i + 1] << 8;
                off += 1;
                size_t len = (size_t)in[i + 2] + MIN_MATCH;
                i += 3;
                if (off > o || o + len > cap)
                    return (size_t)-1;
                for (size_t m = 0; m < len; m++, o++)
                    out[o] = out[o - off];
            } else {
                if (o >= cap)
                    return (size_t)-1;
                out[o++] = in[i++];
            }
        }
    }
    return o;
}

static int run(const char *name, const uint8_t *data, size_t n) {
    uint8_t *comp = malloc(n + n / 8 + 16);
    uint8_t *back = malloc(n ? n : 1);
    size_t c = lz_compress(data, n, comp);
    memset(back, 0xAA, n);
    size_t d = lz_decompress(comp, c, back, n);
    int ok = d == n && memcmp(data, back, n) == 0;
    /* size_t is 32-bit on wasm32 and 64-bit natively: compute the ratio in
     * 64-bit so both print the same. */
    uint64_t permyriad = n ? (uint64_t)c * 10000 / n : 0;
    printf("%s: input %zu bytes crc %08x -> compressed %zu bytes crc %08x "
           "(%u.%02u%%) -> %zu bytes crc %08x: %s\n",
           name, n, crc32(data, n), c, crc32(comp, c), (unsigned)(permyriad / 100),
           (unsigned)(permyriad % 100), d, d == (size_t)-1 ? 0 : crc32(back, d),
           ok ? "round trip ok" : "ROUND TRIP FAILED");
    free(comp);
    free(back);
    return ok;
}

int main(int argc, char **argv) {
    size_t n = 1u << 20; /* 1 MiB */
    if (argc > 1)
        n = (size_t)strtoul(argv[1], NULL, 10);
    crc_init();
    printf("crc32(\"123456789\") = %08x\n", crc32((const uint8_t *)"123456789", 9));

    uint8_t *text = malloc(n);
    generate_text(text, n);
    int ok = run("text", text, n);

    size_t nn = n / 8;
    uint8_t *noise = malloc(nn);
    for (size_t i = 0; i < nn; i++)
        noise[i] = (uint8_t)(rng() >> 24);
    ok &= run("noise", noise, nn);

    /* A run of one byte value: long overlapping matches. */
    memset(noise, 'z', nn);
    ok &= run("runs", noise, nn);

    /* Small inputs and edge sizes. */
    for (size_t k = 0; k <= 5; k++)
        ok &= run(k == 0 ? "empty" : "tiny", text + 100, k);

    free(text);
    free(noise);
    printf("%s\n", ok ? "all ok" : "SOME FAILED");
    return ok ? 0 : 1;
}
