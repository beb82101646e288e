"""Runs a WASI command module under Wasmtime (the `wasmtime` PyPI wheel)
the way `wasmtime run FILE ARGS...` does: stdio inherited, arguments
passed, `_start` called; exits with the guest's exit code.

Prints to stderr, as `wasmtime-seconds compile=C run=R`, the seconds
Wasmtime spent compiling the module (Cranelift, no cache; or loading it,
with --precompiled) and running it, measured inside the process, so that
Python's own start-up is not counted.

    python3 wasmtime_run.py [--exceptions] [--dir HOST::GUEST]... [--precompiled] [--save OUT] FILE [ARGS...]

--exceptions       turn the exception-handling proposal on (`-W exceptions`)
--dir HOST::GUEST  preopen HOST as GUEST (as `wasmtime run --dir`)
--precompiled      FILE is a Wasmtime artifact (`--save`), loaded with
                   `Module.deserialize_file` instead of compiled
--save OUT         after compiling, write the compiled module to OUT (a
                   Wasmtime artifact) and exit without running it
"""

import sys
import time

import wasmtime


def main() -> int:
    args = sys.argv[1:]
    dirs = []
    precompiled = False
    exceptions = False
    save = None
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--dir":
            host, _, guest = args.pop(0).partition("::")
            dirs.append((host, guest or host))
        elif flag == "--exceptions":
            exceptions = True
        elif flag == "--precompiled":
            precompiled = True
        elif flag == "--save":
            save = args.pop(0)
        else:
            print(f"unknown flag {flag}", file=sys.stderr)
            return 2
    path = args[0]
    config = wasmtime.Config()
    if exceptions:
        config.wasm_exceptions = True
    # The cache is off unless configured (as in the `wasmtime` CLI without
    # a cache config).
    engine = wasmtime.Engine(config)
    start = time.perf_counter()
    if precompiled:
        module = wasmtime.Module.deserialize_file(engine, path)
    else:
        module = wasmtime.Module.from_file(engine, path)
    compiled = time.perf_counter()
    if save is not None:
        with open(save, "wb") as out:
            out.write(module.serialize())
        print(f"wasmtime-seconds compile={compiled - start:.4f}", file=sys.stderr)
        return 0
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [path] + args[1:]
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.inherit_stdin()
    for host, guest in dirs:
        wasi.preopen_dir(host, guest)
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
