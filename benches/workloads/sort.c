/* Memory-heavy: quicksort (median of three, insertion sort for small
 * ranges) and heapsort of N pseudo-random i32s in linear memory. */
#include "common.h"

#define N (1 << 18)
static int32_t a[N], b[N];

static void insertion(int32_t *v, int n) {
    for (int i = 1; i < n; i++) {
        int32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static void quicksort(int32_t *v, int n) {
    while (n > 16) {
        int32_t p0 = v[0], p1 = v[n / 2], p2 = v[n - 1];
        int32_t p = p0 < p1 ? (p1 < p2 ? p1 : (p0 < p2 ? p2 : p0))
                            : (p0 < p2 ? p0 : (p1 < p2 ? p2 : p1));
        int i = 0, j = n - 1;
        for (;;) {
            while (v[i] < p) i++;
            while (v[j] > p) j--;
            if (i >= j) break;
            int32_t t = v[i]; v[i] = v[j]; v[j] = t;
            i++; j--;
        }
        /* recurse into the smaller half, loop on the larger */
        if (j + 1 < n - j - 1) {
            quicksort(v, j + 1);
            v += j + 1; n -= j + 1;
        } else {
            quicksort(v + j + 1, n - j - 1);
            n = j + 1;
        }
    }
    insertion(v, n);
}

static void sift(int32_t *v, int root, int n) {
    int32_t x = v[root];
    for (;;) {
        int c = 2 * root + 1;
        if (c >= n) break;
        if (c + 1 < n && v[c + 1] > v[c]) c++;
        if (v[c] <= x) break;
        v[root] = v[c];
        root = c;
    }
    v[root] = x;
}

static void heapsort(int32_t *v, int n) {
    for (int i = n / 2 - 1; i >= 0; i--)
        sift(v, i, n);
    for (int i = n - 1; i > 0; i--) {
        int32_t t = v[0]; v[0] = v[i]; v[i] = t;
        sift(v, 0, i);
    }
}

unsigned long long run(void) {
    rng_seed(12345);
    for (int i = 0; i < N; i++)
        a[i] = b[i] = (int32_t)rng();
    quicksort(a, N);
    heapsort(b, N);
    uint64_t h = 0;
    for (int i = 0; i < N; i++) {
        if (a[i] != b[i] || (i && a[i - 1] > a[i]))
            return 0; /* not sorted: a checksum neither runtime should give */
        h = mix(h, (uint32_t)a[i]);
    }
    return h;
}
