/* Clocks and randomness. Only "ok"/"fail" lines are printed, so the output is
 * deterministic; the exit code is the number of failures. */
#define _DEFAULT_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int failures;

static void check(const char *what, int ok) {
    printf("%s: %s\n", what, ok ? "ok" : "fail");
    if (!ok)
        failures++;
}

static int64_t ns(const struct timespec *t) {
    return (int64_t)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int all_zero(const unsigned char *b, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

int main(void) {
    struct timespec a, b, res;
    const int64_t year_2020 = 1577836800; /* 2020-01-01T00:00:00Z */
    const int64_t year_2200 = 7258118400; /* 2200-01-01T00:00:00Z */

    /* Monotonic clock. */
    check("clock_gettime(MONOTONIC)", clock_gettime(CLOCK_MONOTONIC, &a) == 0);
    int nondecreasing = 1;
    struct timespec prev = a;
    for (int i = 0; i < 1000; i++) {
        clock_gettime(CLOCK_MONOTONIC, &b);
        if (ns(&b) < ns(&prev))
            nondecreasing = 0;
        prev = b;
    }
    check("monotonic non-decreasing", nondecreasing);
    check("monotonic tv_nsec in range", b.tv_nsec >= 0 && b.tv_nsec < 1000000000);
    check("clock_getres(MONOTONIC)",
          clock_getres(CLOCK_MONOTONIC, &res) == 0 && ns(&res) > 0 &&
              ns(&res) <= 10000000);

    /* Wall clock. */
    struct timespec rt;
    check("clock_gettime(REALTIME)", clock_gettime(CLOCK_REALTIME, &rt) == 0);
    check("realtime after 2020 and before 2200",
          rt.tv_sec > year_2020 && rt.tv_sec < year_2200);
    time_t t = time(NULL);
    /* glibc's time() reads a coarse clock that can lag CLOCK_REALTIME by a
       tick, so across a second boundary it may still say the second
       before. */
    check("time() close to REALTIME", t >= rt.tv_sec - 1 && t - rt.tv_sec < 60);
    struct timeval tv;
    check("gettimeofday", gettimeofday(&tv, NULL) == 0 && tv.tv_sec >= rt.tv_sec &&
                              tv.tv_sec - rt.tv_sec < 60 && tv.tv_usec >= 0 &&
                              tv.tv_usec < 1000000);
    struct tm tm;
    check("gmtime_r year plausible", gmtime_r(&t, &tm) != NULL && tm.tm_year + 1900 >= 2020);

    /* Sleeping. */
    struct timespec req = {0, 10 * 1000 * 1000}, before, after;
    clock_gettime(CLOCK_MONOTONIC, &before);
    check("nanosleep 10ms", nanosleep(&req, NULL) == 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    check("nanosleep elapsed >= 10ms", ns(&after) - ns(&before) >= 10000000);
    check("nanosleep elapsed < 5s", ns(&after) - ns(&before) < 5000000000LL);

    clock_gettime(CLOCK_MONOTONIC, &before);
    check("usleep 10ms", usleep(10000) == 0);
    clock_gettime(CLOCK_MONOTONIC, &after);
    check("usleep elapsed >= 10ms", ns(&after) - ns(&before) >= 10000000);

    clock_gettime(CLOCK_REALTIME, &before);
    req.tv_nsec = 20 * 1000 * 1000;
    clock_nanosleep(CLOCK_MONOTONIC, 0, &req, NULL);
    clock_gettime(CLOCK_REALTIME, &after);
    check("realtime advanced across 20ms sleep", ns(&after) - ns(&before) >= 15000000);

    /* Randomness. */
    unsigned char r1[64], r2[64];
    memset(r1, 0, sizeof r1);
    memset(r2, 0, sizeof r2);
    check("getentropy 64", getentropy(r1, sizeof r1) == 0);
    check("getentropy 64 again", getentropy(r2, sizeof r2) == 0);
    check("getentropy not all zero", !all_zero(r1, sizeof r1));
    check("getentropy draws differ", memcmp(r1, r2, sizeof r1) != 0);
    static unsigned char r256[256];
    check("getentropy 256 (max)", getentropy(r256, sizeof r256) == 0 && !all_zero(r256, sizeof r256));

    memset(r1, 0, sizeof r1);
    memset(r2, 0, sizeof r2);
    arc4random_buf(r1, sizeof r1);
    arc4random_buf(r2, sizeof r2);
    check("arc4random_buf not all zero", !all_zero(r1, sizeof r1));
    check("arc4random_buf draws differ", memcmp(r1, r2, sizeof r1) != 0);

    /* Rough uniformity: 4096 bytes, every bit set roughly half the time. */
    static unsigned char big[4096];
    arc4random_buf(big, sizeof big);
    int ones = 0;
    for (size_t i = 0; i < sizeof big; i++)
        ones += __builtin_popcount(big[i]);
    check("arc4random bits balanced", ones > 15000 && ones < 17768);
    uint32_t u = arc4random_uniform(10);
    check("arc4random_uniform(10) < 10", u < 10);

    printf("failures: %d\n", failures);
    return failures;
}
