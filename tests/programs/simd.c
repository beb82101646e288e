/* 128-bit SIMD. Built for wasm32 with `clang -msimd128` (so clang emits the
 * v128 instructions of the SIMD proposal) and natively with gcc; the outputs
 * must match. No intrinsics headers, only what both compilers accept:
 *  1. explicit vectors through the GCC/Clang vector extensions: u8x16,
 *     i8x16, i16x8, u16x8, i32x4, u32x4, i64x2, u64x2, f32x4, f64x2 -- lane
 *     arithmetic, bitwise ops, shifts by scalars and per lane, comparison
 *     masks, bit select, lane reads/writes, splats, __builtin_shufflevector,
 *     __builtin_convertvector (widening, narrowing, int<->float, f32<->f64)
 *     and bit casts between shapes, with unaligned v128 loads and stores;
 *  2. loops that clang vectorizes at -O2: integer sums and dot products,
 *     saxpy/daxpy, min/max/abs/clamp (saturating narrow), saturating and
 *     rounding-average byte ops, a 3x3 box blur, byte scanning and case
 *     mapping, popcounts, int<->float conversions, floor/ceil/trunc/rint,
 *     sqrt, 64-bit lanes, and 16x16 int and float matrix multiplies.
 * Floats use only exactly rounded operations (add, sub, mul, div, sqrt,
 * conversions, rounding) with no NaNs, min/max never see a -0/+0 tie,
 * float-to-int conversions stay in range and shift counts stay below the
 * lane width, so native x86-64 and Wasm agree bit for bit. Vectors are
 * printed as four hex words (lane 0 first), arrays as FNV-1a checksums. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef uint8_t u8x16 __attribute__((vector_size(16)));
typedef int8_t i8x16 __attribute__((vector_size(16)));
typedef int16_t i16x8 __attribute__((vector_size(16)));
typedef uint16_t u16x8 __attribute__((vector_size(16)));
typedef int32_t i32x4 __attribute__((vector_size(16)));
typedef uint32_t u32x4 __attribute__((vector_size(16)));
typedef int64_t i64x2 __attribute__((vector_size(16)));
typedef uint64_t u64x2 __attribute__((vector_size(16)));
typedef float f32x4 __attribute__((vector_size(16)));
typedef double f64x2 __attribute__((vector_size(16)));
typedef uint16_t u16x16 __attribute__((vector_size(32)));
typedef int32_t i32x8 __attribute__((vector_size(32)));
typedef int32_t i32x2 __attribute__((vector_size(8)));
typedef float f32x2 __attribute__((vector_size(8)));

static uint64_t total = 1469598103934665603ull;
static uint64_t fnv(const void *p, size_t n) {
    const uint8_t *b = p;
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    total = (total ^ h) * 1099511628211ull;
    return h;
}
static void show(const char *label, const void *v, size_t n) {
    uint32_t w[4] = {0, 0, 0, 0};
    memcpy(w, v, n);
    fnv(v, n);
    printf("%-24s %08x %08x %08x %08x\n", label, w[0], w[1], w[2], w[3]);
}
#define SHOW(label, ...)                                                                           \
    do {                                                                                           \
        __typeof__(__VA_ARGS__) r_ = (__VA_ARGS__);                                                \
        show(label, &r_, sizeof r_);                                                               \
    } while (0)
static void sum(const char *label, const void *p, size_t n) {
    printf("%-24s %016llx\n", label, (unsigned long long)fnv(p, n));
}

/* Random bytes, generated at run time so nothing constant-folds. */
static volatile uint32_t seed = 2463534242u;
static volatile int amount = 5;
static uint32_t rng_s;
static uint32_t rng(void) {
    rng_s ^= rng_s << 13;
    rng_s ^= rng_s >> 17;
    rng_s ^= rng_s << 5;
    return rng_s;
}
static uint8_t pool[256];
static void ld(void *v, int off) { memcpy(v, pool + off, 16); } /* often unaligned */

static void explicit_vectors(void) {
    int sh = amount; /* 5 */

    u8x16 a, b;
    ld(&a, 1);
    ld(&b, 37);
    b[3] = a[3];
    b[9] = a[9];
    SHOW("u8 add", a + b);
    SHOW("u8 sub", a - b);
    SHOW("u8 mul", a * b);
    SHOW("u8 and/or/xor/not", (a & b) ^ (~a | (b >> 1)));
    SHOW("u8 shl/shr", (a << (sh - 2)) + (b >> sh));
    SHOW("u8 eq", a == b);
    SHOW("u8 lt/gt", (a < b) + (a > b) * 2);
    u8x16 m = (u8x16)(a < b);
    SHOW("u8 min/max", ((a & m) | (b & ~m)) ^ ((b & m) | (a & ~m)));
    u16x16 wa = __builtin_convertvector(a, u16x16), wb = __builtin_convertvector(b, u16x16);
    SHOW("u8 avgr", __builtin_convertvector((wa + wb + 1) >> 1, u8x16));
    SHOW("u8 widen mul hi", __builtin_convertvector((wa * wb) >> 8, u8x16));
    SHOW("u8 interleave",
         __builtin_shufflevector(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23));
    SHOW("u8 reverse",
         __builtin_shufflevector(a, a, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
    SHOW("u8 concat/rotate",
         __builtin_shufflevector(a, b, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20));

    i8x16 c = (i8x16)a, d = (i8x16)b;
    SHOW("i8 lt/gt signed", (c < d) - (c >= d));
    SHOW("i8 sar/neg", (c >> (sh - 1)) - (-d));
    SHOW("i8 abs", (c ^ (c >> 7)) - (c >> 7));

    i16x8 e, f;
    ld(&e, 64);
    ld(&f, 91);
    SHOW("i16 add/sub", (e + f) ^ (e - f));
    SHOW("i16 mul", e * f);
    SHOW("i16 shl/sar/shr", (e << sh) ^ (f >> sh) ^ (i16x8)((u16x8)f >> (sh + 6)));
    SHOW("i16 cmp", (e < f) + (e <= f) + (e == f) + (e != f));
    i32x8 we = __builtin_convertvector(e, i32x8), wf = __builtin_convertvector(f, i32x8);
    SHOW("i16 q15 mul", __builtin_convertvector((we * wf + 16384) >> 15, i16x8));
    i32x8 s8 = (we + wf) * 3;
    s8 = ((s8 < -32768) & -32768) | ((s8 > 32767) & 32767) | ((s8 >= -32768) & (s8 <= 32767) & s8);
    SHOW("i16 narrow sat", __builtin_convertvector(s8, i16x8));
    i16x8 ev = __builtin_shufflevector(e, e, 0, 2, 4, 6, 0, 2, 4, 6);
    i16x8 od = __builtin_shufflevector(e, e, 1, 3, 5, 7, 1, 3, 5, 7);
    i16x8 fe = __builtin_shufflevector(f, f, 0, 2, 4, 6, 0, 2, 4, 6);
    i16x8 fo = __builtin_shufflevector(f, f, 1, 3, 5, 7, 1, 3, 5, 7);
    typedef int16_t i16x4 __attribute__((vector_size(8)));
    typedef int32_t i32x4w __attribute__((vector_size(16)));
    i16x4 ev4 = __builtin_shufflevector(ev, ev, 0, 1, 2, 3), od4 = __builtin_shufflevector(od, od, 0, 1, 2, 3);
    i16x4 fe4 = __builtin_shufflevector(fe, fe, 0, 1, 2, 3), fo4 = __builtin_shufflevector(fo, fo, 0, 1, 2, 3);
    SHOW("i16 dot", __builtin_convertvector(ev4, i32x4w) * __builtin_convertvector(fe4, i32x4w) +
                        __builtin_convertvector(od4, i32x4w) * __builtin_convertvector(fo4, i32x4w));

    i32x4 g, h;
    ld(&g, 130);
    ld(&h, 171);
    SHOW("i32 add/sub/mul", (g + h) ^ (g - h) ^ (g * h));
    SHOW("i32 div/rem", (g / ((h >> 8) | 1)) ^ (g % ((h >> 12) | 1))); /* no zero divisor */
    SHOW("i32 shifts", (g << sh) ^ (g >> (sh + 20)) ^ (i32x4)((u32x4)h >> 31));
    SHOW("i32 per-lane shifts", (g << (h & 31)) ^ (i32x4)((u32x4)g >> ((u32x4)h >> 27)));
    SHOW("i32 cmp", (g < h) + (g > h) * 2 + (g == g) * 4);
    SHOW("u32 cmp", ((u32x4)g < (u32x4)h) + ((u32x4)g >= (u32x4)h) * 2);
    i32x4 mk = g < h;
    SHOW("i32 bitselect", (g & mk) | (h & ~mk));
    i32x4 lane = g;
    lane[2] = h[1] + g[3];
    lane[0] = sh;
    SHOW("i32 lanes", lane);
    int32_t x = h[0] ^ g[1];
    SHOW("i32 splat", (i32x4){x, x, x, x} + g);
    SHOW("i32 rotate lanes", __builtin_shufflevector(g, h, 1, 2, 3, 4));
    SHOW("i32 broadcast lane", __builtin_shufflevector(h, h, 3, 3, 3, 3));
    int any = (mk[0] | mk[1] | mk[2] | mk[3]) != 0, all = (mk[0] & mk[1] & mk[2] & mk[3]) != 0;
    printf("%-24s %d %d %d\n", "i32 any/all/sum", any, all, g[0] + g[1] + g[2] + g[3]);

    i64x2 p, q;
    ld(&p, 200);
    ld(&q, 223);
    SHOW("i64 add/sub", (p + q) ^ (p - q));
    SHOW("i64 mul", (i64x2)((u64x2)p * (u64x2)q));
    SHOW("i64 shl/sar/shr", (i64x2)((u64x2)p << sh) ^ (q >> (sh + 30)) ^ (i64x2)((u64x2)q >> 60));
    SHOW("i64 cmp", (p < q) + (p > q) * 2 + (p == p) * 4 + (p != q) * 8);
    SHOW("i64 neg/abs", -p ^ ((q ^ (q >> 63)) - (q >> 63)));
    SHOW("i64 swap", __builtin_shufflevector(p, q, 1, 2));

    /* Floats from integers: odd multiples of 2^-7 are never zero. */
    f32x4 fa = (__builtin_convertvector(g >> 18, f32x4) * 2 + 1) / 128;
    f32x4 fb = (__builtin_convertvector(h >> 18, f32x4) * 2 + 1) / 128;
    SHOW("f32 add/sub", (fa + fb) - (fa - fb) * 0.3f);
    SHOW("f32 mul/div", fa * fb / (fb * fb + 1.0f));
    SHOW("f32 neg/abs", (f32x4)((u32x4)(-fa) & 0x7fffffffu) + -fb);
    SHOW("f32 cmp", (fa < fb) + (fa <= fb) * 2 + (fa == fa) * 4 + (fa != fb) * 8 + (fa >= 0) * 16);
    i32x4 fm = fa < fb;
    f32x4 mn = (f32x4)(((i32x4)fa & fm) | ((i32x4)fb & ~fm));
    f32x4 mx = (f32x4)(((i32x4)fb & fm) | ((i32x4)fa & ~fm));
    SHOW("f32 min", mn);
    SHOW("f32 max", mx);
    f32x4 r;
    for (int i = 0; i < 4; i++)
        r[i] = sqrtf(fabsf(fa[i] * 1.7f));
    SHOW("f32 sqrt", r);
    for (int i = 0; i < 4; i++)
        r[i] = floorf(fa[i] / 3) + ceilf(fb[i] / 3) * 1000 + truncf(fa[i] / 7) * 1e6f;
    SHOW("f32 floor/ceil/trunc", r);
    for (int i = 0; i < 4; i++)
        r[i] = rintf(fa[i] * 0.5f) + rintf(fb[i] * 0.25f) * 4096;
    SHOW("f32 rint", r);
    SHOW("f32->i32", __builtin_convertvector(fa * 1000.5f, i32x4));
    SHOW("i32->f32", __builtin_convertvector(g, f32x4));
    SHOW("u32->f32", __builtin_convertvector((u32x4)h, f32x4));
    SHOW("f32 swizzle", __builtin_shufflevector(fa, fb, 7, 0, 5, 2));

    f64x2 da = __builtin_convertvector(__builtin_shufflevector(fa, fa, 0, 1), f64x2);
    f64x2 db = __builtin_convertvector(__builtin_shufflevector(fb, fb, 2, 3), f64x2);
    SHOW("f32->f64", da);
    SHOW("f64 arith", (da + db) * (da - db) / (db * db + 3.0));
    SHOW("f64 cmp", (da < db) + (da >= db) * 2 + (da != db) * 4);
    f64x2 dr;
    for (int i = 0; i < 2; i++)
        dr[i] = sqrt(fabs(da[i] * 2.9)) + floor(db[i] / 3) + ceil(da[i] / 7) + trunc(db[i] / 5);
    SHOW("f64 sqrt/round", dr);
    f32x2 dm = __builtin_convertvector(da / 3.0, f32x2);
    SHOW("f64->f32", __builtin_shufflevector(dm, (f32x2){0, 0}, 0, 1, 2, 3));
    SHOW("i32->f64", __builtin_convertvector(__builtin_shufflevector(g, g, 2, 3), f64x2));
    SHOW("f64->i32", __builtin_convertvector(db * 12345.5, i32x2));
}

/* ---- loops for the auto-vectorizer ---- */

#define N 1003
static int32_t A32[N], B32[N], C32[N];
static int16_t A16[N], B16[N], C16[N];
static uint8_t A8[N], B8[N], C8[N];
static uint64_t A64[N], C64[N];
static float AF[N], BF[N], CF[N];
static double AD[N], CD[N];
#define W 64
#define H 48
static uint8_t img[H][W], blur[H][W];
static char text[N];
static int32_t MA[16][16], MB[16][16], MC[16][16];
static float FA[16][16], FB[16][16], FC[16][16];

#define NOINLINE __attribute__((noinline))
NOINLINE static int64_t sum_i32(void) {
    int64_t s = 0;
    for (int i = 0; i < N; i++)
        s += A32[i];
    return s;
}
NOINLINE static uint32_t sum_u8(void) {
    uint32_t s = 0;
    for (int i = 0; i < N; i++)
        s += A8[i];
    return s;
}
NOINLINE static int32_t dot_i16(void) {
    int32_t s = 0;
    for (int i = 0; i < N; i++)
        s += (A16[i] >> 5) * (B16[i] >> 5);
    return s;
}
NOINLINE static void saxpy(float a) {
    for (int i = 0; i < N; i++)
        CF[i] = a * AF[i] + BF[i];
}
NOINLINE static void daxpy(double a) {
    for (int i = 0; i < N; i++)
        CD[i] = a * AD[i] + CD[i];
}
NOINLINE static void minmax(int32_t *mn, int32_t *mx, uint8_t *umn, uint8_t *umx) {
    int32_t a = A32[0], b = A32[0];
    uint8_t c = 255, d = 0;
    for (int i = 0; i < N; i++) {
        a = A32[i] < a ? A32[i] : a;
        b = A32[i] > b ? A32[i] : b;
        c = A8[i] < c ? A8[i] : c;
        d = A8[i] > d ? A8[i] : d;
    }
    *mn = a, *mx = b, *umn = c, *umx = d;
}
NOINLINE static void abs_clamp(void) {
    for (int i = 0; i < N; i++) {
        int32_t v = A32[i] >> 8;
        C32[i] = v < 0 ? -v : v;
        int32_t w = (A16[i] + B16[i]) * 2;
        C16[i] = w < -32768 ? -32768 : w > 32767 ? 32767 : w;
        int16_t y = A16[i] >> 6;
        C8[i] = y < 0 ? 0 : y > 255 ? 255 : y;
    }
}
NOINLINE static void bytes_sat_avg(uint8_t *add, uint8_t *sub, uint8_t *avg) {
    for (int i = 0; i < N; i++) {
        unsigned s = A8[i] + B8[i];
        add[i] = s > 255 ? 255 : s;
        sub[i] = A8[i] > B8[i] ? A8[i] - B8[i] : 0;
        avg[i] = (A8[i] + B8[i] + 1) >> 1;
    }
}
NOINLINE static void i16_sat(int16_t *out) {
    for (int i = 0; i < N; i++) {
        int s = A16[i] + B16[i];
        out[i] = s > 32767 ? 32767 : s < -32768 ? -32768 : s;
    }
}
NOINLINE static void box_blur(void) {
    for (int y = 1; y < H - 1; y++)
        for (int x = 1; x < W - 1; x++) {
            unsigned s = 0;
            for (int dy = -1; dy <= 1; dy++)
                s += img[y + dy][x - 1] + img[y + dy][x] + img[y + dy][x + 1];
            blur[y][x] = s / 9;
        }
}
NOINLINE static int count_spaces(void) {
    int n = 0;
    for (int i = 0; i < N; i++)
        n += text[i] == ' ';
    return n;
}
NOINLINE static void to_upper(char *s) {
    for (int i = 0; i < N; i++)
        s[i] = (s[i] >= 'a' && s[i] <= 'z') ? s[i] - 32 : s[i];
}
NOINLINE static void popcounts(void) {
    for (int i = 0; i < N; i++)
        C8[i] = __builtin_popcount(A8[i]);
}
NOINLINE static void conversions(void) {
    for (int i = 0; i < N; i++) {
        CF[i] = (float)A32[i] + (float)(uint32_t)B32[i];
        C32[i] = (int32_t)(BF[i] * 1000.0f);
        CD[i] = (double)AF[i] * (double)A32[i];
        C16[i] = (int16_t)(int32_t)AF[i];
    }
}
NOINLINE static void demote(float *out, int32_t *iout) {
    for (int i = 0; i < N; i++) {
        out[i] = (float)(AD[i] / 7.0);
        iout[i] = (int32_t)(AD[i] * 100.0);
    }
}
NOINLINE static void rounding(float *out) {
    for (int i = 0; i < N; i++)
        out[i] = floorf(AF[i]) + ceilf(BF[i]) * 256 + truncf(AF[i] * 3) * 65536 +
                 rintf(BF[i] * 5) * 0.5f + sqrtf(fabsf(AF[i])) + (AF[i] < BF[i] ? AF[i] : BF[i]);
}
NOINLINE static void lanes64(void) {
    for (int i = 0; i < N; i++)
        C64[i] = (A64[i] * 0x9e3779b97f4a7c15ull) ^ (A64[i] >> 17) ^ (A64[i] << 9) ^
                 ((int64_t)A64[i] < 0 ? 1 : 0);
}
NOINLINE static void matmul(void) {
    for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 16; j++)
            MC[i][j] = 0, FC[i][j] = 0;
        for (int k = 0; k < 16; k++)
            for (int j = 0; j < 16; j++) {
                MC[i][j] += MA[i][k] * MB[k][j];
                FC[i][j] += FA[i][k] * FB[k][j];
            }
    }
}

int main(void) {
    rng_s = seed;
    for (int i = 0; i < (int)sizeof pool; i++)
        pool[i] = rng() >> 24;
    explicit_vectors();

    for (int i = 0; i < N; i++) {
        A32[i] = (int32_t)rng();
        B32[i] = (int32_t)rng();
        A16[i] = (int16_t)rng();
        B16[i] = (int16_t)rng();
        A8[i] = rng() >> 24;
        B8[i] = rng() >> 24;
        A64[i] = (uint64_t)rng() << 32 | rng();
        AF[i] = (float)(2 * (int)(rng() % 20000) - 19999) / 128; /* odd / 128: never 0 */
        BF[i] = (float)(2 * (int)(rng() % 20000) - 19999) / 128 * 1.1f;
        AD[i] = (double)AF[i] * 3.3 + 1e-3;
        CD[i] = (double)BF[i];
        text[i] = " abcdefghijklmnopqrstuvwxyzAZ.,!{"[rng() % 33];
    }
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++)
            img[y][x] = (rng() >> 24) / 2 + (x * y) % 128;
    for (int i = 0; i < 16; i++)
        for (int j = 0; j < 16; j++) {
            MA[i][j] = (int32_t)(rng() % 2001) - 1000;
            MB[i][j] = (int32_t)(rng() % 2001) - 1000;
            FA[i][j] = (float)((int)(rng() % 2001) - 1000) / 64 * 1.3f;
            FB[i][j] = (float)((int)(rng() % 2001) - 1000) / 32 * 0.7f;
        }

    printf("%-24s %lld\n", "sum i32", (long long)sum_i32());
    printf("%-24s %u\n", "sum u8", sum_u8());
    printf("%-24s %d\n", "dot i16", dot_i16());
    saxpy(1.75f);
    sum("saxpy", CF, sizeof CF);
    printf("%-24s %.6f %.6f\n", "saxpy[0], [N-1]", CF[0], CF[N - 1]);
    daxpy(-0.3);
    sum("daxpy", CD, sizeof CD);
    int32_t mn, mx;
    uint8_t umn, umx;
    minmax(&mn, &mx, &umn, &umx);
    printf("%-24s %d %d %u %u\n", "min/max", mn, mx, umn, umx);
    abs_clamp();
    sum("abs i32", C32, sizeof C32);
    sum("clamp i32->i16", C16, sizeof C16);
    sum("clamp i16->u8", C8, sizeof C8);
    static uint8_t sadd[N], ssub[N], avg[N];
    bytes_sat_avg(sadd, ssub, avg);
    sum("u8 add_sat", sadd, N);
    sum("u8 sub_sat", ssub, N);
    sum("u8 avgr", avg, N);
    static int16_t s16[N];
    i16_sat(s16);
    sum("i16 add_sat", s16, sizeof s16);
    box_blur();
    sum("box blur", blur, sizeof blur);
    printf("%-24s %u %u %u\n", "blur samples", blur[1][1], blur[20][33], blur[H - 2][W - 2]);
    printf("%-24s %d\n", "spaces", count_spaces());
    to_upper(text);
    sum("upper", text, N);
    printf("%-24s %.40s\n", "upper text", text);
    popcounts();
    sum("popcount", C8, N);
    conversions();
    sum("int->float", CF, sizeof CF);
    sum("float->int", C32, sizeof C32);
    sum("f32->f64", CD, sizeof CD);
    sum("f32->i16", C16, sizeof C16);
    static float dm[N];
    demote(dm, C32);
    sum("f64->f32", dm, sizeof dm);
    sum("f64->i32", C32, sizeof C32);
    rounding(CF);
    sum("round/sqrt/min", CF, sizeof CF);
    printf("%-24s %.6f %.6f\n", "round[1], [N-2]", CF[1], CF[N - 2]);
    lanes64();
    sum("i64 lanes", C64, sizeof C64);
    matmul();
    sum("matmul i32", MC, sizeof MC);
    sum("matmul f32", FC, sizeof FC);
    printf("%-24s %d %.6f\n", "matmul [3][5]", MC[3][5], FC[3][5]);
    printf("%-24s %016llx\n", "total", (unsigned long long)total);
    return 0;
}
