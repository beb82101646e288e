/* Allocates 512 blocks of 1 MiB with wasi-libc's malloc (each growing the
 * linear memory), writes one byte in every 4 KiB page of each, then reads
 * them all back. Exits with 1 + (sum of the bytes) % 97, which the bench
 * checks: a run that returns 0 or something else did not do the work. */
#include <stdlib.h>

enum { BLOCKS = 512, MIB = 1 << 20, PAGE = 4096 };

int main(void) {
    static unsigned char *blocks[BLOCKS];
    for (int i = 0; i < BLOCKS; i++) {
        blocks[i] = malloc(MIB);
        if (!blocks[i])
            return 100;
        for (int p = 0; p < MIB; p += PAGE)
            blocks[i][p] = (unsigned char)(i + p / PAGE);
    }
    unsigned long long sum = 0;
    for (int i = 0; i < BLOCKS; i++)
        for (int p = 0; p < MIB; p += PAGE)
            sum += blocks[i][p];
    return 1 + (int)(sum % 97);
}
