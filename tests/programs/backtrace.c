/* Traps on purpose, for the backtrace tests: crates/weft-cli/tests/backtraces.rs
 * builds it with `clang --target=wasm32-wasi --sysroot=/usr -g -O0`, runs it
 * with `weft run` and WEFT_BACKTRACE_DETAILS=1, and checks the `file:line` of
 * each frame, which it finds by the BT: markers below (keep each marker on the
 * line it names). Not compared with a native build: it traps. */
#include <stdio.h>

__attribute__((noinline)) void trap_here(int depth) {
    if (depth == 0) {
        __builtin_trap(); /* BT:trap */
    }
    trap_here(depth - 1); /* BT:recurse */
}

int main(void) {
    puts("about to trap");
    fflush(stdout);
    trap_here(3); /* BT:main */
    return 0;
}
