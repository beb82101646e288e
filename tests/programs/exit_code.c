/* Writes to stdout (left buffered, so exit() must flush it) and stderr, runs
 * an atexit handler, and exits with status 3 via exit(3). */
#include <stdio.h>
#include <stdlib.h>

static void on_exit_handler(void) {
    printf("atexit handler ran\n");
}

static volatile int status = 3;

static void die(void) {
    fprintf(stderr, "error: exiting with status %d from deep in the stack\n", status);
    if (status != 0)
        exit(status);
}

static int depth(int n) {
    if (n > 0)
        return depth(n - 1) + 1;
    die();
    return 0;
}

int main(void) {
    atexit(on_exit_handler);
    printf("about to exit with status 3\n");
    printf("this line is still buffered when exit() is called");
    putchar('\n');
    setvbuf(stderr, NULL, _IONBF, 0);
    int r = depth(50);
    printf("not reached %d\n", r);
    return 0;
}
