/* C++ that traps in a method, for crates/weft-cli/tests/backtraces.rs: built
 * with `clang --target=wasm32-wasi --sysroot=/usr -x c++ -g -O0
 * -fno-exceptions` (no C++ library needed), its name section and DWARF hold
 * the mangled name `_ZN6shapes6Widget7explodeEi`, which `weft run` must print
 * as `shapes::Widget::explode(int)`. Keep each BT: marker on its line. */
#include <stdio.h>

namespace shapes {
struct Widget {
    int size;
    __attribute__((noinline)) int explode(int by) {
        if (by > size) {
            __builtin_trap(); /* BT:explode */
        }
        return size - by;
    }
};
} // namespace shapes

int main() {
    shapes::Widget w{3};
    printf("%d\n", w.explode(1));
    return w.explode(5); /* BT:call */
}
