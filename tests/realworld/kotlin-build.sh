#!/usr/bin/env bash
# Real WebAssembly GC programs: the Kotlin programs in tests/realworld/kotlin/
# compiled by Kotlin/Wasm for its `wasm-wasi` target. Every Kotlin object is
# a GC struct (with its vtable, itable and type info as fields), strings and
# arrays are GC arrays filled from passive data segments (`array.new_data`),
# virtual calls are `call_ref`s, and casts are `ref.cast`/`ref.test`; there
# are no i31 instructions. Exceptions use the exception-handling proposal in
# its final form (one tag taking the Throwable; `try_table` with `catch`
# and `catch_all_ref`, `throw`, `throw_ref`, `exnref`). A start function
# initializes the runtime before `_start` (which is `main`). The modules
# import only WASI preview 1 (`fd_write`; `poll_oneoff` and `random_get` are
# imported but never called; hello.kt adds `args_sizes_get` and `args_get`
# through its own `@WasmImport`s, as the standard library does not pass the
# command line to `main`), and export a linear memory that starts at 0
# pages and only holds WASI call buffers: the Kotlin heap is the engine's
# GC heap. The unoptimized modules also declare ~300 unused "mixin" struct
# types (apparently to keep each class's rec group distinct) with fields of
# every value type, v128 included (so validating them needs SIMD, though no
# SIMD instruction is used). tests/realworld/kotlin/README.md describes the
# modules further.
#
# Installs the pinned compiler (npm `kotlin-compiler`, which ships
# `kotlinc-wasm` and the wasm-wasi standard library klib; it runs on Java
# 17+) into $KOTLIN_HOME_DIR if it is not there, then compiles each
# tests/realworld/kotlin/NAME.kt to $OUT_DIR/NAME.wasm in Kotlin/Wasm's two
# stages (sources to a klib, then the klib and the standard library linked
# into a module; $OUT_DIR/NAME.mjs, a Node launcher, is written beside it).
# Each module is then also optimized as Kotlin's Gradle plugin does for a
# production build, by Binaryen's wasm-opt (npm `binaryen`, installed into
# $BINARYEN_HOME_DIR if missing) with the arguments of the compiler's own
# BinaryenConfig.binaryenArgs (closed world, type SSA, GUFA, type merging,
# -O3 passes and -Oz), into $OUT_DIR/NAME.opt.wasm: a tenth of the size, no
# names section, and a somewhat different mix of instructions
# (`struct.new_default`, `ref.as_non_null`, `catch_all`). A module newer than
# its source and this script is not rebuilt. Compiling takes about 10 s a
# program (two JVM runs) and optimizing about as long.
#
# The modules in tests/realworld/kotlin/ are copies of these outputs
# (crates/weft-cli/tests/kotlin.rs runs them under Weft); copy them there
# after a rebuild.
#
# With --check, then runs each module (both builds) under Wasmtime 48 (the
# `wasmtime` PyPI wheel, through tests/realworld/kotlin_wasmtime.py) and
# compares its stdout with tests/realworld/kotlin/NAME.expected (what Wasmtime printed
# when the programs were added; hello.kt is run with the arguments
# `one 'two words' ünï`).
#
#     tests/realworld/kotlin-build.sh [--check]
#
# Environment: OUT_DIR (default target/kotlin), KOTLIN_HOME_DIR (npm prefix
# of the compiler, default ~/.cache/weft-bench/kotlin), BINARYEN_HOME_DIR
# (npm prefix of Binaryen, default ~/.cache/weft-bench/binaryen), WASMTIME_PY (a
# Python with wasmtime 48.0.0; default a venv made on first use under
# ~/.cache/weft-bench/wasmtime-py-48; only for --check).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
kotlin_version=2.4.20
binaryen_version=132.0.0
programs=(hello alloc)
src_dir="$root/tests/realworld/kotlin"
out=${OUT_DIR:-$root/target/kotlin}
prefix=${KOTLIN_HOME_DIR:-$HOME/.cache/weft-bench/kotlin}
binaryen_prefix=${BINARYEN_HOME_DIR:-$HOME/.cache/weft-bench/binaryen}
check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) echo "usage: $0 [--check]" >&2; exit 2 ;;
esac

command -v java >/dev/null || { echo "no java (Kotlin needs Java 17+): apt-get install openjdk-17-jre-headless" >&2; exit 1; }
home="$prefix/node_modules/kotlin-compiler"
npm_install() { # npm_install PREFIX PACKAGE VERSION: unless already there
  local installed
  installed=$(sed -n 's/^ *"version": "\(.*\)",$/\1/p' "$1/node_modules/$2/package.json" 2>/dev/null || true)
  if [ "$installed" != "$3" ]; then
    echo "installing $2@$3 into $1" >&2
    mkdir -p "$1"
    npm install --prefix "$1" --no-audit --no-fund --loglevel=error "$2@$3" >&2
  fi
}
npm_install "$prefix" kotlin-compiler "$kotlin_version"
npm_install "$binaryen_prefix" binaryen "$binaryen_version"
wasm_opt="$binaryen_prefix/node_modules/binaryen/bin/wasm-opt"
kotlinc_wasm="$home/bin/kotlinc-wasm"
stdlib="$home/lib/kotlin-stdlib-wasm-wasi.klib"
[ -f "$stdlib" ] || { echo "no wasm-wasi stdlib at $stdlib" >&2; exit 1; }
# The WASI target; exception handling with try_table/exnref (the wasm-wasi
# default in 2.4, named so that a change of default does not change the
# modules).
flags=(-Xwasm-target=wasm-wasi -Xwasm-use-new-exception-proposal -libraries "$stdlib")
# org.jetbrains.kotlin.platform.wasm.BinaryenConfig.binaryenArgs of
# kotlin-compiler 2.4.20 (what a Gradle production build passes to wasm-opt).
opt_flags=(--enable-gc --enable-reference-types --enable-exception-handling
  --enable-bulk-memory --enable-stack-switching --enable-multivalue
  --enable-nontrapping-float-to-int
  --no-inline=kotlin.wasm.internal.throwValue --no-inline=kotlin.wasm.internal.getKotlinException
  --no-inline=kotlin.wasm.internal.jsToKotlinStringAdapter
  --inline-functions-with-loops --traps-never-happen --fast-math
  --closed-world --type-ssa -O3 -O3 --gufa -O3 --type-merging -O3 -Oz)

mkdir -p "$out/klib"
for name in "${programs[@]}"; do
  src="$src_dir/$name.kt"
  wasm="$out/$name.wasm"
  opt="$out/$name.opt.wasm"
  if [ -f "$opt" ] && [ "$opt" -nt "$src" ] && [ "$opt" -nt "$0" ] \
     && [ -f "$wasm" ] && [ "$wasm" -nt "$src" ] && [ "$wasm" -nt "$0" ]; then
    echo "$wasm and $opt are up to date" >&2
    continue
  fi
  echo "compiling $src" >&2
  rm -f "$out/klib/$name.klib" "$wasm" "$opt"
  # Stage 1: the source to a klib (Kotlin IR).
  "$kotlinc_wasm" "${flags[@]}" -nowarn -ir-output-dir "$out/klib" -ir-output-name "$name" "$src"
  # Stage 2: the klib and the stdlib to NAME.wasm (and NAME.mjs).
  "$kotlinc_wasm" "${flags[@]}" -Xinclude="$out/klib/$name.klib" -Xir-produce-js \
    -ir-output-dir "$out" -ir-output-name "$name"
  [ -f "$wasm" ] || { echo "kotlinc-wasm wrote no $wasm" >&2; exit 1; }
  echo "$wasm: $(stat -c %s "$wasm") bytes" >&2
  "$wasm_opt" "${opt_flags[@]}" "$wasm" -o "$opt.tmp"
  mv "$opt.tmp" "$opt"
  echo "$opt: $(stat -c %s "$opt") bytes" >&2
done

[ "$check" = 1 ] || exit 0
if [ -z "${WASMTIME_PY:-}" ]; then
  venv=$HOME/.cache/weft-bench/wasmtime-py-48
  if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q wasmtime==48.0.0
  fi
  WASMTIME_PY="$venv/bin/python"
fi
failed=0
for name in "${programs[@]}"; do
  args=()
  [ "$name" = hello ] && args=(one 'two words' ünï)
  for module in "$name" "$name.opt"; do
    actual="$out/$module.wasmtime.out"
    status=0
    "$WASMTIME_PY" "$root/tests/realworld/kotlin_wasmtime.py" "$out/$module.wasm" "${args[@]}" \
      > "$actual" 2> "$out/$module.wasmtime.err" || status=$?
    if [ "$status" = 0 ] && diff -u "$src_dir/$name.expected" "$actual" >&2; then
      echo "$module: ok ($(tail -n 1 "$out/$module.wasmtime.err"))"
    else
      cat "$out/$module.wasmtime.err" >&2
      echo "$module: exit $status, or stdout differs from $name.expected" >&2
      failed=1
    fi
  done
done
exit "$failed"
