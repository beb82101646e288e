/* Floating point bit-exactness: IEEE arithmetic (f32 and f64), sqrt, fma,
 * rounding functions, min/max, signed zeros, conversions, strtod/printf
 * round trips, qsort of doubles and a few libm functions. Values are printed
 * as bit patterns and with %.17g / %.9g so that any difference shows.
 * NaN sign bits are not printed: Wasm leaves them nondeterministic. */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t bits64(double d) {
    uint64_t u;
    memcpy(&u, &d, 8);
    return u;
}
static uint32_t bits32(float f) {
    uint32_t u;
    memcpy(&u, &f, 4);
    return u;
}

static uint64_t hash = 1469598103934665603ull;
static void mix(uint64_t v) {
    for (int i = 0; i < 8; i++) {
        hash ^= (v >> (8 * i)) & 0xFF;
        hash *= 1099511628211ull;
    }
}

static void pd(const char *label, double d) {
    if (isnan(d))
        printf("%-28s nan\n", label);
    else
        printf("%-28s %016llx %.17g\n", label, (unsigned long long)bits64(d), d);
}
static void pf(const char *label, float f) {
    if (isnan(f))
        printf("%-28s nan\n", label);
    else
        printf("%-28s %08x %.9g\n", label, (unsigned)bits32(f), (double)f);
}

/* Keep the compiler from constant-folding everything. */
static volatile double vd[] = {0.1, 0.2, 0.3, 1.0, 3.0, -0.0, 1e308, 5e-324, 2.5, -2.5, 0.5, 1.5};
static volatile float vf[] = {0.1f, 0.2f, 3.0f, 16777216.0f, 1e38f, 1e-45f};

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static uint64_t lcg = 12345;
static double rnd_double(void) {
    lcg = lcg * 6364136223846793005ull + 1442695040888963407ull;
    uint64_t u = lcg >> 11;
    double m = (double)u / 9007199254740992.0; /* [0,1) */
    int e = (int)((lcg >> 3) % 80) - 40;
    return (lcg & 4 ? -1 : 1) * m * pow(10.0, e);
}

int main(void) {
    double a = vd[0], b = vd[1], c = vd[2], one = vd[3], three = vd[4];
    double nz = vd[5], big = vd[6], tiny = vd[7];

    pd("0.1+0.2", a + b);
    pd("0.1+0.2==0.3", (double)(a + b == c));
    pd("1/3", one / three);
    pd("sqrt(2)", sqrt(one + one));
    pd("sqrt(-0)", sqrt(nz));
    pd("fma(0.1,0.2,-0.02)", fma(a, b, -0.02));
    pd("0.1*0.2-0.02", a * b - 0.02);
    pd("1e308*10", big * 10);
    pd("-1e308*10", -big * 10);
    pd("min subnormal/2", tiny / 2);
    pd("min subnormal*0.5+tiny", tiny * 0.5 + tiny);
    pd("DBL_MAX", DBL_MAX);
    pd("DBL_EPSILON", DBL_EPSILON);
    pd("1/-0", one / nz);
    pd("0/0 is nan", nz / nz);
    pd("-0 + 0", nz + 0.0);
    pd("-0 * 1", nz * one);
    /* fmin/fmax of -0 and +0 may return either zero in C (glibc: the
     * first, Wasm f64.min: -0), so only unambiguous cases are printed. */
    pd("fmin(-1,0.5)", fmin(-one, b + b + a));
    pd("fmax(-1,0.5)", fmax(-one, b + b + a));
    pd("fmin(nan,1)", fmin(nz / nz, one));
    pd("copysign(3,-0)", copysign(three, nz));
    pd("fabs(-0)", fabs(nz));
    for (int i = 8; i < 12; i++) {
        char l[64];
        double x = vd[i];
        snprintf(l, sizeof l, "floor(%g)", x); pd(l, floor(x));
        snprintf(l, sizeof l, "ceil(%g)", x); pd(l, ceil(x));
        snprintf(l, sizeof l, "trunc(%g)", x); pd(l, trunc(x));
        snprintf(l, sizeof l, "rint(%g)", x); pd(l, rint(x));
        snprintf(l, sizeof l, "nearbyint(%g)", x); pd(l, nearbyint(x));
        snprintf(l, sizeof l, "round(%g)", x); pd(l, round(x));
        snprintf(l, sizeof l, "(long long)%g", x);
        printf("%-28s %lld\n", l, (long long)x);
    }

    float fa = vf[0], fb = vf[1], f3 = vf[2], f2p24 = vf[3], fbig = vf[4], ftiny = vf[5];
    pf("0.1f+0.2f", fa + fb);
    pf("1f/3f", 1.0f / f3);
    pf("sqrtf(2)", sqrtf(2.0f * vf[3] / f2p24));
    pf("2^24+1 (f32)", f2p24 + 1.0f);
    pf("1e38f*10", fbig * 10.0f);
    pf("min f32 subnormal/2", ftiny / 2.0f);
    pf("(float)0.1", (float)vd[0]);
    pd("(double)0.1f", (double)fa);
    pf("fmaf(.1,.2,-.02)", fmaf(fa, fb, -0.02f));
    pf("(float)(1+2^-24+2^-50)", (float)(one + 0x1p-24 + 0x1p-50));

    /* Integer <-> float conversions. */
    volatile int64_t i64 = 9007199254740993LL; /* 2^53 + 1 */
    volatile uint64_t u64 = 18446744073709551615ull;
    volatile int32_t i32 = -2147483647 - 1;
    volatile uint32_t u32 = 4294967295u;
    pd("(double)(2^53+1)", (double)i64);
    pd("(double)UINT64_MAX", (double)u64);
    pf("(float)(2^53+1)", (float)i64);
    pf("(float)UINT64_MAX", (float)u64);
    pd("(double)INT32_MIN", (double)i32);
    pf("(float)UINT32_MAX", (float)u32);
    printf("%-28s %llu\n", "(uint64)1.8e19", (unsigned long long)(vd[3] * 1.8e19));
    printf("%-28s %d\n", "(int)-2147483648.9", (int)(-2147483648.9 * vd[3]));

    /* strtod / printf round trips over generated values. */
    int rt_fail = 0;
    double vals[2000];
    for (int i = 0; i < 2000; i++) {
        double x = rnd_double();
        vals[i] = x;
        char s[64];
        snprintf(s, sizeof s, "%.17g", x);
        double y = strtod(s, NULL);
        if (bits64(x) != bits64(y))
            rt_fail++;
        for (char *p = s; *p; p++)
            mix((uint64_t)(unsigned char)*p);
        snprintf(s, sizeof s, "%.6e|%f|%g", x, x > 1e15 || x < -1e15 ? 0.0 : x, x);
        for (char *p = s; *p; p++)
            mix((uint64_t)(unsigned char)*p);
        float f = (float)x;
        snprintf(s, sizeof s, "%.9g", (double)f);
        if (bits32(strtof(s, NULL)) != bits32(f))
            rt_fail++;
    }
    printf("strtod/strtof round trip failures: %d\n", rt_fail);
    printf("printf text hash: %016llx\n", (unsigned long long)hash);
    static const char *inputs[] = {"0.1", "1e-400", "1e400", "-0", "0x1.8p1", "2.2250738585072011e-308",
                                   "4.9406564584124654e-324", "179769313486231580793728971405301e276",
                                   "  42abc", "nan", "-inf", "1.00000000000000011102230246251565404236316680908203125"};
    for (size_t i = 0; i < sizeof inputs / sizeof inputs[0]; i++) {
        char *end;
        double d = strtod(inputs[i], &end);
        char l[80];
        snprintf(l, sizeof l, "strtod(\"%s\")", inputs[i]);
        l[27] = 0;
        pd(l, d);
        printf("%-28s consumed %d\n", "", (int)(end - inputs[i]));
    }

    /* Sort and sum (order-sensitive summation). */
    qsort(vals, 2000, sizeof vals[0], cmp_double);
    double sum = 0, kahan = 0, comp = 0;
    for (int i = 0; i < 2000; i++) {
        sum += vals[i];
        double y = vals[i] - comp, t = kahan + y;
        comp = (t - kahan) - y;
        kahan = t;
    }
    pd("sorted min", vals[0]);
    pd("sorted median", vals[1000]);
    pd("sorted max", vals[1999]);
    pd("naive sum", sum);
    pd("kahan sum", kahan);

    /* Polynomial/iteration math using only + - * / (must be bit-exact). */
    double x = 0.5, s = 0, term = x;
    for (int n = 1; n < 40; n += 2) { /* sin series */
        s += term;
        term *= -x * x / ((n + 1) * (n + 2));
    }
    pd("series sin(0.5)", s);
    double r = 1.0;
    for (int i = 0; i < 60; i++) /* Newton sqrt(10) */
        r = 0.5 * (r + 10.0 / r);
    pd("newton sqrt(10)", r);
    double lg = 0.7;
    for (int i = 0; i < 1000; i++) /* logistic map: chaotic, amplifies any difference */
        lg = 3.99 * lg * (1 - lg);
    pd("logistic map 1000", lg);
    float lgf = 0.7f;
    for (int i = 0; i < 1000; i++)
        lgf = 3.99f * lgf * (1 - lgf);
    pf("logistic map f32 1000", lgf);

    /* libm transcendental functions: glibc and wasi-libc (musl) may differ
     * in the last bit for some of these, so print 12 significant digits. */
    double xs[] = {0.5, 1.0, 2.0, 10.0, 100.5};
    for (size_t i = 0; i < sizeof xs / sizeof xs[0]; i++) {
        double v = xs[i] * vd[3];
        printf("x=%-6g sin %.12g cos %.12g exp %.12g log %.12g pow(x,1.5) %.12g atan %.12g\n",
               v, sin(v), cos(v), exp(v), log(v), pow(v, 1.5), atan(v));
    }
    return 0;
}
