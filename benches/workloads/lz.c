/* A real C program: an LZ77 compressor (LZ4-like byte format, hash chains
 * over a 64 KiB window, lazy matching) and its decompressor, on 512 KiB of
 * generated text with repeats and some noise; round trip and CRC-32 checked. */
#include "common.h"

#define SIZE (512 * 1024)
#define WINDOW 65536
#define HASH_BITS 15
#define MIN_MATCH 4
#define MAX_CHAIN 32

static unsigned char input[SIZE];
static unsigned char packed[SIZE + SIZE / 8 + 64];
static unsigned char output[SIZE];
static int32_t head[1 << HASH_BITS];
static int32_t prev[WINDOW];

static const char *words[] = {
    "the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "wasm",
    "interpreter", "register", "stack", "memory", "linear", "function", "module",
    "instance", "table", "global", "export", "import", "branch", "loop", "block",
    "compress", "window", "hash", "chain", "literal", "match", "offset", "length",
};

static void generate(void) {
    rng_seed(42);
    uint32_t n = 0;
    while (n < SIZE) {
        uint32_t r = rng();
        if ((r & 63) == 0) { /* noise */
            for (int k = 0; k < 16 && n < SIZE; k++) input[n++] = (unsigned char)rng();
        } else if ((r & 63) == 1 && n > 1000) { /* long repeat from earlier */
            uint32_t from = n - 1 - (rng() % 900), len = 20 + (rng() & 127);
            for (uint32_t k = 0; k < len && n < SIZE; k++) input[n++] = input[from + k];
        } else {
            const char *w = words[(r >> 8) % (sizeof words / sizeof *words)];
            while (*w && n < SIZE) input[n++] = (unsigned char)*w++;
            if (n < SIZE) input[n++] = (r >> 20) & 1 ? ' ' : ((r >> 21) & 7) == 0 ? '\n' : ' ';
        }
    }
}

static inline uint32_t hash4(const unsigned char *p) {
    uint32_t v = p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
    return (v * 2654435761u) >> (32 - HASH_BITS);
}

static inline uint32_t match_len(const unsigned char *a, const unsigned char *b, uint32_t max) {
    uint32_t n = 0;
    while (n < max && a[n] == b[n]) n++;
    return n;
}

static void insert(uint32_t pos) {
    uint32_t h = hash4(input + pos);
    prev[pos & (WINDOW - 1)] = head[h];
    head[h] = (int32_t)pos;
}

static uint32_t best_match(uint32_t pos, uint32_t n, uint32_t *off) {
    uint32_t best = 0, max = n - pos;
    if (max > 65535 + MIN_MATCH) max = 65535 + MIN_MATCH;
    int32_t cand = head[hash4(input + pos)];
    for (int chain = 0; cand >= 0 && chain < MAX_CHAIN; chain++) {
        if (pos - (uint32_t)cand >= WINDOW) break;
        if (input[cand + best] == input[pos + best]) {
            uint32_t l = match_len(input + cand, input + pos, max);
            if (l > best) { best = l; *off = pos - (uint32_t)cand; if (l == max) break; }
        }
        cand = prev[cand & (WINDOW - 1)];
    }
    return best >= MIN_MATCH ? best : 0;
}

static unsigned char *put_len(unsigned char *o, uint32_t v) {
    while (v >= 255) { *o++ = 255; v -= 255; }
    *o++ = (unsigned char)v;
    return o;
}

/* token: high nibble literal count, low nibble match length - 4 (15 = more) */
static uint32_t compress(uint32_t n) {
    for (uint32_t i = 0; i < (1u << HASH_BITS); i++) head[i] = -1;
    unsigned char *o = packed;
    uint32_t pos = 0, lit = 0;
    while (pos + MIN_MATCH <= n) {
        uint32_t off = 0, len = best_match(pos, n, &off);
        if (len && pos + 1 + MIN_MATCH <= n) { /* lazy: is the next one longer? */
            insert(pos);
            uint32_t off2 = 0, len2 = best_match(pos + 1, n, &off2);
            if (len2 > len + 1) { pos++; len = len2; off = off2; }
            else { /* undo nothing: pos stays inserted */ }
        }
        if (!len) { insert(pos); pos++; continue; }
        uint32_t litn = pos - lit, ml = len - MIN_MATCH;
        unsigned char *token = o++;
        *token = (unsigned char)((litn < 15 ? litn : 15) << 4 | (ml < 15 ? ml : 15));
        if (litn >= 15) o = put_len(o, litn - 15);
        memcpy(o, input + lit, litn); o += litn;
        *o++ = (unsigned char)off; *o++ = (unsigned char)(off >> 8);
        if (ml >= 15) o = put_len(o, ml - 15);
        for (uint32_t k = 0; k < len; k++)
            if (pos + k + MIN_MATCH <= n) insert(pos + k);
        pos += len;
        lit = pos;
    }
    uint32_t litn = n - lit;
    unsigned char *token = o++;
    *token = (unsigned char)((litn < 15 ? litn : 15) << 4);
    if (litn >= 15) o = put_len(o, litn - 15);
    memcpy(o, input + lit, litn); o += litn;
    return (uint32_t)(o - packed);
}

static uint32_t decompress(uint32_t plen) {
    const unsigned char *p = packed, *end = packed + plen;
    unsigned char *o = output;
    for (;;) {
        uint32_t t = *p++, litn = t >> 4, ml = t & 15;
        if (litn == 15) { uint32_t b; do { b = *p++; litn += b; } while (b == 255); }
        memcpy(o, p, litn); o += litn; p += litn;
        if (p >= end) break;
        uint32_t off = p[0] | p[1] << 8; p += 2;
        if (ml == 15) { uint32_t b; do { b = *p++; ml += b; } while (b == 255); }
        ml += MIN_MATCH;
        const unsigned char *s = o - off;
        while (ml--) *o++ = *s++; /* may overlap: byte by byte */
    }
    return (uint32_t)(o - output);
}

static uint32_t crc32(const unsigned char *p, uint32_t n) {
    static uint32_t table[256];
    if (!table[1])
        for (uint32_t i = 0; i < 256; i++) {
            uint32_t c = i;
            for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
    uint32_t c = 0xffffffffu;
    while (n--) c = table[(c ^ *p++) & 255] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

unsigned long long run(void) {
    generate();
    uint32_t plen = compress(SIZE);
    uint32_t olen = decompress(plen);
    if (olen != SIZE) return 1;
    for (uint32_t i = 0; i < SIZE; i++)
        if (output[i] != input[i]) return 2;
    return mix(mix(plen, crc32(input, SIZE)), crc32(packed, plen));
}
