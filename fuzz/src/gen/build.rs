//! Building a random [`Program`]: module-level parts, then each function's
//! statements and expressions, with the bounds that make it run to
//! completion (see the parent module).

use wasm_encoder::Instruction as I;

use super::ops::{self, by_type, desc, Flag, LOADS, STORES};
use super::Ty::{self, *};
use super::{Addr, Catch, Data, Expr, Features, Func, Global, Mem, Program, Src, Stmt};

/// The most work (statements executed, callees included) one call of a
/// function may do, estimated statically.
const MAX_COST: u64 = 3_000;

/// The most iterations of nested loops around a statement.
const MAX_LOOP_PRODUCT: u64 = 48;

/// The most expression and statement nodes in one function.
const NODES: i32 = 800;

/// The generator's state.
pub(crate) struct Gen<'a, 'b> {
    pub(super) src: &'b mut Src<'a>,
    p: Program,
    /// Estimated cost of each function generated so far.
    costs: Vec<u64>,
    f: FuncCtx,
    swarm: Swarm,
    /// The global that every observed value is folded into.
    acc: u32,
}

/// Swarm testing: each program favours a random part of what the generator
/// can write (some operators, some kinds of expressions and statements,
/// some types), so what it does use, it uses many times: an operator that
/// is one in three hundred in every program is one in thirty in a tenth
/// of them, which finds more bugs in that operator.
struct Swarm {
    /// Operators (`Expr::Op::op`) the program uses.
    ops: Vec<bool>,
    /// Weight factors of the expression kinds (see `Gen::expr`).
    exprs: [u32; 13],
    /// Weight factors of the statement kinds (see `Gen::stmt`).
    stmts: [u32; 18],
    /// Weight factors of the value types.
    types: [u32; 5],
    /// Whether the program may trap: one in eight leave some divisions,
    /// float-to-int conversions, addresses and indirect calls unguarded
    /// and have a few data-dependent `unreachable`s. The others run to
    /// completion unless an exception leaves them.
    traps: bool,
}

impl Swarm {
    fn new(src: &mut Src<'_>) -> Swarm {
        let one_in = src.pick(&[1, 1, 2, 4, 8]);
        let n = ops::count();
        let ops = (0..n).map(|_| src.chance(1, one_in)).collect();
        let mut factor = || src.pick(&[0, 1, 1, 2, 4]);
        let mut exprs = [0; 13];
        exprs.iter_mut().for_each(|x| *x = factor());
        let mut stmts = [0; 18];
        stmts.iter_mut().for_each(|x| *x = factor());
        // Leaves, operators and local.set stay.
        exprs[0] = exprs[0].max(1);
        exprs[1] = exprs[1].max(1);
        stmts[0] = stmts[0].max(1);
        let mut types = [0; 5];
        types.iter_mut().for_each(|x| *x = src.pick(&[1, 1, 2, 4]));
        let traps = src.chance(1, 8);
        Swarm {
            ops,
            exprs,
            stmts,
            types,
            traps,
        }
    }

    /// `list` restricted to the program's operators (all of it if none
    /// remain).
    fn filter(&self, list: &[u16]) -> Vec<u16> {
        let kept: Vec<u16> = list
            .iter()
            .copied()
            .filter(|&o| self.ops[usize::from(o)])
            .collect();
        if kept.is_empty() {
            list.to_vec()
        } else {
            kept
        }
    }
}

/// Per-function state.
#[derive(Default)]
struct FuncCtx {
    index: u32,
    /// Parameters and locals.
    locals: Vec<Ty>,
    /// Loop counters: read, never written except by their loop.
    counters: Vec<u32>,
    /// Enclosing branch targets: label, and the value type for
    /// `Expr::Block`s.
    labels: Vec<(u32, Option<Ty>)>,
    next_label: u32,
    /// The slot of the innermost enclosing handler that keeps its
    /// exception.
    rethrow: Option<u32>,
    /// Enclosing `Try` bodies.
    in_try: u32,
    slots: u32,
    cost: u64,
    /// Iterations of the enclosing loops.
    mult: u64,
    results: Vec<Ty>,
    nodes: i32,
}

/// A random program.
pub(super) fn program(src: &mut Src<'_>, feats: Features) -> Program {
    let simd = feats.simd && src.chance(1, 2);
    let exceptions = feats.exceptions && src.chance(2, 5);
    let swarm = Swarm::new(src);
    let mut g = Gen {
        src,
        p: Program {
            simd,
            mems: Vec::new(),
            data: Vec::new(),
            globals: Vec::new(),
            tags: Vec::new(),
            funcs: Vec::new(),
            table: Vec::new(),
            table_nulls: 0,
            pool: Default::default(),
        },
        costs: Vec::new(),
        f: FuncCtx::default(),
        swarm,
        acc: 0,
    };
    g.module_parts(exceptions);
    g.p
}

impl Gen<'_, '_> {
    fn module_parts(&mut self, exceptions: bool) {
        for ty in [I32, I64, F32, F64, V128] {
            let pool = (0..self.src.range(2, 6))
                .map(|_| self.fresh_bits(ty))
                .collect();
            self.p.pool[ty as usize] = pool;
        }
        self.p.mems.push(Mem {
            is64: self.src.chance(1, 8),
            min: 1,
            max: 2,
        });
        if self.src.chance(1, 4) {
            self.p.mems.push(Mem {
                is64: self.src.chance(1, 2),
                min: 1,
                max: 1,
            });
        }
        for mem in 0..self.p.mems.len() as u32 {
            for _ in 0..self.src.range(1, 4) {
                let offset = if self.src.chance(2, 3) {
                    u64::from(self.src.below(0x100))
                } else {
                    u64::from(self.src.below(0xff00))
                };
                let len = self.src.range(1, 48);
                let bytes = (0..len).map(|_| self.src.byte()).collect();
                self.p.data.push(Data { mem, offset, bytes });
            }
        }
        for _ in 0..self.src.range(1, 6) {
            let ty = self.ty();
            let init = self.konst_bits(ty);
            let mutable = self.src.chance(4, 5);
            self.p.globals.push(Global { ty, mutable, init });
        }
        // The accumulator of observed values (see `observe`).
        self.acc = self.p.globals.len() as u32;
        self.p.globals.push(Global {
            ty: I64,
            mutable: true,
            init: 0,
        });
        if exceptions {
            for _ in 0..self.src.range(1, 3) {
                let n = self.src.below(3);
                let tag = (0..n).map(|_| self.ty()).collect();
                self.p.tags.push(tag);
            }
        }
        // Signatures first: callers need their callees' types.
        let n = self.src.range(2, 6);
        for _ in 0..n {
            let params = (0..self.src.below(5)).map(|_| self.ty()).collect();
            let nresults = self.src.pick(&[0, 1, 1, 1, 1, 1, 2, 2, 3]);
            let results = (0..nresults).map(|_| self.ty()).collect();
            self.p.funcs.push(Func {
                params,
                results,
                locals: Vec::new(),
                body: Vec::new(),
                ret: Vec::new(),
                exn_slots: 0,
            });
        }
        // The table groups functions by signature, each group in index
        // order, so "same type, index above the caller's" is a range.
        let mut order: Vec<u32> = (0..n).collect();
        order.sort_by_key(|&i| (self.sig_key(i), i));
        self.p.table = order;
        self.p.table_nulls = self.src.below(3);
        self.costs = vec![0; n as usize];
        for i in (0..n).rev() {
            self.func(i);
        }
    }

    /// A key equal for functions of the same signature.
    fn sig_key(&self, i: u32) -> (Vec<Ty>, Vec<Ty>) {
        let f = &self.p.funcs[i as usize];
        (f.params.clone(), f.results.clone())
    }

    fn ty(&mut self) -> Ty {
        let t = self.swarm.types;
        let w = [
            40 * t[0],
            25 * t[1],
            10 * t[2],
            10 * t[3],
            if self.p.simd { 15 * t[4] } else { 0 },
        ];
        [I32, I64, F32, F64, V128][self.src.weighted(&w)]
    }

    fn func(&mut self, index: u32) {
        let (params, results) = self.sig_key(index);
        self.f = FuncCtx {
            index,
            locals: params.clone(),
            results: results.clone(),
            mult: 1,
            nodes: NODES,
            ..FuncCtx::default()
        };
        for _ in 0..self.src.range(1, 8) {
            let t = self.ty();
            self.f.locals.push(t);
        }
        let n = self.src.range(8, 30);
        let mut body = self.stmts(n, 0);
        // Every local's last value shows, most of the time.
        for l in 0..self.f.locals.len() as u32 {
            if self.src.chance(3, 4) {
                body.push(self.observe(l));
            }
        }
        let ret = results.iter().map(|&t| self.expr(t, 3)).collect();
        let f = &mut self.p.funcs[index as usize];
        f.locals = self.f.locals[params.len()..].to_vec();
        f.body = body;
        f.ret = ret;
        f.exn_slots = self.f.slots;
        self.costs[index as usize] = self.f.cost;
    }

    // ---- locals, constants ----

    fn new_local(&mut self, ty: Ty) -> u32 {
        self.f.locals.push(ty);
        self.f.locals.len() as u32 - 1
    }

    /// A local of type `ty` to read, if there is one.
    fn read_local(&mut self, ty: Ty) -> Option<u32> {
        let c: Vec<u32> = (0..self.f.locals.len() as u32)
            .filter(|&l| self.f.locals[l as usize] == ty)
            .collect();
        (!c.is_empty()).then(|| self.src.pick(&c))
    }

    /// A local of type `ty` to write (not a loop counter); a new one now
    /// and then, or when there is none.
    fn write_local(&mut self, ty: Ty) -> u32 {
        let c: Vec<u32> = (0..self.f.locals.len() as u32)
            .filter(|&l| self.f.locals[l as usize] == ty && !self.f.counters.contains(&l))
            .collect();
        if c.is_empty() || self.src.chance(1, 20) {
            return self.new_local(ty);
        }
        self.src.pick(&c)
    }

    /// Bits of a constant of type `ty`: half the time one of the program's
    /// pool (so that equal values meet: comparisons that hold, ties in
    /// `min`, `+0` against `-0`, differences of zero), otherwise new.
    fn konst_bits(&mut self, ty: Ty) -> u128 {
        let pool = &self.p.pool[ty as usize];
        if !pool.is_empty() && self.src.chance(1, 2) {
            let i = self.src.below(pool.len() as u32) as usize;
            return self.p.pool[ty as usize][i];
        }
        self.fresh_bits(ty)
    }

    /// Bits of a new constant of type `ty`, biased towards edge values.
    fn fresh_bits(&mut self, ty: Ty) -> u128 {
        let s = &mut *self.src;
        match ty {
            I32 => u128::from(match s.below(20) {
                0..=6 => (s.below(33) as i32 - 16) as u32,
                7..=11 => s.pick(&[
                    0u32,
                    1,
                    u32::MAX,
                    0x8000_0000,
                    0x7fff_ffff,
                    0x7fff,
                    0x8000,
                    0xffff,
                    0x1_0000,
                    31,
                    32,
                    33,
                    63,
                    64,
                ]),
                _ => s.u64() as u32,
            }),
            I64 => u128::from(match s.below(20) {
                0..=5 => (i64::from(s.below(33)) - 16) as u64,
                6..=10 => s.pick(&[
                    0u64,
                    1,
                    u64::MAX,
                    1 << 63,
                    i64::MAX as u64,
                    1 << 31,
                    (1 << 31) - 1,
                    (-(1i64 << 31)) as u64,
                    1 << 32,
                    0xffff_ffff,
                    63,
                    64,
                    65,
                ]),
                11..=13 => s.u64() as i32 as i64 as u64,
                _ => s.u64(),
            }),
            F32 => u128::from(match s.below(10) {
                0..=2 => s.pick(&[
                    0u32,
                    0x8000_0000,
                    0x3f80_0000,
                    0xbf80_0000,
                    0x3f00_0000,
                    0x3fc0_0000,
                    0x4020_0000,
                    0xc020_0000,
                    0x7f80_0000,
                    0xff80_0000,
                    0x7fc0_0000,
                    0x7fa0_0001,
                    0xffc0_0000,
                    1,
                    0x7f7f_ffff,
                    0x4f00_0000,
                    0xcf00_0000,
                    0x4f80_0000,
                    0x5f00_0000,
                    0x5f80_0000,
                ]),
                3..=6 => ((s.below(33) as f32 - 16.0) * 0.5).to_bits(),
                _ => s.u64() as u32,
            }),
            F64 => u128::from(match s.below(10) {
                0..=2 => s.pick(&[
                    0u64,
                    0x8000_0000_0000_0000,
                    0x3ff0_0000_0000_0000,
                    0xbff0_0000_0000_0000,
                    0x3fe0_0000_0000_0000,
                    0x4004_0000_0000_0000,
                    0x7ff0_0000_0000_0000,
                    0xfff0_0000_0000_0000,
                    0x7ff8_0000_0000_0000,
                    0x7ff4_0000_0000_0001,
                    0xfff8_0000_0000_0000,
                    1,
                    0x7fef_ffff_ffff_ffff,
                    0x41e0_0000_0000_0000,
                    0xc1e0_0000_0000_0000,
                    0x41f0_0000_0000_0000,
                    0x43e0_0000_0000_0000,
                    0x43f0_0000_0000_0000,
                ]),
                3..=6 => ((f64::from(s.below(33)) - 16.0) * 0.5).to_bits(),
                _ => s.u64(),
            }),
            V128 => match s.below(3) {
                0 => u128::from(s.u64()) << 64 | u128::from(s.u64()),
                1 => {
                    let bits = s.pick(&[8u32, 16, 32, 64]);
                    let lane = u128::from(s.pick(&[0u64, 1, u64::MAX, 0x80, 0x7f, 0x8000]))
                        & ((1u128 << bits) - 1);
                    (0..128 / bits).fold(0, |v, i| v | lane << (i * bits))
                }
                _ => (0..16).fold(0, |v, i| {
                    v | u128::from(s.pick(&[0u8, 1, 0x7f, 0x80, 0xff, 0x10])) << (i * 8)
                }),
            },
        }
    }

    // ---- expressions ----

    fn leaf(&mut self, ty: Ty) -> Expr {
        match self.src.below(10) {
            0..=3 => Expr::Const(ty, self.konst_bits(ty)),
            4..=8 => match self.read_local(ty) {
                Some(l) => Expr::Local(l),
                None => Expr::Const(ty, self.konst_bits(ty)),
            },
            _ => {
                let c: Vec<u32> = (0..self.p.globals.len() as u32)
                    .filter(|&g| self.p.globals[g as usize].ty == ty)
                    .collect();
                if c.is_empty() {
                    Expr::Const(ty, self.konst_bits(ty))
                } else {
                    Expr::Global(self.src.pick(&c))
                }
            }
        }
    }

    /// An expression of type `ty`, at most `depth` levels deep.
    pub(super) fn expr(&mut self, ty: Ty, depth: u32) -> Expr {
        self.f.nodes -= 1;
        if depth == 0 || self.f.nodes <= 0 {
            return self.leaf(ty);
        }
        let d = depth - 1;
        let simd = self.p.simd;
        let weights = [
            18,                                                      // leaf
            45,                                                      // operator
            5,                                                       // tee
            4,                                                       // select
            7,                                                       // load
            4,                                                       // call
            2,                                                       // call_indirect
            3,                                                       // block
            3,                                                       // if
            u32::from(ty == I32 || ty == I64),                       // memory.size/grow
            if simd && ty != V128 { 5 } else { 0 },                  // lane out of a vector
            if simd && ty == V128 { 10 } else { 0 },                 // shuffle, lanes, relaxed
            u32::from(self.swarm.traps && (ty == I32 || ty == I64)), // trapping conversion
        ];
        let weights: Vec<u32> = weights
            .iter()
            .zip(self.swarm.exprs)
            .map(|(w, f)| w * f)
            .collect();
        match self.src.weighted(&weights) {
            0 => self.leaf(ty),
            1 => self.operator(ty, d),
            2 => {
                let l = self.write_local(ty);
                Expr::Tee(l, Box::new(self.expr(ty, d)))
            }
            3 => {
                let typed = self.src.chance(1, 3);
                let a = self.expr(ty, d);
                let b = self.expr(ty, d);
                let c = self.cond(d);
                Expr::Select {
                    ty,
                    typed,
                    c: Box::new(c),
                    a: Box::new(a),
                    b: Box::new(b),
                }
            }
            4 => self.load(ty, d),
            5 => self
                .call_expr(ty, d)
                .unwrap_or_else(|| self.operator(ty, d)),
            6 => self
                .call_indirect(ty, d)
                .unwrap_or_else(|| self.operator(ty, d)),
            7 => {
                let label = self.f.next_label;
                self.f.next_label += 1;
                self.f.labels.push((label, Some(ty)));
                let n = self.src.range(1, 3);
                let body = self.stmts(n, 3);
                let value = self.expr(ty, d);
                self.f.labels.pop();
                Expr::Block {
                    label,
                    ty,
                    body,
                    value: Box::new(value),
                }
            }
            8 => {
                let c = self.cond(d);
                let n = self.src.below(2);
                let then = (self.stmts(n, 3), Box::new(self.expr(ty, d)));
                let n = self.src.below(2);
                let els = (self.stmts(n, 3), Box::new(self.expr(ty, d)));
                Expr::If {
                    ty,
                    c: Box::new(c),
                    then,
                    els,
                }
            }
            9 => {
                // memory.size/grow of a memory whose index type is `ty`.
                let c: Vec<u32> = (0..self.p.mems.len() as u32)
                    .filter(|&m| self.p.mems[m as usize].is64 == (ty == I64))
                    .collect();
                if c.is_empty() {
                    return self.leaf(ty);
                }
                let mem = self.src.pick(&c);
                if self.src.chance(1, 2) {
                    Expr::MemSize(mem)
                } else {
                    Expr::MemGrow(mem, Box::new(self.expr(ty, d)))
                }
            }
            10 => self
                .read_vector(ty, depth)
                .unwrap_or_else(|| self.operator(ty, d)),
            11 => self.vector_special(depth),
            _ => {
                let c: Vec<u16> = by_type()
                    .trap_conv
                    .iter()
                    .copied()
                    .filter(|&o| desc(o).ret == ty)
                    .collect();
                let op = self.src.pick(&c);
                let a = self.expr(desc(op).args[0], d);
                Expr::Op {
                    op,
                    args: vec![a],
                    raw: true,
                }
            }
        }
    }

    /// Whether to leave an operation unguarded (only in a program that may
    /// trap).
    fn raw(&mut self) -> bool {
        self.swarm.traps && self.src.chance(1, 20)
    }

    /// An operator expression of type `ty`.
    fn operator(&mut self, ty: Ty, d: u32) -> Expr {
        let by = by_type();
        let mut ops = by.scalar[ty as usize].clone();
        if self.p.simd {
            ops.extend_from_slice(&by.vector[ty as usize]);
        }
        let ops = self.swarm.filter(&ops);
        if ops.is_empty() {
            return self.leaf(ty);
        }
        let op = self.src.pick(&ops);
        let dsc = desc(op);
        let args = dsc.args.iter().map(|&t| self.expr(t, d)).collect();
        let raw = matches!(dsc.flag, Flag::DivZero | Flag::DivSigned) && self.raw();
        Expr::Op { op, args, raw }
    }

    /// An `i32` condition, biased towards comparisons of locals and
    /// constants (the forms that fuse with `br_if`, `if` and `select`).
    fn cond(&mut self, d: u32) -> Expr {
        if self.src.chance(1, 4) {
            return self.expr(I32, d);
        }
        if self.src.chance(1, 6) {
            // A bit test, `x & mask` or its `eqz` (they fuse with the
            // branch: `BrI32AndImmNez`, `BrI32AndEqz`, ...).
            let x = self.leaf(I32);
            let mask = if self.src.chance(1, 2) {
                Expr::Const(I32, self.konst_bits(I32))
            } else {
                self.leaf(I32)
            };
            let and = Expr::Op {
                op: super::ops::scalar_op_index(&wasm_encoder::Instruction::I32And),
                args: vec![x, mask],
                raw: false,
            };
            if self.src.chance(1, 2) {
                return and;
            }
            return Expr::Op {
                op: super::ops::scalar_op_index(&wasm_encoder::Instruction::I32Eqz),
                args: vec![and],
                raw: false,
            };
        }
        let by = by_type();
        let cmp: Vec<u16> = by
            .cmp
            .iter()
            .copied()
            .filter(|&o| self.p.simd || !desc(o).args.contains(&V128))
            .collect();
        let op = self.src.pick(&self.swarm.filter(&cmp));
        let dsc = desc(op);
        let konst_at = if dsc.args.len() == 2 && self.src.chance(1, 2) {
            // Mostly on the right (the immediate forms), sometimes left.
            Some(if self.src.chance(4, 5) { 1 } else { 0 })
        } else {
            None
        };
        let args = dsc
            .args
            .iter()
            .enumerate()
            .map(|(i, &t)| {
                if konst_at == Some(i) {
                    Expr::Const(t, self.konst_bits(t))
                } else if self.src.chance(2, 3) {
                    self.leaf(t)
                } else {
                    self.expr(t, d)
                }
            })
            .collect();
        Expr::Op {
            op,
            args,
            raw: false,
        }
    }

    /// A memory and an address for an access of `bytes` bytes.
    pub(super) fn addr(&mut self, bytes: u64, d: u32) -> (u32, Addr) {
        let mem = if self.p.mems.len() > 1 && self.src.chance(1, 3) {
            1
        } else {
            0
        };
        (mem, self.addr_in(mem, bytes, d))
    }

    /// An address in memory `mem` for an access of `bytes` bytes.
    fn addr_in(&mut self, mem: u32, bytes: u64, d: u32) -> Addr {
        let is64 = self.p.mems[mem as usize].is64;
        let base = if self.src.chance(1, 2) {
            self.leaf(if is64 { I64 } else { I32 })
        } else {
            self.expr(if is64 { I64 } else { I32 }, d)
        };
        let (mask, offset) = if self.raw() {
            (None, u64::from(self.src.below(64)))
        } else {
            let mask = self.src.pick(&[0x7u64, 0x3f, 0xff, 0xfff, 0x7fff]);
            let offset = match self.src.below(10) {
                0..=3 => 0,
                4..=6 => u64::from(self.src.range(1, 64)),
                _ => u64::from(self.src.below(0x8000 - 64)),
            };
            (Some(mask), offset)
        };
        debug_assert!(mask.unwrap_or(0) + offset + bytes <= 65536);
        let index_shift = if mask.is_some() && !is64 && self.src.chance(1, 3) {
            1 + self.src.below(3) as u8
        } else {
            0
        };
        Addr {
            base: Box::new(base),
            mask,
            offset,
            index_shift,
        }
    }

    fn load(&mut self, ty: Ty, d: u32) -> Expr {
        let c: Vec<u8> = (0..LOADS.len() as u8)
            .filter(|&i| LOADS[usize::from(i)].ty == ty)
            .collect();
        let op = self.src.pick(&c);
        let (mem, addr) = self.addr(u64::from(LOADS[usize::from(op)].bytes), d);
        Expr::Load { mem, op, addr }
    }

    /// Functions this one may call whose signature satisfies `ok`, and
    /// that fit the cost budget.
    fn callees(&self, ok: impl Fn(&Func) -> bool) -> Vec<u32> {
        (self.f.index + 1..self.p.funcs.len() as u32)
            .filter(|&j| ok(&self.p.funcs[j as usize]))
            .filter(|&j| self.f.cost + self.f.mult * (self.costs[j as usize] + 1) <= MAX_COST)
            .collect()
    }

    fn args_for(&mut self, func: u32, d: u32) -> Vec<Expr> {
        let params = self.p.funcs[func as usize].params.clone();
        params.iter().map(|&t| self.expr(t, d)).collect()
    }

    fn call_expr(&mut self, ty: Ty, d: u32) -> Option<Expr> {
        let c = self.callees(|f| f.results == [ty]);
        if c.is_empty() {
            return None;
        }
        let func = self.src.pick(&c);
        self.f.cost += self.f.mult * (self.costs[func as usize] + 1);
        let args = self.args_for(func, d);
        Some(Expr::Call { func, args })
    }

    fn call_indirect(&mut self, ty: Ty, d: u32) -> Option<Expr> {
        let c = self.callees(|f| f.results == [ty]);
        if c.is_empty() {
            return None;
        }
        let func = self.src.pick(&c);
        // The table entries of `func`'s signature above this function.
        let key = self.sig_key(func);
        let range: Vec<u32> = (0..self.p.table.len() as u32)
            .filter(|&e| {
                let j = self.p.table[e as usize];
                j > self.f.index && self.sig_key(j) == key
            })
            .collect();
        let (lo, span) = (range[0], range.len() as u32);
        let worst = range
            .iter()
            .map(|&e| self.costs[self.p.table[e as usize] as usize])
            .max()
            .unwrap_or(0);
        if self.f.cost + self.f.mult * (worst + 1) > MAX_COST {
            return None;
        }
        self.f.cost += self.f.mult * (worst + 1);
        let raw = self.raw();
        let index = self.expr(I32, d);
        let args = self.args_for(func, d);
        Some(Expr::CallIndirect {
            func,
            index: Box::new(index),
            lo,
            span,
            raw,
            args,
        })
    }

    // ---- statements ----

    /// Up to `n` statements at nesting `depth`.
    fn stmts(&mut self, n: u32, depth: u32) -> Vec<Stmt> {
        let mut out = Vec::new();
        for _ in 0..n {
            if self.f.nodes <= 0 {
                break;
            }
            let s = self.stmt(depth);
            let written: Vec<u32> = match &s {
                Stmt::Set(l, _) => vec![*l],
                Stmt::Call { dests, .. } => dests.iter().flatten().copied().collect(),
                _ => Vec::new(),
            };
            out.push(s);
            for l in written {
                if self.src.chance(3, 4) {
                    out.push(self.observe(l));
                }
            }
        }
        out
    }

    /// Folds local `l` into the accumulator global: `acc = rotl(acc, 5) ^
    /// bits(l)`. Values a program computes into locals and overwrites
    /// later would otherwise never show, and a miscompiled operator that
    /// computed them would go unnoticed.
    fn observe(&mut self, l: u32) -> Stmt {
        let local = Expr::Local(l);
        let bits = match self.f.locals[l as usize] {
            I64 => local,
            I32 => scalar_op(I::I64ExtendI32U, vec![local]),
            F32 => scalar_op(
                I::I64ExtendI32U,
                vec![scalar_op(I::I32ReinterpretF32, vec![local])],
            ),
            F64 => scalar_op(I::I64ReinterpretF64, vec![local]),
            V128 => {
                let lane = |lane| Expr::Extract {
                    op: 5, // i64x2.extract_lane
                    lane,
                    v: Box::new(Expr::Local(l)),
                };
                scalar_op(I::I64Xor, vec![lane(0), lane(1)])
            }
        };
        let acc = Expr::Global(self.acc);
        let rotated = scalar_op(I::I64Rotl, vec![acc, Expr::Const(I64, 5)]);
        Stmt::GlobalSet(self.acc, scalar_op(I::I64Xor, vec![rotated, bits]))
    }

    fn labels_without_value(&self) -> Vec<u32> {
        self.f
            .labels
            .iter()
            .filter(|(_, t)| t.is_none())
            .map(|&(l, _)| l)
            .collect()
    }

    fn stmt(&mut self, depth: u32) -> Stmt {
        self.f.nodes -= 1;
        self.f.cost += self.f.mult;
        let nest = depth < 4 && self.f.nodes > 30;
        let plain_labels = self.labels_without_value();
        let value_labels: Vec<(u32, Ty)> = self
            .f
            .labels
            .iter()
            .filter_map(|&(l, t)| t.map(|t| (l, t)))
            .collect();
        let mutable_globals: Vec<u32> = (0..self.p.globals.len() as u32)
            .filter(|&g| self.p.globals[g as usize].mutable)
            .collect();
        let tags = !self.p.tags.is_empty();
        let w = |b: bool, w: u32| if b { w } else { 0 };
        let weights = [
            30,                                                // local.set
            w(!mutable_globals.is_empty(), 6),                 // global.set
            10,                                                // store
            w(nest, 8),                                        // if
            w(nest, 6),                                        // block
            w(nest && self.f.mult * 2 <= MAX_LOOP_PRODUCT, 6), // loop
            w(!plain_labels.is_empty(), 8),                    // br_if
            w(!plain_labels.is_empty(), 3),                    // br_table
            5,                                                 // call
            w(tags, if self.f.in_try > 0 { 6 } else { 1 }),    // throw
            w(tags && nest, 5),                                // try
            w(self.f.rethrow.is_some(), 25),                   // rethrow
            1,                                                 // return
            1,                                                 // return_call
            w(self.swarm.traps, 2),                            // trap
            2,                                                 // fill, copy
            w(self.p.simd, 1),                                 // store lane
            w(!value_labels.is_empty(), 5),                    // br_if value
        ];
        let weights: Vec<u32> = weights
            .iter()
            .zip(self.swarm.stmts)
            .map(|(w, f)| w * f)
            .collect();
        let d = self.src.range(2, 4);
        match self.src.weighted(&weights) {
            0 => {
                let ty = self.ty();
                let l = self.write_local(ty);
                Stmt::Set(l, self.expr(ty, d))
            }
            1 => {
                let g = self.src.pick(&mutable_globals);
                let ty = self.p.globals[g as usize].ty;
                Stmt::GlobalSet(g, self.expr(ty, d))
            }
            2 => {
                let c: Vec<u8> = (0..STORES.len() as u8)
                    .filter(|&i| self.p.simd || STORES[usize::from(i)].ty != V128)
                    .collect();
                let op = self.src.pick(&c);
                let s = &STORES[usize::from(op)];
                let (mem, addr) = self.addr(u64::from(s.bytes), d);
                let value = self.expr(s.ty, d);
                Stmt::Store {
                    mem,
                    op,
                    addr,
                    value,
                }
            }
            3 => {
                let c = self.cond(d);
                let n = self.src.range(1, 4);
                let then = self.stmts(n, depth + 1);
                let n = self.src.below(3);
                let els = self.stmts(n, depth + 1);
                Stmt::If { c, then, els }
            }
            4 => {
                let label = self.f.next_label;
                self.f.next_label += 1;
                self.f.labels.push((label, None));
                let n = self.src.range(1, 5);
                let body = self.stmts(n, depth + 1);
                self.f.labels.pop();
                Stmt::Block { label, body }
            }
            5 => {
                let max = (MAX_LOOP_PRODUCT / self.f.mult).min(8) as u32;
                let n = self.src.range(1, max.max(1));
                // The counter stays unwritable after the loop too: every
                // loop has its own.
                let counter = self.new_local(I32);
                self.f.counters.push(counter);
                let saved = self.f.mult;
                self.f.mult *= u64::from(n);
                let k = self.src.range(1, 4);
                let body = self.stmts(k, depth + 1);
                self.f.mult = saved;
                let form = self.src.below(3) as u8;
                Stmt::Loop {
                    counter,
                    n,
                    form,
                    body,
                }
            }
            6 => {
                let label = self.src.pick(&plain_labels);
                Stmt::BrIf {
                    label,
                    c: self.cond(d),
                }
            }
            7 => {
                let n = self.src.range(1, 4);
                let labels = (0..n).map(|_| self.src.pick(&plain_labels)).collect();
                let default = self.src.pick(&plain_labels);
                let index = if self.src.chance(1, 2) {
                    self.leaf(I32)
                } else {
                    self.expr(I32, d)
                };
                Stmt::BrTable {
                    index,
                    labels,
                    default,
                }
            }
            8 => {
                let c = self.callees(|_| true);
                if c.is_empty() {
                    return self.assign();
                }
                let func = self.src.pick(&c);
                self.f.cost += self.f.mult * (self.costs[func as usize] + 1);
                let args = self.args_for(func, d);
                let results = self.p.funcs[func as usize].results.clone();
                let dests = results
                    .iter()
                    .map(|&t| self.src.chance(4, 5).then(|| self.write_local(t)))
                    .collect();
                Stmt::Call { func, args, dests }
            }
            9 => {
                let tag = self.src.below(self.p.tags.len() as u32);
                let types = self.p.tags[tag as usize].clone();
                let args = types.iter().map(|&t| self.expr(t, d)).collect();
                self.maybe_conditional(Stmt::Throw { tag, args }, 7)
            }
            10 => self.try_stmt(depth),
            11 => {
                let slot = self.f.rethrow.expect("in a handler");
                self.maybe_conditional(Stmt::Rethrow { slot }, 6)
            }
            12 => {
                let results = self.f.results.clone();
                let values = results.iter().map(|&t| self.expr(t, d)).collect();
                self.maybe_conditional(Stmt::Return(values), 5)
            }
            13 => {
                let results = self.f.results.clone();
                let c = self.callees(|f| f.results == results);
                if c.is_empty() {
                    return self.assign();
                }
                let func = self.src.pick(&c);
                self.f.cost += self.f.mult * (self.costs[func as usize] + 1);
                let args = self.args_for(func, d);
                self.maybe_conditional(Stmt::ReturnCall { func, args }, 5)
            }
            14 => {
                // Rarely true: a data-dependent byte equal to a constant
                // other than 0 and 0xff (common with edge arguments).
                let x = self.expr(I32, d);
                let k = self.src.range(1, 254);
                let masked = scalar_op(I::I32And, vec![x, Expr::Const(I32, 0xff)]);
                Stmt::Trap(scalar_op(
                    I::I32Eq,
                    vec![masked, Expr::Const(I32, u128::from(k))],
                ))
            }
            15 => {
                let len = self.src.below(33);
                let (mem, dst) = self.addr(u64::from(len), d);
                if self.src.chance(1, 2) {
                    let value = self.expr(I32, d);
                    Stmt::Fill {
                        mem,
                        dst,
                        value,
                        len,
                    }
                } else {
                    let src = self.addr_in(mem, u64::from(len), d);
                    Stmt::Copy { mem, dst, src, len }
                }
            }
            16 => {
                let bytes = self.src.pick(&[1u8, 2, 4, 8]);
                let lane = self.src.below(16 / u32::from(bytes)) as u8;
                let (mem, addr) = self.addr(u64::from(bytes), d);
                let v = self.expr(V128, d);
                Stmt::StoreLane {
                    mem,
                    bytes,
                    lane,
                    addr,
                    v,
                }
            }
            _ => {
                let (label, ty) = self.src.pick(&value_labels);
                let value = self.expr(ty, d);
                let c = self.cond(d);
                Stmt::BrIfValue { label, value, c }
            }
        }
    }

    /// A `local.set`: the fallback statement.
    fn assign(&mut self) -> Stmt {
        let ty = self.ty();
        let l = self.write_local(ty);
        Stmt::Set(l, self.expr(ty, 3))
    }

    /// `s`, or (`in_ten` times in ten) `if (cond) s`.
    fn maybe_conditional(&mut self, s: Stmt, in_ten: u32) -> Stmt {
        if self.src.chance(in_ten, 10) {
            Stmt::If {
                c: self.cond(2),
                then: vec![s],
                els: Vec::new(),
            }
        } else {
            s
        }
    }

    fn try_stmt(&mut self, depth: u32) -> Stmt {
        let legacy = self.src.chance(1, 3);
        let outer_rethrow = self.f.rethrow.take();
        let n = self.src.range(1, 5);
        self.f.in_try += 1;
        let body = self.stmts(n, depth + 1);
        self.f.in_try -= 1;
        let mut catches = Vec::new();
        for _ in 0..self.src.range(1, 3) {
            let tag = if self.src.chance(3, 4) {
                Some(self.src.below(self.p.tags.len() as u32))
            } else {
                None
            };
            let slot = if self.src.chance(1, 3) {
                self.f.slots += 1;
                Some(self.f.slots - 1)
            } else {
                None
            };
            let dests = match tag {
                Some(t) => {
                    let types = self.p.tags[t as usize].clone();
                    types.iter().map(|&ty| self.write_local(ty)).collect()
                }
                None => Vec::new(),
            };
            self.f.rethrow = slot;
            let n = self.src.range(0, 3);
            let body = self.stmts(n, depth + 1);
            catches.push(Catch {
                tag,
                slot,
                dests,
                body,
            });
        }
        self.f.rethrow = outer_rethrow;
        Stmt::Try {
            legacy,
            body,
            catches,
        }
    }
}

/// A scalar operator expression (`ins` must be in the table).
fn scalar_op(ins: I<'static>, args: Vec<Expr>) -> Expr {
    let op = (0u16..)
        .find(|&i| std::mem::discriminant(&desc(i).ins) == std::mem::discriminant(&ins))
        .expect("operator in OPS");
    Expr::Op {
        op,
        args,
        raw: false,
    }
}
