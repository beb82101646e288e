//! Shrinking a program that shows a difference, to find what differs: a
//! debugging aid (`WEFT_FUZZ_REDUCE=1` with `WEFT_FUZZ_ONLY=SEED`, see
//! `fuzz/README.md`), not part of the oracle.
//!
//! Greedy: one edit at a time (remove a statement, replace a compound
//! statement by its body, replace an expression by a zero constant or by an
//! operand of the same type), kept when the program still shows the
//! difference, until no edit is kept. Edits that break the program (a
//! branch to a label that is gone) make it uninteresting and are dropped.

use super::ops::{desc, LOADS};
use super::simd::EXTRACTS;
use super::{Expr, Func, Program, Stmt, Ty};

/// The smallest program reachable from `p` by single edits for which
/// `interesting` stays true (`p` itself should be interesting).
pub fn reduce(mut p: Program, interesting: impl Fn(&Program) -> bool) -> Program {
    loop {
        let mut progress = false;
        let mut k = 0;
        loop {
            let mut q = p.clone();
            let mut e = Editor {
                target: k,
                seen: 0,
                done: false,
            };
            e.program(&mut q);
            if !e.done {
                break;
            }
            if interesting(&q) {
                p = q;
                progress = true;
            } else {
                k += 1;
            }
        }
        if !progress {
            return p;
        }
    }
}

/// Applies edit number `target` in walk order.
struct Editor {
    target: usize,
    seen: usize,
    done: bool,
}

/// What typing an expression needs.
struct Ctx<'a> {
    p: &'a Program,
    locals: Vec<Ty>,
}

impl Ctx<'_> {
    fn ty(&self, e: &Expr) -> Ty {
        match e {
            Expr::Const(t, _) => *t,
            Expr::Local(l) | Expr::Tee(l, _) => self.locals[*l as usize],
            Expr::Global(g) => self.p.globals[*g as usize].ty,
            Expr::Op { op, .. } => desc(*op).ret,
            Expr::Select { ty, .. } | Expr::Block { ty, .. } | Expr::If { ty, .. } => *ty,
            Expr::Load { op, .. } => LOADS[usize::from(*op)].ty,
            Expr::Call { func, .. } | Expr::CallIndirect { func, .. } => {
                self.p.funcs[*func as usize].results[0]
            }
            Expr::MemSize(m) | Expr::MemGrow(m, _) => {
                if self.p.mems[*m as usize].is64 {
                    Ty::I64
                } else {
                    Ty::I32
                }
            }
            Expr::Extract { op, .. } => EXTRACTS[usize::from(*op)].2,
            Expr::Replace { .. } | Expr::Shuffle { .. } | Expr::LoadLane { .. } => Ty::V128,
        }
    }
}

impl Editor {
    /// Whether the current site is the one to edit.
    fn hit(&mut self) -> bool {
        let h = !self.done && self.seen == self.target;
        self.seen += 1;
        self.done |= h;
        h
    }

    fn program(&mut self, p: &mut Program) {
        let snapshot = p.clone();
        for f in &mut p.funcs {
            let ctx = Ctx {
                p: &snapshot,
                locals: locals(f),
            };
            self.stmts(&mut f.body, &ctx);
            for e in &mut f.ret {
                self.expr(e, &ctx);
            }
        }
    }

    fn stmts(&mut self, v: &mut Vec<Stmt>, ctx: &Ctx<'_>) {
        let mut i = 0;
        while i < v.len() && !self.done {
            if self.hit() {
                v.remove(i);
                return;
            }
            let inner = match &v[i] {
                Stmt::If { then, els, .. } => Some([then.clone(), els.clone()].concat()),
                Stmt::Block { body, .. } | Stmt::Loop { body, .. } | Stmt::Try { body, .. } => {
                    Some(body.clone())
                }
                _ => None,
            };
            if let Some(inner) = inner {
                if self.hit() {
                    v.splice(i..=i, inner);
                    return;
                }
            }
            self.stmt(&mut v[i], ctx);
            i += 1;
        }
    }

    fn stmt(&mut self, s: &mut Stmt, ctx: &Ctx<'_>) {
        match s {
            Stmt::Set(_, e) | Stmt::GlobalSet(_, e) | Stmt::Trap(e) => self.expr(e, ctx),
            Stmt::Store { addr, value, .. } => {
                self.expr(&mut addr.base, ctx);
                self.expr(value, ctx);
            }
            Stmt::StoreLane { addr, v, .. } => {
                self.expr(&mut addr.base, ctx);
                self.expr(v, ctx);
            }
            Stmt::If { c, then, els } => {
                self.expr(c, ctx);
                self.stmts(then, ctx);
                self.stmts(els, ctx);
            }
            Stmt::Block { body, .. } | Stmt::Loop { body, .. } => self.stmts(body, ctx),
            Stmt::BrIf { c, .. } => self.expr(c, ctx),
            Stmt::BrIfValue { value, c, .. } => {
                self.expr(value, ctx);
                self.expr(c, ctx);
            }
            Stmt::BrTable { index, .. } => self.expr(index, ctx),
            Stmt::Call { args, .. }
            | Stmt::ReturnCall { args, .. }
            | Stmt::Return(args)
            | Stmt::Throw { args, .. } => {
                for a in args {
                    self.expr(a, ctx);
                }
            }
            Stmt::Fill { dst, value, .. } => {
                self.expr(&mut dst.base, ctx);
                self.expr(value, ctx);
            }
            Stmt::Copy { dst, src, .. } => {
                self.expr(&mut dst.base, ctx);
                self.expr(&mut src.base, ctx);
            }
            Stmt::Try { body, catches, .. } => {
                self.stmts(body, ctx);
                for c in catches {
                    self.stmts(&mut c.body, ctx);
                }
            }
            Stmt::Rethrow { .. } => {}
        }
    }

    fn expr(&mut self, e: &mut Expr, ctx: &Ctx<'_>) {
        if self.done {
            return;
        }
        let ty = ctx.ty(e);
        if !matches!(e, Expr::Const(..)) && self.hit() {
            *e = Expr::Const(ty, 0);
            return;
        }
        // Operands of the same type that could replace it.
        let same: Vec<Expr> = match &*e {
            Expr::Op { args, .. } => args.iter().filter(|a| ctx.ty(a) == ty).cloned().collect(),
            Expr::Tee(_, x) => vec![(**x).clone()],
            Expr::Select { a, b, .. } => vec![(**a).clone(), (**b).clone()],
            Expr::Block { value, .. } => vec![(**value).clone()],
            Expr::If { then, els, .. } => vec![(*then.1).clone(), (*els.1).clone()],
            Expr::Replace { v, .. } | Expr::LoadLane { v, .. } => vec![(**v).clone()],
            Expr::Shuffle { a, b, .. } => vec![(**a).clone(), (**b).clone()],
            _ => Vec::new(),
        };
        for x in same {
            if self.hit() {
                *e = x;
                return;
            }
        }
        match e {
            Expr::Const(..) | Expr::Local(_) | Expr::Global(_) | Expr::MemSize(_) => {}
            Expr::Op { args, .. } | Expr::Call { args, .. } => {
                for a in args {
                    self.expr(a, ctx);
                }
            }
            Expr::Tee(_, x) | Expr::MemGrow(_, x) | Expr::Extract { v: x, .. } => self.expr(x, ctx),
            Expr::Select { c, a, b, .. } => {
                self.expr(c, ctx);
                self.expr(a, ctx);
                self.expr(b, ctx);
            }
            Expr::Load { addr, .. } => self.expr(&mut addr.base, ctx),
            Expr::CallIndirect { index, args, .. } => {
                self.expr(index, ctx);
                for a in args {
                    self.expr(a, ctx);
                }
            }
            Expr::Block { body, value, .. } => {
                self.stmts(body, ctx);
                self.expr(value, ctx);
            }
            Expr::If { c, then, els, .. } => {
                self.expr(c, ctx);
                self.stmts(&mut then.0, ctx);
                self.expr(&mut then.1, ctx);
                self.stmts(&mut els.0, ctx);
                self.expr(&mut els.1, ctx);
            }
            Expr::Replace { v, x, .. } => {
                self.expr(v, ctx);
                self.expr(x, ctx);
            }
            Expr::Shuffle { a, b, .. } => {
                self.expr(a, ctx);
                self.expr(b, ctx);
            }
            Expr::LoadLane { addr, v, .. } => {
                self.expr(&mut addr.base, ctx);
                self.expr(v, ctx);
            }
        }
    }
}

fn locals(f: &Func) -> Vec<Ty> {
    f.params.iter().chain(&f.locals).copied().collect()
}
