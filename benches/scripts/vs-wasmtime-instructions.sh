#!/usr/bin/env bash
# The compiler tier against Wasmtime 48 in executed instructions, which
# do not move with the machine's load: for each WASI program of
# benches/wasi/programs.txt, cachegrind's instruction count of `weft run
# -C compiler=cranelift,cache=n PROGRAM.wasm SIZE` and of Wasmtime
# (benches/scripts/wasmtime_run.py, compile + run) at two sizes; the
# difference between the sizes is the work's own count (start-up and
# compilation cancel). Prints a table of those counts and their ratio.
#
# Usage: benches/scripts/vs-wasmtime-instructions.sh [NAME...]
# Environment: WEFT, WASMTIME_PY, WEFT_E2E_DIR, CLANG, WASI_SYSROOT as for
# vs-wasmtime.sh (run that once first: it makes the Wasmtime venv).
# Needs valgrind. Takes about 5 minutes for all nine programs.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
benches="$root/benches"
work=${WEFT_E2E_DIR:-${TMPDIR:-/tmp}/weft-e2e}
clang=${CLANG:-clang}
sysroot=${WASI_SYSROOT:-/usr}
py=${WASMTIME_PY:-$HOME/.cache/weft-bench/wasmtime-py-48/bin/python}
mkdir -p "$work"
if [ -z "${WEFT:-}" ]; then
  (cd "$root" && cargo build -q --release --locked -p weft-cli)
  WEFT="${CARGO_TARGET_DIR:-$root/target}/release/weft"
fi

# Two sizes per program, small enough for valgrind, the second about three
# times the first's work.
sizes() {
  case "$1" in
    fib) echo 28 31 ;;
    sieve) echo 10000000 30000000 ;;
    matmul | matmul-simd) echo 100 200 ;;
    sha256) echo 1024 3072 ;;
    nbody) echo 100000 300000 ;;
    vm) echo 300000 900000 ;;
    qsort) echo 100000 300000 ;;
    strings) echo 100 300 ;;
    *) echo "no sizes for $1" >&2; exit 1 ;;
  esac
}

# Cachegrind's instruction count of one command; stops the script with
# Valgrind's report if there is no count (the command or Valgrind failed).
count() {
  local log n
  log=$(valgrind --tool=cachegrind --cache-sim=no --smc-check=all-non-file \
    --cachegrind-out-file=/dev/null "$@" 2>&1 >/dev/null) || true
  n=$(awk '/I *refs/ { gsub(",", "", $NF); print $NF }' <<< "$log")
  if [ -z "$n" ]; then
    echo "no instruction count for: $*" >&2
    tail -n 20 <<< "$log" >&2
    exit 1
  fi
  echo "$n"
}

echo "# Instructions per unit of work: weft -C compiler=cranelift vs Wasmtime 48.0.0"
echo
echo "- weft: $WEFT (HEAD $(cd "$root" && git rev-parse --short HEAD))"
echo
echo "| program | sizes | weft M | Wasmtime M | weft/Wasmtime |"
echo "|---|---|---:|---:|---:|"
while read -r name src _bench _e2e flags; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do [ "$want" = "$name" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  # shellcheck disable=SC2086 # flags is a word list
  "$clang" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wl,--strip-debug $flags \
    "$benches/wasi/$src" -o "$work/$name.wasm"
  read -r a b < <(sizes "$name")
  w1=$(count "$WEFT" run -C compiler=cranelift,cache=n "$work/$name.wasm" "$a")
  w2=$(count "$WEFT" run -C compiler=cranelift,cache=n "$work/$name.wasm" "$b")
  t1=$(count "$py" "$benches/scripts/wasmtime_run.py" "$work/$name.wasm" "$a")
  t2=$(count "$py" "$benches/scripts/wasmtime_run.py" "$work/$name.wasm" "$b")
  awk -v n="$name" -v s="$a, $b" -v w=$((w2 - w1)) -v t=$((t2 - t1)) \
    'BEGIN { printf "| %s | %s | %.1f | %.1f | %.3f |\n", n, s, w / 1e6, t / 1e6, w / t }'
done < "$benches/wasi/programs.txt"
