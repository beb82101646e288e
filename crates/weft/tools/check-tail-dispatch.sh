#!/usr/bin/env bash
# Checks that a release build of weft (x86-64 or aarch64) really uses
# tail-call dispatch: every instruction handler goes on to the next one with an
# indirect *jump* through the handler table, never an indirect *call*
# (a call would grow the native stack by a frame per Wasm instruction
# executed; see crates/weft/src/exec/interp/dispatch.rs), and handlers
# that throw go on to the interpreter's `throw` with a jump too (Wasm that
# throws and catches in a loop would otherwise grow the native stack per
# throw). LLVM does not promise tail calls, so this looks at the machine
# code.
#
#   crates/weft/tools/check-tail-dispatch.sh target/release/weft
#
# An aarch64 binary is read with aarch64-linux-gnu-objdump (Debian's
# binutils-aarch64-linux-gnu, installed with gcc-aarch64-linux-gnu).
set -euo pipefail
bin=${1:?usage: check-tail-dispatch.sh BINARY}
command -v objdump >/dev/null || { echo "objdump (binutils) is needed" >&2; exit 1; }
if objdump -f "$bin" 2>/dev/null | grep -q 'architecture: i386:x86-64'; then
  dis=$(objdump -d --no-show-raw-insn -C "$bin")
  # Indirect jumps and calls through a table of 8-byte entries, by function.
  report=$(awk '
    /^[0-9a-f]+ <weft::exec::interp::/ { name = $2 }
    /^$/ { name = "" }
    name != "" && /jmp +\*\(%r[0-9a-z]+,%r[0-9a-z]+,8\)/ { jumps++ }
    name != "" && name !~ /<weft::exec::interp::run>/ && /call +\*\(%r[0-9a-z]+,%r[0-9a-z]+,8\)/ { print "non-tail dispatch in " name }
    name ~ /<weft::exec::interp::handlers::[a-z]+::[A-Za-z0-9]+>/ && /call +[0-9a-f]+ <weft::exec::interp::handlers::throw>/ { print "non-tail throw in " name }
    END { print "jumps " jumps+0 }' <<<"$dis")
else
  command -v aarch64-linux-gnu-objdump >/dev/null \
    || { echo "not an x86-64 binary, and aarch64-linux-gnu-objdump is missing" >&2; exit 1; }
  aarch64-linux-gnu-objdump -f "$bin" | grep -q 'architecture: aarch64' \
    || { echo "$bin: neither x86-64 nor aarch64" >&2; exit 1; }
  dis=$(aarch64-linux-gnu-objdump -d --no-show-raw-insn -C "$bin")
  # A handler table entry is loaded with `ldr xN, [xT, xI, lsl #3]`, and
  # then jumped to (`br xN`) or called (`blr xN`) a few instructions on
  # (after the arguments are set up, for a call).
  report=$(awk -F'\t' '
    /^[0-9a-f]+ <weft::exec::interp::/ { name = $0; sub(/^[0-9a-f]+ /, "", name); sub(/:$/, "", name); split("", table); next }
    /^$/ { name = ""; next }
    name == "" { next }
    { n++; op = $2; arg = $3; reg = arg; sub(/,.*/, "", reg) }
    op == "ldr" && arg ~ /^x[0-9]+, \[x[0-9]+, x[0-9]+, lsl #3\]$/ { table[reg] = n }
    op == "br" && (reg in table) && n - table[reg] <= 12 { jumps++ }
    op == "blr" && (reg in table) && n - table[reg] <= 12 && name != "<weft::exec::interp::run>" { print "non-tail dispatch in " name }
    op == "bl" && name ~ /^<weft::exec::interp::handlers::[a-z]+::[A-Za-z0-9]+>$/ && arg ~ /<weft::exec::interp::handlers::throw>/ { print "non-tail throw in " name }
    END { print "jumps " jumps+0 }' <<<"$dis")
fi
handlers=$(grep -cE '^[0-9a-f]+ <weft::exec::interp::handlers::[a-z]+::[A-Za-z0-9]+>:$' <<<"$dis" || true)
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
