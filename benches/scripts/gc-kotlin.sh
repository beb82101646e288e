#!/usr/bin/env bash
# The GC benchmark: the Kotlin/Wasm programs of tests/realworld/kotlin/
# (WebAssembly GC: objects, strings as i16 arrays, casts, exceptions)
# under `weft run -W gc` and under Wasmtime 48 (the `wasmtime` PyPI wheel
# with GC on, tests/realworld/kotlin_wasmtime.py), in the same run, each
# RUNS times; prints the median wall seconds, Weft's peak RSS and the
# ratio, then Weft's collector statistics (`-D gc-stats`: collections,
# pause times, heap sizes) of one more run of each module. Every run's output must equal tests/realworld/kotlin/NAME.expected.
# Wasmtime's time is its compile plus run as measured in its process
# (Python's own start-up not counted); Weft's is the whole process.
#
#   RUNS=3 benches/scripts/gc-kotlin.sh
#
#   WEFT=path         the weft binary (default: a release build of weft-cli)
#   WASMTIME_PY=path  a Python with `wasmtime` 48.0.0 (default: the venv of
#                     vs-wasmtime.sh under ~/.cache/weft-bench/wasmtime-py-48)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-3}
dir="$root/tests/realworld/kotlin"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ -z "${WEFT:-}" ]; then
  (cd "$root" && cargo build -q --release --locked -p weft-cli)
  WEFT="${CARGO_TARGET_DIR:-$root/target}/release/weft"
fi
if [ -z "${WASMTIME_PY:-}" ]; then
  venv=$HOME/.cache/weft-bench/wasmtime-py-48
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q wasmtime==48.0.0
  fi
  WASMTIME_PY=$venv/bin/python
fi

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

check() {
  if ! cmp -s "$work/out" "$dir/$1.expected"; then
    echo "FAILED: $2 printed something else than $1.expected" >&2
    diff "$work/out" "$dir/$1.expected" | head >&2
    exit 1
  fi
}

printf '%-16s %9s %9s %12s %7s\n' module weft-s rss-MiB wasmtime-s ratio
for module in alloc.opt alloc; do
  expected=alloc
  w=() r=() m=()
  for _ in $(seq "$runs"); do
    /usr/bin/time -f '%e %M' -o "$work/time" "$WEFT" run -W gc -C cache=n "$dir/$module.wasm" > "$work/out"
    check "$expected" weft
    read -r secs kb < "$work/time"
    w+=("$secs")
    r+=("$((kb / 1024))")
    "$WASMTIME_PY" "$root/tests/realworld/kotlin_wasmtime.py" "$dir/$module.wasm" > "$work/out" 2> "$work/err"
    check "$expected" wasmtime
    m+=("$(sed -n 's/.*wasmtime-seconds compile=\([0-9.]*\) run=\([0-9.]*\).*/\1 \2/p' "$work/err" | awk '{ print $1 + $2 }')")
  done
  ws=$(printf '%s\n' "${w[@]}" | median)
  rs=$(printf '%s\n' "${r[@]}" | median)
  ms=$(printf '%s\n' "${m[@]}" | median)
  printf '%-16s %9.2f %9s %12.2f %7.2f\n' "$module" "$ws" "$rs" "$ms" "$(awk -v a="$ws" -v b="$ms" 'BEGIN { print a / b }')"
done
for module in alloc.opt alloc; do
  printf '%-16s ' "$module"
  "$WEFT" run -W gc -C cache=n -D gc-stats "$dir/$module.wasm" 2>&1 > "$work/out" | sed 's/^weft: gc: //'
  check alloc weft
done
