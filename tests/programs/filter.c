/* stdin -> stdout filter: uppercases ASCII letters (like `tr a-z A-Z`),
 * then prints a wc-style summary and a checksum to stdout at the end. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

int main(void) {
    unsigned char buf[4096];
    unsigned long lines = 0, words = 0, bytes = 0;
    uint32_t hash = 2166136261u; /* FNV-1a over the input */
    int in_word = 0;
    ssize_t n;
    /* Read with read(2) (short reads on pipes are normal); write via stdio. */
    while ((n = read(0, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++) {
            unsigned char c = buf[i];
            hash = (hash ^ c) * 16777619u;
            bytes++;
            if (c == '\n')
                lines++;
            if (isspace(c)) {
                in_word = 0;
            } else if (!in_word) {
                in_word = 1;
                words++;
            }
            if (c >= 'a' && c <= 'z')
                c = (unsigned char)(c - 'a' + 'A');
            buf[i] = c;
        }
        if (fwrite(buf, 1, (size_t)n, stdout) != (size_t)n) {
            perror("fwrite");
            return 1;
        }
    }
    if (n < 0) {
        perror("read");
        return 1;
    }
    printf("\n--- summary ---\n");
    printf("lines %lu words %lu bytes %lu fnv1a %08x\n", lines, words, bytes,
           (unsigned)hash);
    fflush(stdout);
    fprintf(stderr, "filter: done\n");
    return 0;
}
