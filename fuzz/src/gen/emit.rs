//! Encoding a [`Program`] as a WebAssembly binary, in one of two forms
//! that differ only in how exceptions are expressed (see the parent
//! module).
//!
//! The lowered form keeps a pending exception in the global `exn` (tag
//! index + 1, 0 for none) and its payload in globals `exn{tag}_{field}`.
//! A `throw` sets them and branches to the current landing: the innermost
//! enclosing `try`'s dispatch, or the end of the function, which returns
//! zeros. Every call is followed by `global.get exn; br_if landing`. A
//! handler dispatch tests the tag of each catch clause in order, clears
//! `exn`, copies the payload to the handler's locals and runs the handler;
//! if no clause matches, it branches to the next landing out. A caught
//! exception kept for a rethrow is saved in locals (`exn` and every payload
//! global) and restored by the rethrow.

use std::borrow::Cow;

use wasm_encoder::{
    BlockType, Catch as WCatch, CodeSection, ConstExpr, DataSection, ElementSection, Elements,
    ExportKind, ExportSection, Function, FunctionSection, GlobalSection, GlobalType, Ieee32,
    Ieee64, Instruction as I, MemArg, MemArgTarget, MemorySection, MemoryType, Module,
    TableSection, TableType, TagKind, TagSection, TagType, TypeSection, ValType,
};

use super::ops::{desc, Canon, Flag, LOADS, STORES};
use super::simd::{EXTRACTS, REPLACES};
use super::{Addr, Catch, Expr, Func, Program, Stmt, Ty};

/// The two encodings of a program.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Form {
    /// With the exception-handling instructions (for Weft).
    Native,
    /// For wasmi: exceptions as ordinary control flow and globals, and
    /// every `select` condition passed through `local.tee` first. wasmi
    /// 2.0.0 miscompiles `select` whose condition is `i32.eqz` (or `i32.eq`
    /// with 0) of a local: it always picks the first operand
    /// (`tests/fuzzcases/wasmi-select-eqz.wat`); the tee keeps wasmi from
    /// fusing the condition and changes nothing else.
    Lowered,
}

/// The lowered form's pending-exception global: the thrown tag's index
/// plus one, or 0. Its payload is in `exn{tag}_{field}`.
pub const EXN_GLOBAL: &str = "exn";

/// The canonical NaNs (positive, quiet, no payload).
const NAN32: u32 = 0x7fc0_0000;
const NAN64: u64 = 0x7ff8_0000_0000_0000;

fn valtype(t: Ty) -> ValType {
    match t {
        Ty::I32 => ValType::I32,
        Ty::I64 => ValType::I64,
        Ty::F32 => ValType::F32,
        Ty::F64 => ValType::F64,
        Ty::V128 => ValType::V128,
    }
}

fn zero(t: Ty) -> I<'static> {
    konst(t, 0)
}

fn konst(t: Ty, bits: u128) -> I<'static> {
    match t {
        Ty::I32 => I::I32Const(bits as u32 as i32),
        Ty::I64 => I::I64Const(bits as u64 as i64),
        Ty::F32 => I::F32Const(Ieee32::new(bits as u32)),
        Ty::F64 => I::F64Const(Ieee64::new(bits as u64)),
        Ty::V128 => I::V128Const(bits as i128),
    }
}

/// Function types, deduplicated, in the order first asked for.
#[derive(Default)]
struct Types(Vec<(Vec<ValType>, Vec<ValType>)>);

impl Types {
    fn func(&mut self, params: &[ValType], results: &[ValType]) -> u32 {
        let key = (params.to_vec(), results.to_vec());
        match self.0.iter().position(|t| *t == key) {
            Some(i) => i as u32,
            None => {
                self.0.push(key);
                self.0.len() as u32 - 1
            }
        }
    }

    fn of(&mut self, params: &[Ty], results: &[Ty]) -> u32 {
        let p: Vec<ValType> = params.iter().map(|&t| valtype(t)).collect();
        let r: Vec<ValType> = results.iter().map(|&t| valtype(t)).collect();
        self.func(&p, &r)
    }

    fn block(&mut self, results: &[ValType]) -> BlockType {
        match results {
            [] => BlockType::Empty,
            [t] => BlockType::Result(*t),
            _ => BlockType::FunctionType(self.func(&[], results)),
        }
    }
}

/// Encodes `p` in `form`.
pub fn emit(p: &Program, form: Form) -> Vec<u8> {
    let lowered = form == Form::Lowered && !p.tags.is_empty();
    let mut types = Types::default();
    let func_types: Vec<u32> = p
        .funcs
        .iter()
        .map(|f| types.of(&f.params, &f.results))
        .collect();
    let tag_types: Vec<u32> = p.tags.iter().map(|t| types.of(t, &[])).collect();

    // The lowered form's globals, after the program's.
    let exn_global = p.globals.len() as u32;
    let mut payload_globals = Vec::new();
    let mut next = exn_global + 1;
    for tag in &p.tags {
        payload_globals.push((next..next + tag.len() as u32).collect::<Vec<u32>>());
        next += tag.len() as u32;
    }
    let lowering = Lowering {
        on: lowered,
        tee_select: form == Form::Lowered,
        exn_global,
        payload_globals,
    };

    let mut code = CodeSection::new();
    for f in &p.funcs {
        let mut fx = Fx::new(p, f, &lowering, &mut types);
        fx.body();
        code.function(&fx.finish());
    }

    let mut module = Module::new();
    let mut ts = TypeSection::new();
    for (params, results) in &types.0 {
        ts.ty()
            .function(params.iter().copied(), results.iter().copied());
    }
    module.section(&ts);
    let mut fs = FunctionSection::new();
    for &t in &func_types {
        fs.function(t);
    }
    module.section(&fs);
    let table_len = p.table.len() as u64 + u64::from(p.table_nulls);
    let mut tables = TableSection::new();
    tables.table(TableType {
        element_type: wasm_encoder::RefType::FUNCREF,
        table64: false,
        minimum: table_len,
        maximum: Some(table_len),
        shared: false,
    });
    module.section(&tables);
    let mut mems = MemorySection::new();
    for m in &p.mems {
        mems.memory(MemoryType {
            minimum: m.min,
            maximum: Some(m.max),
            memory64: m.is64,
            shared: false,
            page_size_log2: None,
        });
    }
    module.section(&mems);
    if !lowered && !p.tags.is_empty() {
        let mut tags = TagSection::new();
        for &t in &tag_types {
            tags.tag(TagType {
                kind: TagKind::Exception,
                func_type_idx: t,
            });
        }
        module.section(&tags);
    }
    let mut globals = GlobalSection::new();
    for g in &p.globals {
        globals.global(
            GlobalType {
                val_type: valtype(g.ty),
                mutable: g.mutable,
                shared: false,
            },
            &const_expr(g.ty, g.init),
        );
    }
    if lowered {
        let mutable = |t| GlobalType {
            val_type: valtype(t),
            mutable: true,
            shared: false,
        };
        globals.global(mutable(Ty::I32), &const_expr(Ty::I32, 0));
        for tag in &p.tags {
            for &t in tag {
                globals.global(mutable(t), &const_expr(t, 0));
            }
        }
    }
    module.section(&globals);
    let mut exports = ExportSection::new();
    for i in 0..p.funcs.len() as u32 {
        exports.export(&format!("f{i}"), ExportKind::Func, i);
    }
    for i in 0..p.mems.len() as u32 {
        exports.export(&format!("m{i}"), ExportKind::Memory, i);
    }
    for i in 0..p.globals.len() as u32 {
        exports.export(&format!("g{i}"), ExportKind::Global, i);
    }
    if lowered {
        exports.export(EXN_GLOBAL, ExportKind::Global, exn_global);
        for (k, globals) in lowering.payload_globals.iter().enumerate() {
            for (j, &g) in globals.iter().enumerate() {
                exports.export(&format!("{EXN_GLOBAL}{k}_{j}"), ExportKind::Global, g);
            }
        }
    } else {
        for k in 0..p.tags.len() as u32 {
            exports.export(&format!("t{k}"), ExportKind::Tag, k);
        }
    }
    module.section(&exports);
    let mut elems = ElementSection::new();
    elems.active(
        None,
        &ConstExpr::i32_const(0),
        Elements::Functions(Cow::Borrowed(&p.table)),
    );
    module.section(&elems);
    module.section(&code);
    let mut data = DataSection::new();
    for d in &p.data {
        let offset = if p.mems[d.mem as usize].is64 {
            ConstExpr::i64_const(d.offset as i64)
        } else {
            ConstExpr::i32_const(d.offset as i32)
        };
        data.active(d.mem, &offset, d.bytes.iter().copied());
    }
    module.section(&data);
    module.finish()
}

fn const_expr(t: Ty, bits: u128) -> ConstExpr {
    match t {
        Ty::I32 => ConstExpr::i32_const(bits as u32 as i32),
        Ty::I64 => ConstExpr::i64_const(bits as u64 as i64),
        Ty::F32 => ConstExpr::f32_const(Ieee32::new(bits as u32)),
        Ty::F64 => ConstExpr::f64_const(Ieee64::new(bits as u64)),
        Ty::V128 => ConstExpr::v128_const(bits as i128),
    }
}

/// What the lowered form needs to know about its globals.
struct Lowering {
    /// Exceptions are lowered (the lowered form of a program with tags).
    on: bool,
    /// `select` conditions go through `local.tee` (the lowered form).
    tee_select: bool,
    exn_global: u32,
    /// By tag, the globals of its payload fields.
    payload_globals: Vec<Vec<u32>>,
}

/// An entry of the label stack, to compute branch depths.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Key {
    /// A label of the program (`Stmt::Block`, `Expr::Block`).
    Ast(u32),
    /// The end of the `Try` with this number.
    TryEnd(u32),
    /// The lowered form: the dispatch of the `Try` with this number.
    Landing(u32),
    /// The lowered form: the end of the function.
    FnLanding,
    /// A legacy `catch` clause keeping its exception in this slot.
    Catch(u32),
    /// Anything else.
    Other,
}

/// The encoder of one function.
struct Fx<'a> {
    p: &'a Program,
    f: &'a Func,
    low: &'a Lowering,
    types: &'a mut Types,
    out: Vec<I<'static>>,
    labels: Vec<Key>,
    /// The lowered form: where a throw goes (innermost last).
    landings: Vec<Key>,
    /// Scratch locals by `Ty as usize` (for guards and canonicalization).
    scratch: [u32; 5],
    /// Native: the `exnref` local of each slot. Lowered: the first of the
    /// slot's locals (the tag, then every payload field of every tag).
    slot_locals: Vec<u32>,
    locals: Vec<ValType>,
    tries: u32,
}

impl<'a> Fx<'a> {
    fn new(p: &'a Program, f: &'a Func, low: &'a Lowering, types: &'a mut Types) -> Self {
        let mut locals: Vec<ValType> = f.locals.iter().map(|&t| valtype(t)).collect();
        let mut n = (f.params.len() + f.locals.len()) as u32;
        let mut scratch = [0; 5];
        for t in [Ty::I32, Ty::I64, Ty::F32, Ty::F64, Ty::V128] {
            // A v128 local would put the function in Weft's wide mode:
            // only where the program uses SIMD.
            if t == Ty::V128 && !p.simd {
                continue;
            }
            scratch[t as usize] = n;
            locals.push(valtype(t));
            n += 1;
        }
        let mut slot_locals = Vec::new();
        for _ in 0..f.exn_slots {
            slot_locals.push(n);
            if low.on {
                locals.push(ValType::I32);
                n += 1;
                for tag in &p.tags {
                    for &t in tag {
                        locals.push(valtype(t));
                        n += 1;
                    }
                }
            } else {
                locals.push(ValType::EXNREF);
                n += 1;
            }
        }
        Fx {
            p,
            f,
            low,
            types,
            out: Vec::new(),
            labels: Vec::new(),
            landings: Vec::new(),
            scratch,
            slot_locals,
            locals,
            tries: 0,
        }
    }

    fn finish(self) -> Function {
        let mut func = Function::new_with_locals_types(self.locals);
        for i in &self.out {
            func.instruction(i);
        }
        func.instruction(&I::End);
        func
    }

    fn ins(&mut self, i: I<'static>) {
        self.out.push(i);
    }

    fn depth(&self, key: Key) -> u32 {
        let pos = self
            .labels
            .iter()
            .rposition(|&k| k == key)
            .unwrap_or_else(|| panic!("label {key:?} not in scope"));
        (self.labels.len() - 1 - pos) as u32
    }

    fn body(&mut self) {
        let results: Vec<ValType> = self.f.results.iter().map(|&t| valtype(t)).collect();
        if !self.low.on {
            self.stmts(&self.f.body);
            for e in &self.f.ret {
                self.expr(e);
            }
            return;
        }
        self.ins(I::Block(BlockType::Empty));
        self.labels.push(Key::FnLanding);
        self.landings.push(Key::FnLanding);
        let bt = self.types.block(&results);
        self.ins(I::Block(bt));
        self.labels.push(Key::Other);
        self.stmts(&self.f.body);
        for e in &self.f.ret {
            self.expr(e);
        }
        self.ins(I::End);
        self.labels.pop();
        self.ins(I::Return);
        self.ins(I::End);
        self.labels.pop();
        self.landings.pop();
        // A pending exception: any results will do, the caller checks.
        for &t in &self.f.results {
            self.ins(zero(t));
        }
    }

    /// The lowered form: after a call, leave for the landing if the
    /// callee threw.
    fn check_exn(&mut self) {
        if self.low.on {
            self.ins(I::GlobalGet(self.low.exn_global));
            let d = self.depth(*self.landings.last().expect("a landing"));
            self.ins(I::BrIf(d));
        }
    }

    // ---- expressions ----

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Const(t, bits) => self.ins(konst(*t, *bits)),
            Expr::Local(l) => self.ins(I::LocalGet(*l)),
            Expr::Global(g) => self.ins(I::GlobalGet(*g)),
            Expr::Op { op, args, raw } => {
                let d = desc(*op);
                for a in args {
                    self.expr(a);
                }
                if !raw {
                    match d.flag {
                        Flag::DivZero => self.guard_divisor(d.args[1], false),
                        Flag::DivSigned => self.guard_divisor(d.args[1], true),
                        _ => {}
                    }
                }
                self.ins(d.ins.clone());
                match d.flag {
                    Flag::Canon(c) => self.canonicalize(c),
                    Flag::Wide => self.ins(I::I64Xor),
                    _ => {}
                }
            }
            Expr::Tee(l, e) => {
                self.expr(e);
                self.ins(I::LocalTee(*l));
            }
            Expr::Select { ty, typed, c, a, b } => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
                if self.low.tee_select {
                    self.ins(I::LocalTee(self.scratch[Ty::I32 as usize]));
                }
                self.ins(if *typed {
                    I::TypedSelect(valtype(*ty))
                } else {
                    I::Select
                });
            }
            Expr::Load { mem, op, addr } => {
                let a = &LOADS[usize::from(*op)];
                let m = self.address(*mem, addr, a.bytes);
                self.ins((a.ins)(m));
            }
            Expr::Call { func, args } => {
                for a in args {
                    self.expr(a);
                }
                self.ins(I::Call(*func));
                self.check_exn();
            }
            Expr::CallIndirect {
                func,
                index,
                lo,
                span,
                raw,
                args,
            } => {
                for a in args {
                    self.expr(a);
                }
                self.expr(index);
                if !raw {
                    self.ins(I::I32Const(*span as i32));
                    self.ins(I::I32RemU);
                    self.ins(I::I32Const(*lo as i32));
                    self.ins(I::I32Add);
                }
                let f = &self.p.funcs[*func as usize];
                let ty = self.types.of(&f.params, &f.results);
                self.ins(I::CallIndirect {
                    type_index: ty,
                    table_index: 0,
                });
                self.check_exn();
            }
            Expr::Block {
                label,
                ty,
                body,
                value,
            } => {
                self.ins(I::Block(BlockType::Result(valtype(*ty))));
                self.labels.push(Key::Ast(*label));
                self.stmts(body);
                self.expr(value);
                self.ins(I::End);
                self.labels.pop();
            }
            Expr::If { ty, c, then, els } => {
                self.expr(c);
                self.ins(I::If(BlockType::Result(valtype(*ty))));
                self.labels.push(Key::Other);
                self.stmts(&then.0);
                self.expr(&then.1);
                self.ins(I::Else);
                self.stmts(&els.0);
                self.expr(&els.1);
                self.ins(I::End);
                self.labels.pop();
            }
            Expr::MemSize(m) => self.ins(I::MemorySize(*m)),
            Expr::MemGrow(m, delta) => {
                self.expr(delta);
                if self.p.mems[*m as usize].is64 {
                    self.ins(I::I64Const(1));
                    self.ins(I::I64And);
                } else {
                    self.ins(I::I32Const(1));
                    self.ins(I::I32And);
                }
                self.ins(I::MemoryGrow(*m));
            }
            Expr::Extract { op, lane, v } => {
                self.expr(v);
                self.ins((EXTRACTS[usize::from(*op)].0)(*lane));
            }
            Expr::Replace { op, lane, v, x } => {
                self.expr(v);
                self.expr(x);
                self.ins((REPLACES[usize::from(*op)].0)(*lane));
            }
            Expr::Shuffle { lanes, a, b } => {
                self.expr(a);
                self.expr(b);
                self.ins(I::I8x16Shuffle(*lanes));
            }
            Expr::LoadLane {
                mem,
                bytes,
                lane,
                addr,
                v,
            } => {
                let memarg = self.address(*mem, addr, *bytes);
                self.expr(v);
                let lane = *lane;
                self.ins(match bytes {
                    1 => I::V128Load8Lane { memarg, lane },
                    2 => I::V128Load16Lane { memarg, lane },
                    4 => I::V128Load32Lane { memarg, lane },
                    _ => I::V128Load64Lane { memarg, lane },
                });
            }
        }
    }

    /// With the divisor on top of the stack: replaces it by 1 when it is
    /// 0 (or, `signed`, -1).
    fn guard_divisor(&mut self, t: Ty, signed: bool) {
        let s = self.scratch[t as usize];
        let i64 = t == Ty::I64;
        self.ins(I::LocalTee(s));
        self.ins(konst(t, 1));
        self.ins(I::LocalGet(s));
        if signed {
            // (d + 1) >u 1: neither 0 nor -1.
            self.ins(konst(t, 1));
            self.ins(if i64 { I::I64Add } else { I::I32Add });
            self.ins(konst(t, 1));
            self.ins(if i64 { I::I64GtU } else { I::I32GtU });
        } else if i64 {
            self.ins(I::I64Const(0));
            self.ins(I::I64Ne);
        }
        self.ins(I::Select);
    }

    /// Replaces a NaN (or NaN lanes) on top of the stack by the canonical
    /// NaN.
    fn canonicalize(&mut self, c: Canon) {
        let (t, nan, ne) = match c {
            Canon::F32 => (Ty::F32, u128::from(NAN32), I::F32Ne),
            Canon::F64 => (Ty::F64, u128::from(NAN64), I::F64Ne),
            Canon::V32 => (
                Ty::V128,
                (0..4).fold(0, |v, i| v | u128::from(NAN32) << (32 * i)),
                I::F32x4Ne,
            ),
            Canon::V64 => (
                Ty::V128,
                u128::from(NAN64) | u128::from(NAN64) << 64,
                I::F64x2Ne,
            ),
        };
        let s = self.scratch[t as usize];
        self.ins(I::LocalSet(s));
        self.ins(konst(t, nan));
        self.ins(I::LocalGet(s));
        self.ins(I::LocalGet(s));
        self.ins(I::LocalGet(s));
        self.ins(ne);
        self.ins(if t == Ty::V128 {
            I::V128Bitselect
        } else {
            I::Select
        });
    }

    /// Pushes the dynamic address (masked) and returns the memarg.
    fn address(&mut self, mem: u32, a: &Addr, bytes: u8) -> MemArg {
        self.base(mem, a);
        MemArg {
            offset: a.offset,
            align: bytes.trailing_zeros(),
            target: MemArgTarget::Memory(mem),
            ordering: None,
        }
    }

    /// Pushes the masked base of `a`.
    fn base(&mut self, mem: u32, a: &Addr) {
        self.expr(&a.base);
        if let Some(mask) = a.mask {
            if self.p.mems[mem as usize].is64 {
                self.ins(I::I64Const(mask as i64));
                self.ins(I::I64And);
            } else if a.index_shift > 0 {
                // (base & h) + ((base & (h >> k)) << k): at most mask.
                let (h, k) = ((mask >> 1) as i32, i32::from(a.index_shift));
                let s = self.scratch[Ty::I32 as usize];
                self.ins(I::LocalTee(s));
                self.ins(I::I32Const(h));
                self.ins(I::I32And);
                self.ins(I::LocalGet(s));
                self.ins(I::I32Const(h >> k));
                self.ins(I::I32And);
                self.ins(I::I32Const(k));
                self.ins(I::I32Shl);
                self.ins(I::I32Add);
            } else {
                self.ins(I::I32Const(mask as i32));
                self.ins(I::I32And);
            }
        }
    }

    /// Pushes the full address of `a` (the offset added), for bulk
    /// operations.
    fn full_address(&mut self, mem: u32, a: &Addr) {
        self.base(mem, a);
        if a.offset != 0 {
            if self.p.mems[mem as usize].is64 {
                self.ins(I::I64Const(a.offset as i64));
                self.ins(I::I64Add);
            } else {
                self.ins(I::I32Const(a.offset as i32));
                self.ins(I::I32Add);
            }
        }
    }

    fn len_const(&mut self, mem: u32, len: u32) {
        self.ins(if self.p.mems[mem as usize].is64 {
            I::I64Const(i64::from(len))
        } else {
            I::I32Const(len as i32)
        });
    }

    // ---- statements ----

    fn stmts(&mut self, s: &[Stmt]) {
        for s in s {
            self.stmt(s);
        }
    }

    fn stmt(&mut self, s: &Stmt) {
        match s {
            Stmt::Set(l, e) => {
                self.expr(e);
                self.ins(I::LocalSet(*l));
            }
            Stmt::GlobalSet(g, e) => {
                self.expr(e);
                self.ins(I::GlobalSet(*g));
            }
            Stmt::Store {
                mem,
                op,
                addr,
                value,
            } => {
                let a = &STORES[usize::from(*op)];
                let m = self.address(*mem, addr, a.bytes);
                self.expr(value);
                self.ins((a.ins)(m));
            }
            Stmt::StoreLane {
                mem,
                bytes,
                lane,
                addr,
                v,
            } => {
                let memarg = self.address(*mem, addr, *bytes);
                self.expr(v);
                let lane = *lane;
                self.ins(match bytes {
                    1 => I::V128Store8Lane { memarg, lane },
                    2 => I::V128Store16Lane { memarg, lane },
                    4 => I::V128Store32Lane { memarg, lane },
                    _ => I::V128Store64Lane { memarg, lane },
                });
            }
            Stmt::If { c, then, els } => {
                self.expr(c);
                self.ins(I::If(BlockType::Empty));
                self.labels.push(Key::Other);
                self.stmts(then);
                if !els.is_empty() {
                    self.ins(I::Else);
                    self.stmts(els);
                }
                self.ins(I::End);
                self.labels.pop();
            }
            Stmt::Block { label, body } => {
                self.ins(I::Block(BlockType::Empty));
                self.labels.push(Key::Ast(*label));
                self.stmts(body);
                self.ins(I::End);
                self.labels.pop();
            }
            Stmt::Loop {
                counter,
                n,
                form,
                body,
            } => {
                let c = *counter;
                self.ins(I::I32Const(*n as i32));
                self.ins(I::LocalSet(c));
                self.ins(I::Loop(BlockType::Empty));
                self.labels.push(Key::Other);
                self.stmts(body);
                match form {
                    0 => {
                        self.ins(I::LocalGet(c));
                        self.ins(I::I32Const(1));
                        self.ins(I::I32Sub);
                        self.ins(I::LocalTee(c));
                        self.ins(I::BrIf(0));
                    }
                    1 => {
                        self.ins(I::LocalGet(c));
                        self.ins(I::I32Const(-1));
                        self.ins(I::I32Add);
                        self.ins(I::LocalTee(c));
                        self.ins(I::I32Const(0));
                        self.ins(I::I32GtS);
                        self.ins(I::BrIf(0));
                    }
                    _ => {
                        self.ins(I::LocalGet(c));
                        self.ins(I::I32Const(1));
                        self.ins(I::I32Sub);
                        self.ins(I::LocalSet(c));
                        self.ins(I::I32Const(0));
                        self.ins(I::LocalGet(c));
                        self.ins(I::I32LtS);
                        self.ins(I::BrIf(0));
                    }
                }
                self.ins(I::End);
                self.labels.pop();
            }
            Stmt::BrIf { label, c } => {
                self.expr(c);
                self.ins(I::BrIf(self.depth(Key::Ast(*label))));
            }
            Stmt::BrIfValue { label, value, c } => {
                self.expr(value);
                self.expr(c);
                self.ins(I::BrIf(self.depth(Key::Ast(*label))));
                self.ins(I::Drop);
            }
            Stmt::BrTable {
                index,
                labels,
                default,
            } => {
                self.expr(index);
                let depths: Vec<u32> = labels.iter().map(|&l| self.depth(Key::Ast(l))).collect();
                let default = self.depth(Key::Ast(*default));
                self.ins(I::BrTable(Cow::Owned(depths), default));
            }
            Stmt::Call { func, args, dests } => {
                for a in args {
                    self.expr(a);
                }
                self.ins(I::Call(*func));
                self.check_exn();
                for d in dests.iter().rev() {
                    self.ins(match d {
                        Some(l) => I::LocalSet(*l),
                        None => I::Drop,
                    });
                }
            }
            Stmt::ReturnCall { func, args } => {
                for a in args {
                    self.expr(a);
                }
                self.ins(I::ReturnCall(*func));
            }
            Stmt::Return(values) => {
                for v in values {
                    self.expr(v);
                }
                self.ins(I::Return);
            }
            Stmt::Trap(c) => {
                self.expr(c);
                self.ins(I::If(BlockType::Empty));
                self.ins(I::Unreachable);
                self.ins(I::End);
            }
            Stmt::Fill {
                mem,
                dst,
                value,
                len,
            } => {
                self.full_address(*mem, dst);
                self.expr(value);
                self.len_const(*mem, *len);
                self.ins(I::MemoryFill(*mem));
            }
            Stmt::Copy { mem, dst, src, len } => {
                self.full_address(*mem, dst);
                self.full_address(*mem, src);
                self.len_const(*mem, *len);
                self.ins(I::MemoryCopy {
                    src_mem: *mem,
                    dst_mem: *mem,
                });
            }
            Stmt::Throw { tag, args } => {
                for a in args {
                    self.expr(a);
                }
                if !self.low.on {
                    self.ins(I::Throw(*tag));
                    return;
                }
                for &g in self.low.payload_globals[*tag as usize].iter().rev() {
                    self.ins(I::GlobalSet(g));
                }
                self.ins(I::I32Const(*tag as i32 + 1));
                self.ins(I::GlobalSet(self.low.exn_global));
                self.br_landing();
            }
            Stmt::Try {
                legacy,
                body,
                catches,
            } => {
                // Clauses after the first catch-all never run (and legacy
                // `try` allows none).
                let n = catches
                    .iter()
                    .position(|c| c.tag.is_none())
                    .map_or(catches.len(), |i| i + 1);
                let catches = &catches[..n];
                if self.low.on {
                    self.try_lowered(body, catches);
                } else if *legacy {
                    self.try_legacy(body, catches);
                } else {
                    self.try_table(body, catches);
                }
            }
            Stmt::Rethrow { slot } => {
                if !self.low.on {
                    match self.labels.iter().rposition(|&k| k == Key::Catch(*slot)) {
                        Some(_) => self.ins(I::Rethrow(self.depth(Key::Catch(*slot)))),
                        None => {
                            self.ins(I::LocalGet(self.slot_locals[*slot as usize]));
                            self.ins(I::ThrowRef);
                        }
                    }
                    return;
                }
                // Restore the saved exception and throw it again.
                let mut l = self.slot_locals[*slot as usize] + 1;
                for k in 0..self.p.tags.len() {
                    for &g in &self.low.payload_globals[k] {
                        self.ins(I::LocalGet(l));
                        self.ins(I::GlobalSet(g));
                        l += 1;
                    }
                }
                self.ins(I::LocalGet(self.slot_locals[*slot as usize]));
                self.ins(I::GlobalSet(self.low.exn_global));
                self.br_landing();
            }
        }
    }

    fn br_landing(&mut self) {
        let d = self.depth(*self.landings.last().expect("a landing"));
        self.ins(I::Br(d));
    }

    fn payload(&self, c: &Catch) -> Vec<ValType> {
        match c.tag {
            Some(t) => self.p.tags[t as usize]
                .iter()
                .map(|&t| valtype(t))
                .collect(),
            None => Vec::new(),
        }
    }

    fn set_dests(&mut self, c: &Catch) {
        for &d in c.dests.iter().rev() {
            self.ins(I::LocalSet(d));
        }
    }

    fn try_table(&mut self, body: &[Stmt], catches: &[Catch]) {
        let id = self.tries;
        self.tries += 1;
        self.ins(I::Block(BlockType::Empty));
        self.labels.push(Key::TryEnd(id));
        // One block per clause, the first clause's innermost.
        for c in catches.iter().rev() {
            let mut results = self.payload(c);
            if c.slot.is_some() {
                results.push(ValType::EXNREF);
            }
            let bt = self.types.block(&results);
            self.ins(I::Block(bt));
            self.labels.push(Key::Other);
        }
        let clauses: Vec<WCatch> = catches
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let label = i as u32;
                match (c.tag, c.slot.is_some()) {
                    (Some(tag), false) => WCatch::One { tag, label },
                    (Some(tag), true) => WCatch::OneRef { tag, label },
                    (None, false) => WCatch::All { label },
                    (None, true) => WCatch::AllRef { label },
                }
            })
            .collect();
        self.ins(I::TryTable(BlockType::Empty, Cow::Owned(clauses)));
        self.labels.push(Key::Other);
        self.stmts(body);
        self.ins(I::End);
        self.labels.pop();
        self.ins(I::Br(self.depth(Key::TryEnd(id))));
        for c in catches {
            self.ins(I::End);
            self.labels.pop();
            if let Some(slot) = c.slot {
                self.ins(I::LocalSet(self.slot_locals[slot as usize]));
            }
            self.set_dests(c);
            self.stmts(&c.body);
            self.ins(I::Br(self.depth(Key::TryEnd(id))));
        }
        self.ins(I::End);
        self.labels.pop();
    }

    fn try_legacy(&mut self, body: &[Stmt], catches: &[Catch]) {
        self.ins(I::Try(BlockType::Empty));
        self.labels.push(Key::Other);
        self.stmts(body);
        for c in catches {
            match c.tag {
                Some(t) => self.ins(I::Catch(t)),
                None => self.ins(I::CatchAll),
            }
            *self.labels.last_mut().expect("the try label") = match c.slot {
                Some(s) => Key::Catch(s),
                None => Key::Other,
            };
            self.set_dests(c);
            self.stmts(&c.body);
        }
        self.ins(I::End);
        self.labels.pop();
    }

    fn try_lowered(&mut self, body: &[Stmt], catches: &[Catch]) {
        let id = self.tries;
        self.tries += 1;
        let exn = self.low.exn_global;
        self.ins(I::Block(BlockType::Empty));
        self.labels.push(Key::TryEnd(id));
        self.ins(I::Block(BlockType::Empty));
        self.labels.push(Key::Landing(id));
        self.landings.push(Key::Landing(id));
        self.stmts(body);
        self.ins(I::Br(self.depth(Key::TryEnd(id))));
        self.ins(I::End);
        self.labels.pop();
        self.landings.pop();
        // An exception is pending: the first matching clause handles it.
        for c in catches {
            if let Some(t) = c.tag {
                self.ins(I::GlobalGet(exn));
                self.ins(I::I32Const(t as i32 + 1));
                self.ins(I::I32Eq);
                self.ins(I::If(BlockType::Empty));
                self.labels.push(Key::Other);
            }
            if let Some(slot) = c.slot {
                let mut l = self.slot_locals[slot as usize];
                self.ins(I::GlobalGet(exn));
                self.ins(I::LocalSet(l));
                for k in 0..self.p.tags.len() {
                    for &g in &self.low.payload_globals[k] {
                        l += 1;
                        self.ins(I::GlobalGet(g));
                        self.ins(I::LocalSet(l));
                    }
                }
            }
            self.ins(I::I32Const(0));
            self.ins(I::GlobalSet(exn));
            if let Some(t) = c.tag {
                // Last field first, as the native form pops them (a local
                // may receive two fields).
                for (j, &d) in c.dests.iter().enumerate().rev() {
                    self.ins(I::GlobalGet(self.low.payload_globals[t as usize][j]));
                    self.ins(I::LocalSet(d));
                }
            }
            self.stmts(&c.body);
            self.ins(I::Br(self.depth(Key::TryEnd(id))));
            if c.tag.is_some() {
                self.ins(I::End);
                self.labels.pop();
            }
        }
        // None matched: on to the next landing out.
        self.br_landing();
        self.ins(I::End);
        self.labels.pop();
    }
}
