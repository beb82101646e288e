/* Freestanding code (no libc) for crates/weft/tests/all/backtraces.rs, built
 * with `clang --target=wasm32-wasi -O2 -g -nostdlib -Wl,--no-entry`: a trap in
 * a function inlined into its caller, so that DWARF gives two source frames
 * for one Wasm frame. The test finds lines by the BT: markers below: keep each
 * marker on the line it names. */

static inline __attribute__((always_inline)) int check(int x) {
    if (x < 0) {
        __builtin_trap(); /* BT:inlined-trap */
    }
    return x * 2;
}

__attribute__((export_name("run"))) int run(int x) {
    return check(x) + 1; /* BT:inlined-call */
}
