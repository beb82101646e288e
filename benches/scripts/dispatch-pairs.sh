#!/usr/bin/env bash
# Which interpreter instructions run most, and which run right after which:
# the profile that chooses what to fuse (docs/PERFORMANCE.md). Builds
# `weft` with the `dispatch-stats` feature (the loop backend, counting
# every dispatch by the pair (previous tag, tag); no compiler tier), runs
# the WASI programs of benches/wasi/programs.txt at their bench size under
# the interpreter, and prints the instructions and the pairs with the
# largest share of all dispatches, each program weighted equally, the
# pairs in which the second instruction reads the first one's result (by
# operand), then each program's own top pairs.
#
# Usage: benches/scripts/dispatch-pairs.sh [NAME...]
# Environment: TOP=30 (lines per list), WEFT_E2E_DIR (work directory, as
#   end-to-end.sh), CLANG, WASI_SYSROOT, CARGO_TARGET_DIR (default
#   target/dispatch-stats).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
top=${TOP:-30}
work=${WEFT_E2E_DIR:-${TMPDIR:-/tmp}/weft-e2e}
clang=${CLANG:-clang}
sysroot=${WASI_SYSROOT:-/usr}
target=${CARGO_TARGET_DIR:-$root/target/dispatch-stats}
(cd "$root" && CARGO_TARGET_DIR="$target" cargo build -q --release --locked -p weft-cli \
  --no-default-features --features weft/dispatch-stats)
weft="$target/release/weft"
mkdir -p "$work/pairs"
rm -f "$work"/pairs/*.txt
while read -r name src size _e2e_size flags; do
  case "$name" in '' | '#'*) continue ;; esac
  if [ $# -gt 0 ]; then
    keep=0
    for want in "$@"; do [ "$want" = "$name" ] && keep=1; done
    [ $keep = 1 ] || continue
  fi
  # shellcheck disable=SC2086 # flags is a word list
  "$clang" --target=wasm32-wasi --sysroot="$sysroot" -O2 -Wl,--strip-debug $flags \
    "$root/benches/wasi/$src" -o "$work/$name.wasm"
  WEFT_DISPATCH_STATS="$work/pairs/$name.txt" \
    "$weft" run -C compiler=interpreter "$work/$name.wasm" "$size" > /dev/null
done < "$root/benches/wasi/programs.txt"

# Shares in percent of each program's dispatches, averaged over programs
# (awk sums; sort ranks).
shares=$(awk '
  FNR == 1 { programs++ }
  $1 == "link" { link[FILENAME, $2 " -> " $3 "." $4] = $5; next }
  { pair[FILENAME, $1 " -> " $2] = $3; total[FILENAME] += $3 }
  END {
    for (k in pair) {
      split(k, p, SUBSEP)
      share = 100 * pair[k] / total[p[1]] / programs
      pairs[p[2]] += share
      split(p[2], q, " -> ")
      ops[q[2]] += share
    }
    for (o in ops) printf "op %.2f %s\n", ops[o], o
    for (k in pairs) printf "pair %.2f %s\n", pairs[k], k
    for (k in link) {
      split(k, p, SUBSEP)
      links[p[2]] += 100 * link[k] / total[p[1]] / programs
    }
    for (k in links) printf "link %.2f %s\n", links[k], k
  }' "$work"/pairs/*.txt)
echo "## instructions (% of dispatches, programs weighted equally)"
grep '^op ' <<< "$shares" | cut -d' ' -f2- | sort -gr | sed -n "1,${top}p"
echo
echo "## consecutive pairs"
grep '^pair ' <<< "$shares" | cut -d' ' -f2- | sort -gr | sed -n "1,${top}p"
echo
echo "## results read by the next instruction (PREVIOUS -> NEXT.OPERAND: an accumulator could carry them)"
grep '^link ' <<< "$shares" | cut -d' ' -f2- | sort -gr | sed -n "1,${top}p"
echo
echo "## each program: dispatches, then its five commonest pairs (% of its dispatches)"
for f in "$work"/pairs/*.txt; do
  grep -v '^link ' "$f" | sort -k3,3nr | awk -v name="$(basename "$f" .txt)" '
    { total += $3; if (NR <= 5) line[NR] = $1 " -> " $2; if (NR <= 5) count[NR] = $3 }
    END {
      printf "%s %d:", name, total
      for (i = 1; i <= 5 && i <= NR; i++) printf "  %s %.1f", line[i], 100 * count[i] / total
      print ""
    }'
done
