/* Float math: Mandelbrot set, W x H points, up to MAXIT iterations, f64. */
#include "common.h"

#define W 320
#define H 240
#define MAXIT 256

unsigned long long run(void) {
    uint64_t total = 0, inside = 0;
    for (int py = 0; py < H; py++) {
        double ci = -1.2 + 2.4 * py / H;
        for (int px = 0; px < W; px++) {
            double cr = -2.1 + 3.0 * px / W;
            double zr = 0.0, zi = 0.0, zr2 = 0.0, zi2 = 0.0;
            int it = 0;
            while (it < MAXIT && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                it++;
            }
            total += it;
            inside += it == MAXIT;
        }
    }
    return mix(total, inside);
}
