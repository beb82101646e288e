/* libc string and memory routines over malloc'd strings, built with
 * -mbulk-memory so that memcpy/memmove/memset in this file become Wasm
 * memory.copy/memory.fill (strlen, strchr, memcmp, strcmp and strstr are
 * wasi-libc's own code). SIZE rounds over 256 strings of 16..527 bytes. */
#include <string.h>
#include "common.h"

#define COUNT 256

int main(int argc, char **argv) {
    long rounds = arg_size(argc, argv, 300);
    char **s = xmalloc(COUNT * sizeof *s);
    size_t total = 0;
    for (int i = 0; i < COUNT; i++) {
        size_t len = 16 + (size_t)(rng() % 512);
        s[i] = xmalloc(len + 1);
        for (size_t j = 0; j < len; j++)
            s[i][j] = (char)('a' + rng() % 16);  /* no 'z' in the strings */
        s[i][len] = 0;
        total += len + 1;
    }
    char *buf = xmalloc(total + 64);
    char *tmp = xmalloc(1024);
    uint64_t h = 0;
    for (long r = 0; r < rounds; r++) {
        /* Concatenate every string with memcpy, their lengths with strlen. */
        size_t off = 0;
        for (int i = 0; i < COUNT; i++) {
            size_t len = strlen(s[i]);
            memcpy(buf + off, s[i], len + 1);
            off += len + 1;
            h += len;
        }
        /* Compare neighbours and search characters. */
        for (int i = 0; i < COUNT; i++) {
            const char *a = s[i], *b = s[(i + r) % COUNT];
            h = h * 31 + (uint64_t)(memcmp(a, b, 16) > 0);
            h = h * 31 + (uint64_t)(strcmp(a, b) < 0);
            const char *p = strchr(a, 'a' + (int)((i + r) % 16));
            h += p ? (uint64_t)(p - a) : 1000;
            h += strchr(a, 'z') == NULL;
            const char *q = strstr(a, "abc");
            h += q ? (uint64_t)(q - a) : 7;
        }
        /* Shift a window with memmove, clear it with memset. */
        size_t w = 512 + (size_t)(r % 256);
        memcpy(tmp, buf + (size_t)r % 4096, w);
        memmove(tmp + 7, tmp, w - 64);
        h += (unsigned char)tmp[w / 2];
        memset(tmp, (int)(r & 0x7f), w);
        h += (unsigned char)tmp[r % (long)w];
        /* Rotate the strings by one character each (memmove in place). */
        for (int i = 0; i < COUNT; i += 8) {
            size_t len = strlen(s[i]);
            char c = s[i][0];
            memmove(s[i], s[i] + 1, len - 1);
            s[i][len - 1] = c;
        }
    }
    printf("strings %ld %llu\n", rounds, (unsigned long long)h);
    for (int i = 0; i < COUNT; i++)
        free(s[i]);
    free(s);
    free(buf);
    free(tmp);
    return 0;
}
