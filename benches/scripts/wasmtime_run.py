"""Runs a WASI command module under Wasmtime (the `wasmtime` PyPI wheel)
the way `wasmtime run FILE ARGS...` does: stdio inherited, arguments
passed, `_start` called; exits with the guest's exit code.

Prints to stderr, as `wasmtime-seconds compile=C run=R`, the seconds
Wasmtime spent compiling the module (Cranelift, no cache) and running it,
measured inside the process, so that Python's own start-up is not counted.

    python3 wasmtime_run.py FILE [ARGS...]
"""

import sys
import time

import wasmtime


def main() -> int:
    path = sys.argv[1]
    config = wasmtime.Config()
    # The cache is off unless configured (as in the `wasmtime` CLI without
    # a cache config).
    engine = wasmtime.Engine(config)
    start = time.perf_counter()
    module = wasmtime.Module.from_file(engine, path)
    compiled = time.perf_counter()
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [path] + sys.argv[2:]
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.inherit_stdin()
    store.set_wasi(wasi)
    instance = linker.instantiate(store, module)
    code = 0
    try:
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    done = time.perf_counter()
    sys.stdout.flush()
    print(
        f"wasmtime-seconds compile={compiled - start:.4f} run={done - compiled:.4f}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
