#!/usr/bin/env bash
# The compiler tier against Wasmtime 48, end to end: `weft run -C
# compiler=cranelift,cache=n PROGRAM.wasm SIZE` against Wasmtime 48.0.0 (the
# `wasmtime` PyPI wheel, run by benches/scripts/wasmtime_run.py: compile
# with Cranelift, no cache, then `_start`) on the WASI programs of
# benches/wasi/programs.txt at their E2E_SIZE, in the same script run,
# alternating.
#
# Weft's time is the wall time of the whole `weft run` process (start-up,
# Cranelift compile, run); Wasmtime's is measured inside its process
# (compile + instantiate + run, without Python's start-up), so the ratio
# errs against Weft. Every run's output must equal the native build's.
#
# Usage: benches/scripts/vs-wasmtime.sh [NAME...]   (default: every program)
# Environment:
#   RUNS=3            runs per runtime and program
#   COMPILER=cranelift  weft's `-C compiler=` (auto: the default strategy,
#                     tier-up from the interpreter)
#   WEFT=path         a weft binary (default: `cargo build --release -p
#                     weft-cli`, CARGO_TARGET_DIR honoured)
#   WASMTIME_PY=path  a Python with `wasmtime` 48.0.0 (default: a venv made
#                     on first use under ~/.cache/weft-bench/wasmtime-py-48)
#   WEFT_E2E_DIR=dir  work directory, default ${TMPDIR:-/tmp}/weft-e2e
#   CLANG, WASI_SYSROOT  as for benches/build.rs
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
benches="$root/benches"
runs=${RUNS:-3}
compiler=${COMPILER:-cranelift}
work=${WEFT_E2E_DIR:-${TMPDIR:-/tmp}/weft-e2e}
clang=${CLANG:-clang}
sysroot=${WASI_SYSROOT:-/usr}
mkdir -p "$work"

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
runner="$benches/scripts/wasmtime_run.py"

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One run of "$@" whose stdout must be $expect; sets T to its wall seconds
# and W to the `wasmtime-seconds` compile + run it reported (if any).
timed() {
  local t0 t1 status=0
  t0=$EPOCHREALTIME
  "$@" > "$work/out" 2> "$work/err" || status=$?
  t1=$EPOCHREALTIME
  if [ $status != 0 ]; then
    echo "FAILED (exit $status): $*" >&2
    cat "$work/err" >&2
    exit 1
  fi
  if [ "$(cat "$work/out")" != "$expect" ]; then
    echo "WRONG OUTPUT: $*" >&2
    exit 1
  fi
  T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  W=$(sed -n 's/^wasmtime-seconds compile=\([0-9.]*\) run=\([0-9.]*\)$/\1 \2/p' "$work/err" |
    awk '{ printf "%.4f", $1 + $2 }')
}

echo "# weft run -C compiler=$compiler vs Wasmtime 48.0.0, end to end ($runs runs each, alternating)"
echo
echo "- weft: $WEFT (HEAD $(cd "$root" && git rev-parse --short HEAD))"
echo "- wasmtime: $("$WASMTIME_PY" -c 'import importlib.metadata as m; print("wasmtime (PyPI) " + m.version("wasmtime"))')"
echo "- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| program | flags | size | weft s (whole process) | Wasmtime s (compile + run) | weft/Wasmtime | Wasmtime s (whole process) |"
echo "|---|---|---:|---:|---:|---:|---:|"

ratios=()
while read -r name src bench_size e2e_size flags; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do [ "$want" = "$name" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  size=$e2e_size
  # shellcheck disable=SC2086 # flags is a word list
  "$clang" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wl,--strip-debug $flags \
    "$benches/wasi/$src" -o "$work/$name.wasm"
  cc -O2 -w "$benches/wasi/$src" -o "$work/$name.native" -lm
  expect=$("$work/$name.native" "$size")
  weft_t=() wt_in=() wt_wall=()
  for ((i = 0; i < 2 * runs; i++)); do
    if (((i + i / 2) % 2 == 0)); then
      timed "$WEFT" run -C "compiler=$compiler,cache=n" "$work/$name.wasm" "$size"
      weft_t+=("$T")
    else
      timed "$WASMTIME_PY" "$runner" "$work/$name.wasm" "$size"
      wt_in+=("$W") wt_wall+=("$T")
    fi
  done
  wm=$(printf '%s\n' "${weft_t[@]}" | median)
  tm=$(printf '%s\n' "${wt_in[@]}" | median)
  tw=$(printf '%s\n' "${wt_wall[@]}" | median)
  ratio=$(awk -v a="$wm" -v b="$tm" 'BEGIN { print a / b }')
  ratios+=("$ratio")
  printf '| %s | %s | %s | %.2f | %.2f | %.2f | %.2f |\n' \
    "$name" "${flags:-}" "$size" "$wm" "$tm" "$ratio" "$tw"
done < "$benches/wasi/programs.txt"

if [ ${#ratios[@]} -gt 0 ]; then
  geo=$(printf '%s\n' "${ratios[@]}" | awk '{ s += log($1) } END { printf "%.2f", exp(s / NR) }')
  echo
  echo "Geometric mean of weft/Wasmtime over ${#ratios[@]} programs: $geo"
fi
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
