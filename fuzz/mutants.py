#!/usr/bin/env python3
"""Checks that the seeded fuzz run catches deliberate interpreter bugs.

Each mutant is a one-line change to Weft (a miscompiled instruction, a
broken fusion, a wrong translation rule). For each, this script applies the
change to `crates/`, runs the seeded fuzz tests (the command CI runs, with
the default seed counts), records which targets and seeds fail, and restores
`crates/` with `git checkout`. Run it from a clean work tree:

    python3 fuzz/mutants.py                 # every mutant, this fuzz package
    python3 fuzz/mutants.py shr_u add_bit   # some of them
    python3 fuzz/mutants.py --package DIR   # another fuzz package (say, an
                                            # older one) against the same mutants

It never commits anything, and it refuses to start if `crates/` has
uncommitted changes (they would be lost by the restore).
"""

import os
import re
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# name, file under crates/weft/src, text to find (exactly once), replacement
MUTANTS = [
    # wide-arithmetic: the carry from the low halves lost.
    ("add128_carry", "num.rs",
     "split128(join128(a_lo, a_hi).wrapping_add(join128(b_lo, b_hi)))",
     "(a_lo.wrapping_add(b_lo), a_hi.wrapping_add(b_hi))"),
    # custom-page-sizes: compiled `memory.size` counting 64 KiB pages.
    ("memory_size_page", "compiler/func.rs",
     "let log2 = i64::from(self.page_size_log2(mem));",
     "let log2 = 16i64;"),
    ("shr_u", "exec/interp/handlers/numeric.rs",
     "I32ShrU { d, a, b } => {\n    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_shr(y as u32)))",
     "I32ShrU { d, a, b } => {\n    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_shr(y as u32 & 15)))"),
    ("add_bit", "exec/interp/handlers/numeric.rs",
     "I32Add { d, a, b } => {\n    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_add(y as u32)))",
     "I32Add { d, a, b } => {\n    bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_add(y as u32) ^ 1))"),
    ("br_i64_lt_s", "exec/interp/handlers/control.rs",
     "BrI64LtS { a, b, off } => branch!((r!(a) as i64) < r!(b) as i64, off)",
     "BrI64LtS { a, b, off } => branch!((r!(a) as i64) <= r!(b) as i64, off)"),
    ("rotl", "exec/interp/handlers/numeric.rs",
     "u64::from((x as u32).rotate_left(y as u32))",
     "u64::from((x as u32).rotate_left(y as u32 & 15))"),
    ("load16u_offset", "exec/interp/handlers/memory.rs",
     "Load16U { d, a, offset } => load!(d, a, offset, u16, u64::from)",
     "Load16U { d, a, offset } => { let _ = offset; let offset = 0u32; load!(d, a, offset, u16, u64::from) }"),
    ("f64_min_zero", "num.rs",
     "pub(crate) fn f64_min(a: f64, b: f64) -> f64 {\n    if a.is_nan() || b.is_nan() {\n        quiet64(a + b)\n    } else if a == 0.0 && b == 0.0 {\n        f64::from_bits(a.to_bits() | b.to_bits())",
     "pub(crate) fn f64_min(a: f64, b: f64) -> f64 {\n    if a.is_nan() || b.is_nan() {\n        quiet64(a + b)\n    } else if a == 0.0 && b == 0.0 {\n        f64::from_bits(a.to_bits() & b.to_bits())"),
    # x86-64 runs the SSE2 version (simd/sse2.rs); the portable one in
    # simd/int.rs is what other hosts run.
    ("i16x8_add_sat_s", "simd/sse2.rs",
     "i16x8_add_sat_s: int => |a, b| _mm_adds_epi16(a, b);",
     "i16x8_add_sat_s: int => |a, b| _mm_add_epi16(a, b);"),
    ("tee_preserve", "translate/ops.rs",
     "let preserved = self.preserve_local(l)?;",
     "let preserved = false;"),
    ("br_table_last", "exec/interp/handlers/control.rs",
     "let k = if i < len { i } else { len };",
     "let k = if i + 1 < len { i } else { len };"),
    ("select_eqz", "translate/ops.rs",
     "(c, false) => Op::Select { d, c, a: b, b: a },",
     "(c, false) => Op::Select { d, c, a, b },"),
    ("load_idx_shift", "exec/interp/handlers/memory.rs",
     "wrapping_shl(u32::from(shift)));\n            load_at!",
     "wrapping_shl(u32::from(shift) & 1));\n            load_at!"),
    ("store_idx_shift", "exec/interp/handlers/memory.rs",
     "wrapping_shl(u32::from(shift)));\n            store_at!",
     "wrapping_shl(u32::from(shift) & 1));\n            store_at!"),
    ("bit_test_imm", "exec/interp/handlers/control.rs",
     "BrI32AndImmEqz { a, imm, off } => branch!(r!(a) as u32 & imm as u32 == 0, off)",
     "BrI32AndImmEqz { a, imm, off } => branch!(r!(a) as u32 & (imm as u32 & 0xff) == 0, off)"),
    ("br_f64_not_lt_nan", "exec/interp/handlers/control.rs",
     "BrF64NotLt { a, b, off } => branch!(!(f64v(r!(a)) < f64v(r!(b))), off)",
     "BrF64NotLt { a, b, off } => branch!(f64v(r!(a)) >= f64v(r!(b)), off)"),
    ("f64x2_mul", "simd/sse2.rs",
     "f64x2_mul: pd => |a, b| _mm_mul_pd(a, b);",
     "f64x2_mul: pd => |a, b| _mm_div_pd(a, b);"),
    ("exnref_index", "exec/interp/handlers/mod.rs",
     "w(usize::from(s), u64::from(exn) + 1);",
     "w(usize::from(s), u64::from(exn));"),
]


def git(*args):
    return subprocess.run(["git", "-C", ROOT, *args], check=True,
                          capture_output=True, text=True).stdout


def run_seeds(package):
    env = dict(os.environ)
    env.setdefault("CARGO_TARGET_DIR", os.path.join(ROOT, "fuzz-target"))
    start = time.time()
    p = subprocess.run(
        ["cargo", "test", "--release", "--locked", "--manifest-path",
         os.path.join(package, "Cargo.toml"), "--test", "seeds", "--",
         "--nocapture"],
        env=env, capture_output=True, text=True)
    out = p.stdout + p.stderr
    if "error[" in out or "could not compile" in out:
        sys.exit("build failed:\n" + out[-3000:])
    failing = {}
    for m in re.finditer(r"^(\w+) seed (\d+): ", out, re.M):
        failing.setdefault(m.group(1), set()).add(int(m.group(2)))
    return failing, time.time() - start, out


def main():
    args = sys.argv[1:]
    package = os.path.join(ROOT, "fuzz")
    if "--package" in args:
        i = args.index("--package")
        package = os.path.abspath(args[i + 1])
        del args[i:i + 2]
    if git("status", "--porcelain", "--", "crates"):
        sys.exit("crates/ has uncommitted changes: commit or stash them first")
    chosen = [m for m in MUTANTS if not args or m[0] in args]
    for name, path, old, new in chosen:
        full = os.path.join(ROOT, "crates/weft/src", path)
        text = open(full).read()
        if text.count(old) != 1:
            sys.exit(f"{name}: the text to mutate is not in {path} exactly once")
        open(full, "w").write(text.replace(old, new))
        try:
            failing, secs, _ = run_seeds(package)
        finally:
            git("checkout", "--", "crates")
        summary = "; ".join(
            f"{t}: {len(s)} seeds ({', '.join(map(str, sorted(s)[:8]))}"
            f"{', ...' if len(s) > 8 else ''})"
            for t, s in sorted(failing.items())) or "NOT CAUGHT"
        print(f"{name:16} {path:18} {secs:5.0f} s  {summary}", flush=True)


if __name__ == "__main__":
    main()
