#!/usr/bin/env bash
# Cross-builds Weft for aarch64 Linux and runs its tests under qemu's user
# mode on an x86-64 Linux machine: the compiler tier's aarch64 backend,
# the NEON operators, the frame-record walk of collections under compiled
# frames, and the tail-dispatch interpreter, none of which an x86-64 run
# exercises.
#
# Not run by `.ci/run`: it needs the `aarch64-unknown-linux-gnu` Rust
# target (`rustup target add`, which needs the network to reach
# static.rust-lang.org) and takes most of an hour on two cores (qemu runs
# the debug test builds some 10-30x slower than native).
#
#   crates/weft/tools/aarch64-check.sh            # every stage
#   crates/weft/tools/aarch64-check.sh lib all    # only those stages
#
# Stages:
#   lib   `weft`'s unit tests (with NEON: simd::fast checks every NEON
#         operator against the portable lane code)
#   all   `weft`'s integration tests (compiler tier on: Strategy::Auto)
#   spec  the spec suites under the compiler tier: `cranelift/`, `auto/`,
#         `cranelift-with-limits/`, and through native artifacts mapped by
#         `deserialize_file` and taken in place by `deserialize_raw`
#   tail  the interpreter alone with tail-call dispatch at opt-level 3 (as
#         `.ci/run` builds it on x86-64): the whole spec suite and `all`,
#         then check-tail-dispatch.sh on the machine code
#   fuzz  the fuzz targets' bodies over their fixed seeds (as `.ci/run`
#         runs them): among them the differential target, which compares
#         the interpreter, compiled code and wasmi on generated modules
#   wasi  the release CLI runs the WASI C programs of benches/wasi (built
#         with clang against wasi-libc) at their bench sizes interpreted,
#         compiled, tiered up from the interpreter and from a native
#         artifact, and each must print what benches/wasi/expected.txt says
#
# Needs (Debian): gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user
# (and g++-aarch64-linux-gnu for the fuzz stage: libfuzzer-sys is C++),
# and `rustup target add aarch64-unknown-linux-gnu`.
set -euo pipefail
cd "$(dirname "$0")/../../.."

target=aarch64-unknown-linux-gnu
if ! rustup target list --installed 2>/dev/null | grep -qx "$target"; then
  echo "the $target Rust target is needed: rustup target add $target" >&2
  exit 1
fi
for tool in aarch64-linux-gnu-gcc qemu-aarch64; do
  command -v "$tool" >/dev/null || {
    echo "$tool is needed: apt-get install gcc-aarch64-linux-gnu libc6-dev-arm64-cross qemu-user" >&2
    exit 1
  }
done
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
run=(qemu-aarch64 -L /usr/aarch64-linux-gnu)

# The newest test binary NAME that `cargo test --no-run` built into DIR.
newest() {
  ls -t "$1"/"$2"-* | grep -v '\.d$' | head -n 1
}

stages=("$@")
[ ${#stages[@]} -gt 0 ] || stages=(lib all spec tail fuzz wasi)
for stage in "${stages[@]}"; do
  echo "== aarch64: $stage"
  case $stage in
    lib) cargo test --locked --target "$target" -p weft --lib ;;
    all) cargo test --locked --target "$target" -p weft --test all ;;
    spec)
      cargo test --locked --target "$target" -p weft-wast --features cranelift --test spec --no-run
      spec=$(newest "target/$target/debug/deps" spec)
      # libtest-mimic takes one filter: one run per category.
      (cd crates/weft-wast && for category in cranelift/ auto/ cranelift-with-limits/ \
          cranelift-via-deserialize-file/ cranelift-via-deserialize-raw/; do
        echo "-- $category"
        "${run[@]}" "../../$spec" --quiet "$category"
      done)
      ;;
    tail)
      CARGO_TARGET_DIR=target/tail-dispatch CARGO_PROFILE_DEV_OPT_LEVEL=3 WEFT_DISPATCH=tail \
        cargo test --locked --target "$target" -p weft-wast -p weft \
        --no-default-features --features weft/std --test spec --test all --no-run
      deps=target/tail-dispatch/$target/debug/deps
      "${run[@]}" "$(newest "$deps" all)" --quiet
      # One process per category: qemu 7.2 keeps bookkeeping for every
      # page of every address-space reservation it has seen (a linear
      # memory's is 8 GiB), so all 970 trials in one process run the
      # machine out of memory (24 GiB at some 720 trials).
      spec=$(newest "$deps" spec)
      (cd crates/weft-wast && for category in $("${run[@]}" "../../$spec" --list \
          | sed -n 's|^\([^/]*\)/.*: test$|\1|p' | sort -u); do
        echo "-- $category/"
        "${run[@]}" "../../$spec" --quiet "$category/"
      done)
      crates/weft/tools/check-tail-dispatch.sh "$(newest "$deps" all)"
      ;;
    fuzz)
      command -v aarch64-linux-gnu-g++ >/dev/null || {
        echo "aarch64-linux-gnu-g++ is needed: apt-get install g++-aarch64-linux-gnu" >&2
        exit 1
      }
      cargo test --manifest-path fuzz/Cargo.toml --release --locked --target "$target"
      ;;
    wasi)
      cargo build --locked --release --target "$target" -p weft-cli
      weft=(qemu-aarch64 -L /usr/aarch64-linux-gnu "target/$target/release/weft")
      out=target/aarch64-wasi
      mkdir -p "$out"
      grep -v '^#' benches/wasi/programs.txt | while read -r name source size _ flags; do
        clang --target=wasm32-wasi --sysroot=/usr -O2 -Wl,--strip-debug $flags \
          "benches/wasi/$source" -o "$out/$name.wasm"
        expected=$(sed -n "s/^$name: //p" benches/wasi/expected.txt)
        # Every function compiled (no silent fall back to the interpreter).
        report=$("${weft[@]}" inspect --compiler "$out/$name.wasm" | head -n 1)
        if ! grep -qE '^compiled by Cranelift: ([0-9]+) of \1 defined functions$' <<<"$report"; then
          echo "$name: $report" >&2
          exit 1
        fi
        "${weft[@]}" compile -C compiler=cranelift "$out/$name.wasm" -o "$out/$name.cwasm"
        # `tier-up`: auto with the module left to the interpreter at start,
        # so hot functions are compiled in the background and switched to.
        for mode in interpreter cranelift tier-up native; do
          case $mode in
            native) got=$("${weft[@]}" run --allow-precompiled "$out/$name.cwasm" "$size") ;;
            tier-up) got=$("${weft[@]}" run -C cache=n -C compiler=auto \
                -C eager-compile-size=0 "$out/$name.wasm" "$size") ;;
            *) got=$("${weft[@]}" run -C cache=n -C compiler=$mode "$out/$name.wasm" "$size") ;;
          esac
          if [ "$got" != "$expected" ]; then
            echo "$name under $mode printed '$got', expected '$expected'" >&2
            exit 1
          fi
          echo "$name ($mode): $got"
        done
      done
      ;;
    *)
      echo "unknown stage $stage (lib, all, spec, tail, fuzz, wasi)" >&2
      exit 1
      ;;
  esac
done
