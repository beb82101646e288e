#!/usr/bin/env bash
# Checks that a release build of weft (x86-64) really uses tail-call
# dispatch: every instruction handler goes on to the next one with an
# indirect *jump* through the handler table, never an indirect *call*
# (a call would grow the native stack by a frame per Wasm instruction
# executed; see crates/weft/src/exec/interp/dispatch.rs), and handlers
# that throw go on to the interpreter's `throw` with a jump too (Wasm that
# throws and catches in a loop would otherwise grow the native stack per
# throw). LLVM does not promise tail calls, so this looks at the machine
# code.
#
#   crates/weft/tools/check-tail-dispatch.sh target/release/weft
set -euo pipefail
bin=${1:?usage: check-tail-dispatch.sh BINARY}
command -v objdump >/dev/null || { echo "objdump (binutils) is needed" >&2; exit 1; }
dis=$(objdump -d --no-show-raw-insn -C "$bin")
handlers=$(grep -cE '^[0-9a-f]+ <weft::exec::interp::handlers::[a-z]+::[A-Za-z0-9]+>:$' <<<"$dis" || true)
# Indirect jumps and calls through a table of 8-byte entries, by function.
report=$(awk '
  /^[0-9a-f]+ <weft::exec::interp::/ { name = $2 }
  /^$/ { name = "" }
  name != "" && /jmp +\*\(%r[0-9a-z]+,%r[0-9a-z]+,8\)/ { jumps++ }
  name != "" && name !~ /<weft::exec::interp::run>/ && /call +\*\(%r[0-9a-z]+,%r[0-9a-z]+,8\)/ { print "non-tail dispatch in " name }
  name ~ /<weft::exec::interp::handlers::[a-z]+::[A-Za-z0-9]+>/ && /call +[0-9a-f]+ <weft::exec::interp::handlers::throw>/ { print "non-tail throw in " name }
  END { print "jumps " jumps+0 }' <<<"$dis")
jumps=$(sed -n 's/^jumps //p' <<<"$report")
bad=$(grep '^non-tail' <<<"$report" || true)
if [ "$handlers" -lt 250 ] || [ "$jumps" -lt "$handlers" ]; then
  echo "expected a handler per instruction, each with a tail jump: found $handlers handlers, $jumps jumps" >&2
  exit 1
fi
if [ -n "$bad" ]; then
  echo "$bad" >&2
  exit 1
fi
echo "tail dispatch: $handlers handlers, $jumps table jumps, no table calls, no calls of throw"
