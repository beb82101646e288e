/* Prints argc, argv[1..] and a few environment variables.
 * argv[0] differs between native and Wasm runs, so it is not printed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void show_env(const char *name) {
    const char *v = getenv(name);
    if (v)
        printf("env %s=[%s] (len %zu)\n", name, v, strlen(v));
    else
        printf("env %s unset\n", name);
}

int main(int argc, char **argv) {
    printf("argc=%d\n", argc);
    for (int i = 1; i < argc; i++)
        printf("argv[%d]=[%s] (len %zu)\n", i, argv[i], strlen(argv[i]));
    if (argv[argc] != NULL) {
        printf("argv[argc] is not NULL\n");
        return 1;
    }
    show_env("WEFT_A");
    show_env("WEFT_B");
    show_env("WEFT_EMPTY");
    show_env("WEFT_DEFINITELY_UNSET");
    return 0;
}
