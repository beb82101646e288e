#!/usr/bin/env bash
# Two Weft interpreters and the wasmi 2.0.0 CLI on the WASI programs of
# benches/wasi/programs.txt at their E2E size, in one run: for each
# program RUNS rounds of (after, before, wasmi), medians of wall time,
# and the ratios after/before, after/wasmi, before/wasmi with their
# geometric means. Every run's output must equal a native build's.
# Both weft binaries run with `-C compiler=interpreter`.
#
# Usage: BEFORE=path/to/old/weft benches/scripts/interp-before-after.sh [NAME...]
#   (build the old one in a worktree: git worktree add --detach DIR COMMIT;
#    cd DIR; CARGO_TARGET_DIR=target/old cargo build --release -p weft-cli)
# Environment: RUNS=3, AFTER (default target/release/weft, built here),
#   WASMI (default as in end-to-end.sh), WEFT_E2E_DIR, CLANG, WASI_SYSROOT.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
runs=${RUNS:-3}
work=${WEFT_E2E_DIR:-${TMPDIR:-/tmp}/weft-e2e}
clang=${CLANG:-clang}
sysroot=${WASI_SYSROOT:-/usr}
: "${BEFORE:?set BEFORE to the weft binary to compare against}"
if [ -z "${AFTER:-}" ]; then
  (cd "$root" && cargo build -q --release --locked -p weft-cli)
  AFTER="${CARGO_TARGET_DIR:-$root/target}/release/weft"
fi
WASMI=${WASMI:-${WASMI_CLI_ROOT:-$HOME/.cache/weft-bench/wasmi-cli-2.0.0}/bin/wasmi}
[ "$("$WASMI" --version)" = "wasmi 2.0.0" ] || { echo "$WASMI is not wasmi 2.0.0 (see end-to-end.sh)" >&2; exit 1; }
mkdir -p "$work"
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# One timed run of "$@" (prints seconds); its output must be $expect.
timed() {
  local t0 t1
  t0=$EPOCHREALTIME
  "$@" < /dev/null > "$work/out" 2> "$work/err" || { echo "FAILED: $*" >&2; cat "$work/err" >&2; exit 1; }
  t1=$EPOCHREALTIME
  [ "$(cat "$work/out")" = "$expect" ] || { echo "WRONG OUTPUT: $*" >&2; exit 1; }
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }'
}
echo "# after: $AFTER; before: $BEFORE; wasmi: $WASMI; $runs rounds; $(date -u '+%Y-%m-%d %H:%M UTC'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| program | after s | before s | wasmi s | after / before | after / wasmi | before / wasmi |"
echo "|---|---:|---:|---:|---:|---:|---:|"
logs=()
while read -r name src _bench_size size flags; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do [ "$want" = "$name" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  # shellcheck disable=SC2086 # flags is a word list
  "$clang" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wl,--strip-debug $flags \
    "$root/benches/wasi/$src" -o "$work/$name.wasm"
  cc -O2 -w "$root/benches/wasi/$src" -o "$work/$name.native" -lm
  expect=$("$work/$name.native" "$size")
  a=() b=() w=()
  for ((i = 0; i < runs; i++)); do
    a+=("$(timed "$AFTER" run -C compiler=interpreter "$work/$name.wasm" "$size")")
    b+=("$(timed "$BEFORE" run -C compiler=interpreter "$work/$name.wasm" "$size")")
    w+=("$(timed "$WASMI" run "$work/$name.wasm" "$size")")
  done
  am=$(printf '%s\n' "${a[@]}" | median)
  bm=$(printf '%s\n' "${b[@]}" | median)
  wm=$(printf '%s\n' "${w[@]}" | median)
  awk -v p="$name" -v a="$am" -v b="$bm" -v c="$wm" \
    'BEGIN { printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n", p, a, b, c, a / b, a / c, b / c }'
  logs+=("$am $bm $wm")
done < "$root/benches/wasi/programs.txt"
printf '%s\n' "${logs[@]}" | awk '{ x += log($1 / $2); y += log($1 / $3); z += log($2 / $3); n++ }
  END { if (n) printf "| **geometric mean** | | | | **%.2f** | **%.2f** | %.2f |\n", exp(x / n), exp(y / n), exp(z / n) }'
