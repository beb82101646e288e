#!/usr/bin/env bash
# Instructions executed (valgrind's Ir, which no machine load changes) by
# Weft and by wasmi 2.0.0 for each workload run once, and their ratio.
#
# Builds the bench binary (`cargo bench --no-run`, the bench profile: fat
# LTO, one codegen unit) and runs, under valgrind,
#   compare --profile=RUNTIME --calls=1 --exact NAME
# which sets up the runtime (engine, module, linker: for a WASI program
# also the WASI functions) and calls the workload once: for a WASI
# program one run of `_start` in a new store, for a kernel one call of
# `run`; lazily translated code is translated during that call, as in a
# user's run. The start-up of the harness itself (the same binary with a
# name that selects nothing) is measured once per runtime and subtracted.
#
# The valgrind tool is cachegrind without cache simulation by default
# (VALGRIND_TOOL=callgrind for callgrind): both count the same Ir (they
# agree to 0.002% here, callgrind leaving out some of the process's first
# instructions), but callgrind's call-graph tracking runs out of memory on
# wasmi's tail-call dispatch in some workloads (wasi-sieve: "Valgrind
# cannot continue" after 19 GB of its own mappings), and cachegrind is
# about five times faster.
#
# Usage: benches/scripts/callgrind.sh [--all | NAME...]
#   (no argument: the WASI programs, wasi-*; --all: every workload of
#   `compare --list`: kernels, WASI programs, SIMD versions)
# Environment: CARGO_TARGET_DIR (as for cargo), VALGRIND_TOOL (cachegrind
# or callgrind), CALLGRIND_DIR (where valgrind's output files go, default
# ${TMPDIR:-/tmp}/weft-callgrind).
set -euo pipefail
benches=$(cd "$(dirname "$0")/.." && pwd)
out=${CALLGRIND_DIR:-${TMPDIR:-/tmp}/weft-callgrind}
tool=${VALGRIND_TOOL:-cachegrind}
case $tool in
  cachegrind) tool_args=(--tool=cachegrind --cache-sim=no) ;;
  callgrind) tool_args=(--tool=callgrind) ;;
  *) echo "VALGRIND_TOOL: cachegrind or callgrind" >&2; exit 1 ;;
esac
mkdir -p "$out"
command -v valgrind > /dev/null || { echo "no valgrind: apt-get install valgrind" >&2; exit 1; }

bin=$(cd "$benches" && cargo bench --no-run --message-format=json 2> /dev/null \
  | python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "compare" and m.get("executable"):
        print(m["executable"])')
[ -x "$bin" ] || { echo "cannot build the bench binary (cd benches && cargo bench --no-run)" >&2; exit 1; }

if [ "${1:-}" = --all ]; then
  mapfile -t names < <("$bin" --list)
elif [ $# -gt 0 ]; then
  names=("$@")
else
  mapfile -t names < <("$bin" --list | grep '^wasi-')
fi

# Ir of one run: `ir RUNTIME NAME` (NAME may select nothing).
ir() {
  local file="$out/$tool.out.$1.$2"
  (cd "$benches" && valgrind "${tool_args[@]}" --"$tool"-out-file="$file" \
    "$bin" --profile="$1" --calls=1 --exact "$2" > "$out/log.$1.$2" 2>&1) || {
    echo "valgrind failed on $1 $2 (see $out/log.$1.$2)" >&2
    exit 1
  }
  grep -q "^$1 $2: " "$out/log.$1.$2" || [ "$2" = none ] || {
    echo "$1 $2: the workload did not run (see $out/log.$1.$2)" >&2
    exit 1
  }
  awk '/^(summary|totals):/ { print $2; exit }' "$file"
}

base_weft=$(ir weft none)
base_wasmi=$(ir wasmi none)
echo "# Instructions (valgrind --tool=$tool, Ir) of one run of each workload, harness start-up subtracted"
echo
echo "- $(cd "$benches" && git rev-parse --short HEAD), $(valgrind --version), $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- start-up subtracted: weft $base_weft, wasmi $base_wasmi instructions"
echo
echo "| workload | weft Ir (M) | wasmi Ir (M) | weft/wasmi |"
echo "|---|---:|---:|---:|"
ratios=()
for name in "${names[@]}"; do
  w=$(ir weft "$name")
  i=$(ir wasmi "$name")
  row=$(awk -v w="$w" -v i="$i" -v bw="$base_weft" -v bi="$base_wasmi" \
    'BEGIN { w -= bw; i -= bi; printf "%.1f %.1f %.3f", w / 1e6, i / 1e6, w / i }')
  read -r wm im r <<< "$row"
  printf '| %s | %s | %s | %.2f |\n' "$name" "$wm" "$im" "$r"
  case "$name" in host-\>wasm | wasm-\>host) ;; *) ratios+=("$r") ;; esac
done
if [ ${#ratios[@]} -gt 0 ]; then
  geo=$(printf '%s\n' "${ratios[@]}" | awk '{ s += log($1) } END { printf "%.2f", exp(s / NR) }')
  echo
  echo "Geometric mean of the instruction ratios over ${#ratios[@]} in-Wasm workloads (host->wasm and wasm->host left out): $geo"
fi
