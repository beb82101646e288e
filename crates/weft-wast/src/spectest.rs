//! The `spectest` host module the spec tests import (spec interpreter
//! `host/spectest.ml`): printing functions, globals, a table and a memory.

use weft::{
    Global, GlobalType, Linker, Memory, MemoryType, Mutability, RefType, SharedMemory, Store,
    Table, TableType, Val, ValType,
};

pub(crate) fn define(linker: &mut Linker<()>, store: &mut Store<()>) -> weft::Result<()> {
    linker.func_wrap("spectest", "print", || {})?;
    linker.func_wrap("spectest", "print_i32", |_: i32| {})?;
    linker.func_wrap("spectest", "print_i64", |_: i64| {})?;
    linker.func_wrap("spectest", "print_f32", |_: f32| {})?;
    linker.func_wrap("spectest", "print_f64", |_: f64| {})?;
    linker.func_wrap("spectest", "print_i32_f32", |_: i32, _: f32| {})?;
    linker.func_wrap("spectest", "print_f64_f64", |_: f64, _: f64| {})?;
    let g = |store: &mut Store<()>, ty, v| {
        Global::new(store, GlobalType::new(ty, Mutability::Const), v)
    };
    let gi32 = g(store, ValType::I32, Val::I32(666))?;
    let gi64 = g(store, ValType::I64, Val::I64(666))?;
    let gf32 = g(store, ValType::F32, Val::from(666.6f32))?;
    let gf64 = g(store, ValType::F64, Val::from(666.6f64))?;
    linker.define(&*store, "spectest", "global_i32", gi32)?;
    linker.define(&*store, "spectest", "global_i64", gi64)?;
    linker.define(&*store, "spectest", "global_f32", gf32)?;
    linker.define(&*store, "spectest", "global_f64", gf64)?;
    let table = Table::new(
        &mut *store,
        TableType::new(RefType::FUNCREF, 10, Some(20)),
        Val::FuncRef(None),
    )?;
    linker.define(&*store, "spectest", "table", table)?;
    let memory = Memory::new(&mut *store, MemoryType::new(1, Some(2)))?;
    linker.define(&*store, "spectest", "memory", memory)?;
    let shared = SharedMemory::new(store.engine(), MemoryType::shared(1, 2))?;
    linker.define(&*store, "spectest", "shared_memory", shared)?;
    Ok(())
}
