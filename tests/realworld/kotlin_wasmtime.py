"""Runs a Kotlin/Wasm (wasm-wasi) module under Wasmtime (the `wasmtime` PyPI
wheel, 48.0.0) the way `wasmtime run -W gc,function-references,exceptions
FILE ARGS...` does: the GC, typed function references and exception
handling proposals on (the modules need all three: GC structs and arrays,
typed `call_ref`, and `try_table`/`throw`/`exnref`), WASI preview 1 with
stdio inherited and the arguments passed, `_start` called; exits with the
guest's exit code (a trap prints Wasmtime's message and exits with 1).

Prints to stderr, as `wasmtime-seconds compile=C run=R`, the seconds
Wasmtime spent compiling the module (Cranelift, no cache) and
instantiating and running it, measured inside the process, so that
Python's own start-up is not counted.

    python3 kotlin_wasmtime.py [--imports] FILE [ARGS...]

--imports   print the module's imports and exports to stderr before running

tests/realworld/kotlin-build.sh builds the modules (and, with --check, runs
them with this script against tests/realworld/kotlin/*.expected).
"""

import sys
import time

import wasmtime


def describe(ty) -> str:
    if isinstance(ty, wasmtime.FuncType):
        params = ", ".join(str(p) for p in ty.params)
        results = ", ".join(str(r) for r in ty.results)
        return f"func ({params}) -> ({results})"
    if isinstance(ty, wasmtime.MemoryType):
        return f"memory {ty.limits.min}..{ty.limits.max}"
    return type(ty).__name__


def main() -> int:
    args = sys.argv[1:]
    show_imports = False
    while args and args[0].startswith("--"):
        flag = args.pop(0)
        if flag == "--imports":
            show_imports = True
        else:
            print(f"unknown flag {flag}", file=sys.stderr)
            return 2
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    path = args[0]
    config = wasmtime.Config()
    config.wasm_gc = True
    config.wasm_function_references = True
    config.wasm_exceptions = True
    # The cache is off unless configured (as in the `wasmtime` CLI without
    # a cache config).
    engine = wasmtime.Engine(config)
    start = time.perf_counter()
    module = wasmtime.Module.from_file(engine, path)
    compiled = time.perf_counter()
    if show_imports:
        for imp in module.imports:
            print(f"import {imp.module}.{imp.name}: {describe(imp.type)}", file=sys.stderr)
        for exp in module.exports:
            print(f"export {exp.name}: {describe(exp.type)}", file=sys.stderr)
    linker = wasmtime.Linker(engine)
    linker.define_wasi()
    store = wasmtime.Store(engine)
    wasi = wasmtime.WasiConfig()
    wasi.argv = [path] + args[1:]
    wasi.inherit_stdout()
    wasi.inherit_stderr()
    wasi.inherit_stdin()
    store.set_wasi(wasi)
    code = 0
    try:
        instance = linker.instantiate(store, module)
        instance.exports(store)["_start"](store)
    except wasmtime.ExitTrap as e:
        code = e.code
    except (wasmtime.Trap, wasmtime.WasmtimeError) as e:
        sys.stdout.flush()
        print(f"wasmtime: {e}", file=sys.stderr)
        code = 1
    done = time.perf_counter()
    sys.stdout.flush()
    print(
        f"wasmtime-seconds compile={compiled - start:.4f} run={done - compiled:.4f}",
        file=sys.stderr,
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
