#!/usr/bin/env bash
# End to end, the way users run it: `weft run PROGRAM.wasm SIZE` against the
# `wasmi` CLI 2.0.0 (`wasmi run PROGRAM.wasm SIZE`) on the WASI programs of
# benches/wasi/programs.txt at their E2E_SIZE (multi-second runs), both in
# the same script run, runs alternating between the two.
#
# For each program: builds the .wasm with clang against wasi-libc (the
# flags of programs.txt, as benches/build.rs does) and a native build
# (`cc -O2`), whose output every Wasm run must print exactly; then RUNS
# runs of each runtime; prints the median, min and max wall time (bash's
# EPOCHREALTIME around the process), the median of the peak RSS
# (`/usr/bin/time -f %M`), the ratio of medians Weft/wasmi and their
# geometric mean, with the load average before and after.
#
# Usage: benches/scripts/end-to-end.sh [NAME...]   (default: every program)
# Environment:
#   RUNS=5                  runs per runtime and program
#   SIZES=bench             use the BENCH_SIZE column instead (a quick check
#                           of the script)
#   WEFT=path               a weft binary (default: `cargo build --release
#                           -p weft-cli` in the repository, CARGO_TARGET_DIR
#                           honoured)
#   WASMI=path              a wasmi 2.0.0 CLI (default: installed on first
#                           use with `cargo install wasmi_cli --version 2.0.0
#                           --locked --features simd` under WASMI_CLI_ROOT)
#   WASMI_CLI_ROOT=dir      default ~/.cache/weft-bench/wasmi-cli-2.0.0
#   WEFT_E2E_DIR=dir        work directory, default ${TMPDIR:-/tmp}/weft-e2e
#   CLANG, WASI_SYSROOT     as for benches/build.rs
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
benches="$root/benches"
runs=${RUNS:-5}
sizes=${SIZES:-e2e}
work=${WEFT_E2E_DIR:-${TMPDIR:-/tmp}/weft-e2e}
clang=${CLANG:-clang}
sysroot=${WASI_SYSROOT:-/usr}
mkdir -p "$work"

command -v "$clang" > /dev/null || {
  echo "no $clang: apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32" >&2
  exit 1
}
[ -x /usr/bin/time ] || { echo "no /usr/bin/time: apt-get install time" >&2; exit 1; }

if [ -z "${WEFT:-}" ]; then
  (cd "$root" && cargo build -q --release --locked -p weft-cli)
  WEFT="${CARGO_TARGET_DIR:-$root/target}/release/weft"
fi
if [ -z "${WASMI:-}" ]; then
  wasmi_root=${WASMI_CLI_ROOT:-$HOME/.cache/weft-bench/wasmi-cli-2.0.0}
  WASMI="$wasmi_root/bin/wasmi"
  if [ ! -x "$WASMI" ]; then
    # `simd`: off by default in wasmi_cli, needed for matmul-simd.
    cargo install -q wasmi_cli --version 2.0.0 --locked --features simd --root "$wasmi_root"
  fi
fi
[ "$("$WASMI" --version)" = "wasmi 2.0.0" ] || {
  echo "$WASMI is $("$WASMI" --version), not wasmi 2.0.0" >&2
  exit 1
}

median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# One timed run of "$@": sets T (seconds) and M (peak RSS, KiB); checks
# that the output is exactly $expect.
timed() {
  local t0 t1 status=0
  t0=$EPOCHREALTIME
  /usr/bin/time -f %M -o "$work/rss" "$@" > "$work/out" 2> "$work/err" || status=$?
  t1=$EPOCHREALTIME
  if [ $status != 0 ]; then
    echo "FAILED (exit $status): $*" >&2
    cat "$work/err" >&2
    exit 1
  fi
  if [ "$(cat "$work/out")" != "$expect" ]; then
    echo "WRONG OUTPUT: $*" >&2
    diff <(echo "$expect") "$work/out" >&2 || true
    exit 1
  fi
  T=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }')
  M=$(tail -n 1 "$work/rss")
}

# "min–max" of the arguments.
range() { printf '%s\n' "$@" | sort -g | sed -n '1p;$p' | xargs printf '%.2f–%.2f'; }

# The interpreter, also where the default strategy is auto (a weft
# from before `-C compiler` has only the interpreter).
interp=()
if "$WEFT" run --help 2>/dev/null | grep -q 'compiler='; then interp=(-C compiler=interpreter); fi
echo "# weft run vs wasmi 2.0.0 CLI, end to end ($runs runs each, alternating)"
echo
echo "- weft: $WEFT (HEAD $(cd "$root" && git rev-parse --short HEAD); crates/ last changed in $(cd "$root" && git log -1 --format=%h -- crates)$(cd "$root" && git diff --quiet HEAD -- crates || echo ', with uncommitted changes'))"
echo "- wasmi: $WASMI ($("$WASMI" --version), features simd; compilation mode LazyTranslation, its default)"
echo "- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "- $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "| program | flags | size | weft median s | wasmi median s | weft/wasmi (medians) | weft min–max s | wasmi min–max s | weft RSS MiB | wasmi RSS MiB |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"

ratios=()
while read -r name src bench_size e2e_size flags; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do [ "$want" = "$name" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  size=$e2e_size
  [ "$sizes" = bench ] && size=$bench_size
  # shellcheck disable=SC2086 # flags is a word list
  "$clang" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wl,--strip-debug $flags \
    "$benches/wasi/$src" -o "$work/$name.wasm"
  cc -O2 -w "$benches/wasi/$src" -o "$work/$name.native" -lm
  expect=$("$work/$name.native" "$size")
  weft_t=() wasmi_t=() weft_rss=() wasmi_rss=()
  for ((i = 0; i < 2 * runs; i++)); do
    # Alternate, and swap which goes first every round.
    if (((i + i / 2) % 2 == 0)); then
      timed "$WEFT" run "${interp[@]}" "$work/$name.wasm" "$size"
      weft_t+=("$T") weft_rss+=("$M")
    else
      timed "$WASMI" run "$work/$name.wasm" "$size"
      wasmi_t+=("$T") wasmi_rss+=("$M")
    fi
  done
  wm=$(printf '%s\n' "${weft_t[@]}" | median)
  im=$(printf '%s\n' "${wasmi_t[@]}" | median)
  wr=$(printf '%s\n' "${weft_rss[@]}" | median)
  ir=$(printf '%s\n' "${wasmi_rss[@]}" | median)
  ratio=$(awk -v a="$wm" -v b="$im" 'BEGIN { print a / b }')
  ratios+=("$ratio")
  printf '| %s | %s | %s | %.2f | %.2f | %.2f | %s | %s | %.1f | %.1f |\n' \
    "$name" "${flags:-}" "$size" "$wm" "$im" "$ratio" \
    "$(range "${weft_t[@]}")" "$(range "${wasmi_t[@]}")" \
    "$(awk -v k="$wr" 'BEGIN { print k / 1024 }')" "$(awk -v k="$ir" 'BEGIN { print k / 1024 }')"
done < "$benches/wasi/programs.txt"

if [ ${#ratios[@]} -gt 0 ]; then
  geo=$(printf '%s\n' "${ratios[@]}" | awk '{ s += log($1) } END { printf "%.2f", exp(s / NR) }')
  echo
  echo "Geometric mean of weft/wasmi (medians) over ${#ratios[@]} programs: $geo"
fi
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
