//! One Wasm function body to Cranelift IR (CLIF).
//!
//! The Wasm operand stack becomes SSA values at translation time
//! (`stack`); locals are Cranelift variables; each Wasm block, loop and
//! `if` is a frame of `control` whose continuation block takes the block's
//! results as block parameters (a loop's header takes its parameters).
//! Values that stay on the stack across a block boundary are plain SSA
//! values: structured control flow makes their definitions dominate every
//! use.
//!
//! Traps are explicit: a failed check branches to a block that records the
//! trap in the store context (`VMStoreContext::trap`) and leaves. Where
//! the entry trampoline exists (`Config::raises`, x86-64 Linux) it leaves
//! by `Libcalls::raise`, which resumes at the innermost compiled handler
//! of an exception or at the entry, so calls are not followed by checks;
//! elsewhere it returns, and every call site checks that field after the
//! callee returns and returns too (`func/exceptions.rs` says where a
//! pending failure goes). An out-of-bounds access to a 32-bit memory
//! under guard pages faults instead (`func/memory.rs`,
//! `compiler/signals.rs`). See `docs/RATIONALE.md`.
//!
//! Every value that holds a GC reference (known from a validator run
//! beside the translation: the operand types after each operator, and
//! the locals' types) is declared to Cranelift as needing a stack map:
//! across every call it lives in a stack slot that the call's stack map
//! lists (`sites.rs`), and before every call that leaves compiled code
//! the function records its frame in the store context
//! (`VMStoreContext::exit_fp`/`exit_sp`), so that a collection finds the
//! references of every compiled frame precisely (`roots.rs`,
//! `vm/native_roots.rs`).
//!
//! A body that uses an operator this translator does not handle yet gives
//! [`Unsupported`]; the caller leaves that function to the interpreter.

mod atomic;
mod calls;
pub(crate) use calls::DIRECT_CALL_NAMESPACE;
mod dead_loads;
mod exceptions;
mod gc;
mod gc_slots;
mod legacy;
mod limits;
mod memory;
mod numeric;
mod roots;
mod simd;
mod slots;
pub(crate) use slots::{call_with_slots, load_slot, packed, store_slot, to_slot};
use slots::{slot_flags, ty_mask};

use alloc::borrow::Cow;
use alloc::collections::BTreeMap;
use alloc::vec::Vec;

use cranelift_codegen::ir::condcodes::{FloatCC, IntCC};
use cranelift_codegen::ir::{
    self, types, AbiParam, BlockArg, InstBuilder, JumpTableData, MemFlagsData, Signature,
    StackSlotData, StackSlotKind, Type, Value,
};
use cranelift_codegen::isa::CallConv;
use cranelift_frontend::{FunctionBuilder, Variable};
use wasmparser::{BlockType, Operator};

use crate::module::ModuleInner;
use crate::trap::TrapCode;
use crate::types::{FuncType, ValType};
use crate::vm::vmctx::{self as layout, trap_number, Bulk};

/// Why a function is left to the interpreter: the first operator (or
/// type) the compiler does not handle yet.
#[derive(Debug)]
pub(crate) struct Unsupported(pub(crate) Cow<'static, str>);

impl Unsupported {
    fn what(what: &'static str) -> Unsupported {
        Unsupported(Cow::Borrowed(what))
    }

    /// The operator's name (its `wasmparser` variant).
    fn operator(op: &Operator<'_>) -> Unsupported {
        Unsupported(Cow::Owned(alloc::format!(
            "operator {}",
            crate::module::operator_name(op)
        )))
    }
}

type Result<T> = core::result::Result<T, Unsupported>;

/// The Cranelift type of a Wasm value type (references are their 64-bit
/// slot encoding, as in the interpreter).
pub(crate) fn clif_type(ty: &ValType) -> Result<Type> {
    Ok(match ty {
        ValType::I32 => types::I32,
        ValType::I64 => types::I64,
        ValType::F32 => types::F32,
        ValType::F64 => types::F64,
        ValType::V128 => types::I8X16,
        // Every reference type.
        _ => types::I64,
    })
}

fn wasm_type(ty: wasmparser::ValType) -> Result<Type> {
    Ok(match ty {
        wasmparser::ValType::I32 => types::I32,
        wasmparser::ValType::I64 => types::I64,
        wasmparser::ValType::F32 => types::F32,
        wasmparser::ValType::F64 => types::F64,
        wasmparser::ValType::Ref(_) => types::I64,
        wasmparser::ValType::V128 => types::I8X16,
    })
}

/// The native signature of every Wasm function of type `ty`: the callee's
/// `VMContext`, then the parameters; the results. Cranelift's `tail`
/// convention (any number of results in registers and stack).
pub(crate) fn wasm_signature(ty: &FuncType) -> Result<Signature> {
    let mut sig = Signature::new(CallConv::Tail);
    sig.params.push(AbiParam::new(types::I64));
    for p in ty.params() {
        sig.params.push(AbiParam::new(clif_type(p)?));
    }
    for r in ty.results() {
        sig.returns.push(AbiParam::new(clif_type(r)?));
    }
    Ok(sig)
}

/// Flags of loads from the runtime's records (aligned, never trapping).
fn vm_flags() -> MemFlagsData {
    MemFlagsData::trusted()
}

/// Flags of loads of runtime records that do not change while compiled
/// code runs (pointers to the instance's arrays, a call's callee in a
/// whole-module compile, global cell addresses): besides never trapping,
/// Cranelift may merge equal ones, hoist them out of loops and drop unused
/// ones (`can_move`: the records are valid wherever the function runs).
fn vm_readonly() -> MemFlagsData {
    vm_flags().with_readonly().with_can_move()
}

/// Flags of loads of runtime records that do not change but are read
/// mostly on cold paths (the libcall table): not `can_move`, so that
/// Cranelift leaves them where they are instead of hoisting them out of
/// a loop whose cold blocks use them into a register or spill slot held
/// across the whole loop.
fn vm_cold_readonly() -> MemFlagsData {
    vm_flags().with_readonly()
}

/// Flags of linear-memory accesses, bounds-checked before: unaligned
/// allowed, never trapping.
fn heap_flags() -> MemFlagsData {
    MemFlagsData::new().with_notrap()
}

enum Kind {
    Block,
    Loop,
    If {
        else_block: ir::Block,
        /// The `if`'s parameters, for the `else` branch.
        params: Vec<Value>,
        had_else: bool,
    },
    /// The function body: its end returns.
    Body,
    /// A `try_table`: its clauses as (kind: 0 `catch`, 1 `catch_ref`,
    /// 2 `catch_all`, 3 `catch_all_ref`; module tag; label, relative to
    /// the frames outside the `try_table`).
    TryTable {
        catches: Vec<(u32, u32, u32)>,
        /// The block that hands an exception raised inside to the
        /// clauses, made at the first call or throw inside and filled at
        /// the `end` (shared by every call site of the `try_table`).
        dispatch: Option<ir::Block>,
    },
    /// A legacy `try` (`func/legacy.rs`).
    Try(legacy::Try),
}

struct Frame {
    kind: Kind,
    /// Where a branch to this frame goes: a loop's header, otherwise the
    /// continuation.
    dest: ir::Block,
    /// The continuation after `end`, with the results as block params.
    next: ir::Block,
    params: Vec<Type>,
    results: Vec<Type>,
    /// Stack height below the frame's parameters.
    height: usize,
    /// Whether anything reaches `next`.
    exit_used: bool,
    /// Pushed while the code was unreachable: only nesting is tracked.
    dead: bool,
}

impl Frame {
    /// How many values a branch to this frame carries.
    fn branch_arity(&self) -> usize {
        match self.kind {
            Kind::Loop => self.params.len(),
            _ => self.results.len(),
        }
    }
}

/// Translates defined function `def` of `module` into `b`'s function,
/// whose signature must be [`wasm_signature`] of its type. A trap records
/// the module function index in `VMStoreContext::trap_func`.
///
/// With `tier_up`, the function is compiled alone while the rest of its
/// module may still be interpreted (`Strategy::Auto`'s tier-up): its
/// calls of module functions read the callee's address afresh (a call
/// stub's until the callee is compiled: `compiler::callee_stubs`).
/// Without, it is compiled with its whole module, every address filled
/// before any of it runs and never changed.
///
/// Where `Config::raises`, its traps and the failures it passes on leave
/// by `Libcalls::raise` (an exception to the innermost compiled handler,
/// anything else to the entry), so no call of Wasm code is followed by a
/// check; its calls inside a `try_table` or `try` are `try_call`s whose
/// exceptional edge is the handler's dispatch. Elsewhere they leave by
/// returning with `VMStoreContext::trap` set, and every call is followed
/// by a check.
pub(crate) fn translate(
    module: &ModuleInner,
    def: u32,
    call_conv: CallConv,
    tier_up: bool,
    b: &mut FunctionBuilder<'_>,
) -> Result<()> {
    let func_index = module.num_imported_funcs + def;
    let ty = module
        .func_type(func_index)
        .map_err(|_| Unsupported::what("function type"))?
        .clone();
    let body = module.body(def);
    // Types for the stack maps, where the function may hold a GC
    // reference at all.
    let mut validator = if roots::may_hold_gc_refs(module, &body) {
        Some(
            crate::backtrace::func_validator(module, def).ok_or(Unsupported::what(
                "a validator for the function's stack maps",
            ))?,
        )
    } else {
        None
    };
    let mut t = Translator {
        module,
        func_index,
        call_conv,
        tier_up,
        raises: module.engine.config().raises(),
        b,
        vmctx: Value::from_u32(0),
        store_ctx: Value::from_u32(0),
        locals: Vec::new(),
        stack: Vec::new(),
        control: Vec::new(),
        reachable: true,
        trap_blocks: BTreeMap::new(),
        results: Vec::new(),
        sigs: BTreeMap::new(),
        direct: BTreeMap::new(),
        heap: None,
        offset: u32::MAX,
        propagate: Vec::new(),
        fuel: None,
        heap_loads: Vec::new(),
    };
    for r in ty.results() {
        t.results.push(clif_type(r)?);
    }
    let entry = t.b.create_block();
    t.b.append_block_params_for_function_params(entry);
    t.b.switch_to_block(entry);
    t.b.seal_block(entry);
    let params: Vec<Value> = t.b.block_params(entry).to_vec();
    t.vmctx = params[0];
    t.store_ctx =
        t.b.ins()
            .load(types::I64, vm_readonly(), t.vmctx, layout::OFFSET_STORE);
    // The native stack limit: Wasm recursion traps, it never overflows
    // the host's stack.
    if needs_stack_check(&body) {
        let sp = t.b.ins().get_stack_pointer(types::I64);
        let limit = t.b.ins().load(
            types::I64,
            vm_flags(),
            t.store_ctx,
            layout::OFFSET_STACK_LIMIT,
        );
        let low = t.b.ins().icmp(IntCC::UnsignedLessThan, sp, limit);
        t.trap_if(low, TrapCode::StackOverflow);
    }
    t.check_epoch();
    t.fuel_segment();
    if t.memory(0).is_ok() {
        let base = t.b.declare_var(types::I64);
        let len = t.b.declare_var(types::I64);
        t.heap = Some((base, len));
        t.load_heap();
    }
    for (i, p) in ty.params().iter().enumerate() {
        let var = t.b.declare_var(clif_type(p)?);
        if p.is_heap_ref() {
            t.b.declare_var_needs_stack_map(var);
        }
        t.b.def_var(var, params[i + 1]);
        t.locals.push((var, clif_type(p)?));
    }
    let locals = body
        .get_locals_reader()
        .map_err(|_| Unsupported::what("locals"))?;
    for local in locals {
        let (count, vt) = local.map_err(|_| Unsupported::what("locals"))?;
        let clif = wasm_type(vt)?;
        let mut is_ref = false;
        if let Some(v) = &mut validator {
            v.define_locals(0, count, vt)
                .map_err(|_| Unsupported::what("locals"))?;
            // The validator's type of the group's first local (its type
            // indices made canonical, as `is_gc_ref` needs them).
            let first = t.locals.len() as u32;
            is_ref = crate::translate::is_gc_ref(v.resources(), v.get_local_type(first));
        }
        for _ in 0..count {
            let var = t.b.declare_var(clif);
            if is_ref {
                t.b.declare_var_needs_stack_map(var);
            }
            let zero = t.zero(clif);
            t.b.def_var(var, zero);
            t.locals.push((var, clif));
        }
    }
    let next = t.b.create_block();
    for &r in &t.results.clone() {
        t.b.append_block_param(next, r);
    }
    t.control.push(Frame {
        kind: Kind::Body,
        dest: next,
        next,
        params: Vec::new(),
        results: t.results.clone(),
        height: 0,
        exit_used: false,
        dead: false,
    });
    let mut ops = body
        .get_operators_reader()
        .map_err(|_| Unsupported::what("operators"))?;
    while !ops.eof() {
        let (op, offset) = ops
            .read_with_offset()
            .map_err(|_| Unsupported::what("operators"))?;
        t.offset = offset as u32;
        // Source locations give each unchecked access and each call its
        // Wasm offset (`sites.rs`).
        t.b.set_srcloc(ir::SourceLoc::new(t.offset));
        if t.reachable {
            t.charge_fuel();
        }
        if let Some(v) = &mut validator {
            v.op(offset, &op)
                .map_err(|_| Unsupported::what("an invalid operator"))?;
        }
        t.operator(&op)?;
        if let Some(v) = &validator {
            t.declare_refs(v);
        }
    }
    t.close_fuel_segment();
    t.finish_traps();
    dead_loads::drop_unused(t.b.func, &t.heap_loads);
    Ok(())
}

/// Whether a function must check the native stack limit on entry: unless
/// it calls no Wasm function (no `call*`, `return_call*`) and is small
/// (at most [`LEAF_BODY`] bytes, [`LEAF_LOCALS`] locals), so that its
/// frame is small too. Such a leaf cannot recurse; entered just above the
/// limit (its caller passed the check) it uses at most its own frame below
/// it, as the runtime code it may call does, within the stack kept free
/// below the limit (`vm/native_stack.rs`, 256 KiB). Saves two loads and a
/// branch per call of small helpers (a sort's comparator).
fn needs_stack_check(body: &wasmparser::FunctionBody<'_>) -> bool {
    if body.as_bytes().len() > LEAF_BODY {
        return true;
    }
    let Ok(locals) = body.get_locals_reader() else {
        return true;
    };
    let mut count: u64 = 0;
    for local in locals {
        let Ok((n, _)) = local else {
            return true;
        };
        count += u64::from(n);
    }
    if count > LEAF_LOCALS {
        return true;
    }
    let Ok(mut ops) = body.get_operators_reader() else {
        return true;
    };
    while !ops.eof() {
        match ops.read() {
            Ok(
                Operator::Call { .. }
                | Operator::CallIndirect { .. }
                | Operator::CallRef { .. }
                | Operator::ReturnCall { .. }
                | Operator::ReturnCallIndirect { .. }
                | Operator::ReturnCallRef { .. },
            ) => return true,
            Ok(_) => {}
            Err(_) => return true,
        }
    }
    false
}

/// The largest body, in bytes, of a function without calls that skips the
/// stack check ([`needs_stack_check`]).
const LEAF_BODY: usize = 4096;

/// The most declared locals of a function without calls that skips the
/// stack check ([`needs_stack_check`]).
const LEAF_LOCALS: u64 = 1024;

/// The Cranelift trap code after a call of `Libcalls::raise`, which never
/// returns (the instruction only ends the block).
pub(crate) const RAISED: u8 = 1;

struct Translator<'m, 'b, 'f> {
    module: &'m ModuleInner,
    func_index: u32,
    /// The host's C calling convention, for calls of the runtime.
    call_conv: CallConv,
    /// Compiled alone by tier-up: a module function it calls may not be
    /// compiled yet (see [`translate`]).
    tier_up: bool,
    /// Whether its traps and failures leave by `Libcalls::raise`
    /// (`Config::raises`; see [`translate`]).
    raises: bool,
    b: &'b mut FunctionBuilder<'f>,
    vmctx: Value,
    store_ctx: Value,
    locals: Vec<(Variable, Type)>,
    stack: Vec<Value>,
    control: Vec<Frame>,
    reachable: bool,
    /// One block per trap code and module offset used, filled at the end.
    trap_blocks: BTreeMap<(u32, u32), ir::Block>,
    /// For each call: the block that returns because the callee trapped,
    /// and the call's module offset; filled at the end.
    propagate: Vec<(ir::Block, u32)>,
    /// The module offset of the operator being translated (`u32::MAX`
    /// before the first: the function's entry).
    offset: u32,
    /// With fuel metering: the current straight-line run's charge (the
    /// `iconst` its check subtracts, set when the run ends) and how many
    /// operators it has counted so far.
    fuel: Option<(ir::Inst, i64)>,
    results: Vec<Type>,
    sigs: BTreeMap<u32, ir::SigRef>,
    /// Direct calls' callees imported so far, by module function index.
    direct: BTreeMap<u32, ir::FuncRef>,
    /// Memory 0's base and length in bytes, when the function may access
    /// it: variables loaded on entry and again after every call (only a
    /// call can grow or move the memory; where it cannot move, the base's
    /// loads merge), so that a loop without calls keeps them in
    /// registers.
    heap: Option<(Variable, Variable)>,
    /// The loads of memory 0's base and length that `heap`'s variables
    /// were defined from: those nothing reads are dropped at the end
    /// (`dead_loads`).
    heap_loads: Vec<ir::Inst>,
}

impl Translator<'_, '_, '_> {
    fn zero(&mut self, ty: Type) -> Value {
        match ty {
            types::F32 => self.b.ins().f32const(0.0),
            types::F64 => self.b.ins().f64const(0.0),
            types::I8X16 => self.v128_const(&[0; 16]),
            _ => self.b.ins().iconst(ty, 0),
        }
    }

    fn pop(&mut self) -> Value {
        self.stack
            .pop()
            .expect("validated: operand stack underflow")
    }

    fn pop2(&mut self) -> (Value, Value) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    fn peekn(&self, n: usize) -> Vec<Value> {
        self.stack[self.stack.len() - n..].to_vec()
    }

    fn args(values: &[Value]) -> Vec<BlockArg> {
        values.iter().map(|&v| BlockArg::Value(v)).collect()
    }

    /// The block that traps with `code`.
    fn trap_block(&mut self, code: TrapCode) -> ir::Block {
        let n = trap_number(code);
        *self.trap_blocks.entry((n, self.offset)).or_insert_with(|| {
            let blk = self.b.create_block();
            self.b.set_cold_block(blk);
            blk
        })
    }

    /// Branches to the trap block of `code` when `cond` is nonzero.
    fn trap_if(&mut self, cond: Value, code: TrapCode) {
        let trap = self.trap_block(code);
        let cont = self.b.create_block();
        self.b.ins().brif(cond, trap, &[], cont, &[]);
        self.b.seal_block(cont);
        self.b.switch_to_block(cont);
    }

    /// Returns with zero results (the caller sees `trap` and ignores them).
    fn return_zeros(&mut self) {
        let zeros: Vec<Value> = self.results.clone().iter().map(|&t| self.zero(t)).collect();
        self.b.ins().return_(&zeros);
    }

    /// Leaves by `Libcalls::raise` with the trap already in
    /// `VMStoreContext::trap`, this frame recorded at module offset
    /// `offset` (an `i32` value); ends the block.
    fn raise(&mut self, offset: Value) {
        self.call_with_frame(layout::OFFSET_LIBCALL_RAISE, offset);
        self.b.ins().trap(ir::TrapCode::unwrap_user(RAISED));
    }

    /// (Re)loads memory 0's base and length into their variables.
    fn load_heap(&mut self) {
        let Some((base, len)) = self.heap else {
            return;
        };
        let def = self.memory_def();
        // A memory in a guarded reservation never moves (it grows in
        // place, or not at all): its base is loaded once, the loads after
        // calls merged with it.
        let flags = if self.base_never_moves(0) {
            vm_readonly()
        } else {
            vm_flags()
        };
        let b = self
            .b
            .ins()
            .load(types::I64, flags, def, layout::OFFSET_MEMORY_BASE);
        let l = self
            .b
            .ins()
            .load(types::I64, vm_flags(), def, layout::OFFSET_MEMORY_LEN);
        for v in [b, l] {
            let inst = self.b.func.dfg.value_def(v).unwrap_inst();
            self.heap_loads.push(inst);
        }
        self.b.def_var(base, b);
        self.b.def_var(len, l);
    }

    /// Fills the trap and propagation blocks.
    fn finish_traps(&mut self) {
        // Each site's block only passes its trap number and offset to one
        // exit per function that does the work (a few bytes per site).
        let blocks: Vec<((u32, u32), ir::Block)> =
            self.trap_blocks.iter().map(|(&k, &b)| (k, b)).collect();
        if !blocks.is_empty() {
            let exit = self.b.create_block();
            self.b.set_cold_block(exit);
            let n = self.b.append_block_param(exit, types::I32);
            let offset = self.b.append_block_param(exit, types::I32);
            for ((number, at), blk) in blocks {
                self.b.switch_to_block(blk);
                self.b.seal_block(blk);
                let number = self.b.ins().iconst(types::I32, i64::from(number));
                let at = self.b.ins().iconst(types::I32, i64::from(at));
                self.b.ins().jump(exit, &Self::args(&[number, at]));
            }
            self.b.switch_to_block(exit);
            self.b.seal_block(exit);
            self.b
                .ins()
                .store(vm_flags(), n, self.store_ctx, layout::OFFSET_TRAP);
            if self.raises {
                self.raise(offset);
            } else {
                self.record_frame(offset);
                self.return_zeros();
            }
        }
        let propagate = core::mem::take(&mut self.propagate);
        if !propagate.is_empty() {
            let exit = self.b.create_block();
            self.b.set_cold_block(exit);
            let offset = self.b.append_block_param(exit, types::I32);
            for (blk, at) in propagate {
                self.b.switch_to_block(blk);
                self.b.seal_block(blk);
                let at = self.b.ins().iconst(types::I32, i64::from(at));
                self.b.ins().jump(exit, &Self::args(&[at]));
            }
            self.b.switch_to_block(exit);
            self.b.seal_block(exit);
            if self.raises {
                self.raise(offset);
            } else {
                self.record_frame(offset);
                self.return_zeros();
            }
        }
    }

    /// Records this function at module offset `offset` (an `i32` value) in
    /// the trap's backtrace (`Libcalls::frame`).
    fn record_frame(&mut self, offset: Value) {
        self.call_with_frame(layout::OFFSET_LIBCALL_FRAME, offset);
    }

    /// Calls the runtime function at `libcall` in `Libcalls` (`frame` or
    /// `raise`) with this function's index and module offset `offset`.
    fn call_with_frame(&mut self, libcall: i32, offset: Value) {
        let libcall = self.libcall_table_entry(libcall);
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(types::I64));
        sig.params.push(AbiParam::new(types::I32));
        sig.params.push(AbiParam::new(types::I32));
        let sig = self.b.import_signature(sig);
        let f = self.b.ins().iconst(types::I32, i64::from(self.func_index));
        self.b
            .ins()
            .call_indirect(sig, libcall, &[self.vmctx, f, offset]);
    }

    fn block_type(&self, bt: BlockType) -> Result<(Vec<Type>, Vec<Type>)> {
        Ok(match bt {
            BlockType::Empty => (Vec::new(), Vec::new()),
            BlockType::Type(t) => (Vec::new(), alloc::vec![wasm_type(t)?]),
            BlockType::FuncType(i) => {
                let ty = &self.module.types[i as usize];
                let p = ty.params().iter().map(clif_type).collect::<Result<_>>()?;
                let r = ty.results().iter().map(clif_type).collect::<Result<_>>()?;
                (p, r)
            }
        })
    }

    fn new_block_with(&mut self, tys: &[Type]) -> ir::Block {
        let blk = self.b.create_block();
        for &t in tys {
            self.b.append_block_param(blk, t);
        }
        blk
    }

    fn push_dead(&mut self) {
        let blk = self.b.create_block();
        self.control.push(Frame {
            kind: Kind::Block,
            dest: blk,
            next: blk,
            params: Vec::new(),
            results: Vec::new(),
            height: self.stack.len(),
            exit_used: false,
            dead: true,
        });
    }

    /// Jumps to frame `depth`'s branch target with the top values.
    fn branch_target(&mut self, depth: u32) -> (ir::Block, Vec<Value>) {
        let at = self.control.len() - 1 - depth as usize;
        let n = self.control[at].branch_arity();
        let args = self.peekn(n);
        let f = &mut self.control[at];
        if !matches!(f.kind, Kind::Loop) {
            f.exit_used = true;
        }
        (f.dest, args)
    }

    fn operator(&mut self, op: &Operator<'_>) -> Result<()> {
        if !self.reachable {
            return self.unreachable_operator(op);
        }
        use Operator as O;
        match *op {
            O::Nop => {}
            O::Unreachable => {
                let trap = self.trap_block(TrapCode::UnreachableCodeReached);
                self.b.ins().jump(trap, &[]);
                self.reachable = false;
            }
            O::Block { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let next = self.new_block_with(&results);
                let height = self.stack.len() - params.len();
                self.control.push(Frame {
                    kind: Kind::Block,
                    dest: next,
                    next,
                    params,
                    results,
                    height,
                    exit_used: false,
                    dead: false,
                });
            }
            O::Loop { blockty } => {
                let (params, results) = self.block_type(blockty)?;
                let header = self.new_block_with(&params);
                let next = self.new_block_with(&results);
                let args = self.peekn(params.len());
                self.b.ins().jump(header, &Self::args(&args));
                self.b.switch_to_block(header);
                self.check_epoch();
                self.fuel_segment();
                let height = self.stack.len() - params.len();
                self.stack.truncate(height);
                self.stack.extend_from_slice(self.b.block_params(header));
                self.control.push(Frame {
                    kind: Kind::Loop,
                    dest: header,
                    next,
                    params,
                    results,
                    height,
                    exit_used: false,
                    dead: false,
                });
            }
            O::If { blockty } => {
                let cond = self.pop();
                let (params, results) = self.block_type(blockty)?;
                let then_block = self.b.create_block();
                let else_block = self.b.create_block();
                let next = self.new_block_with(&results);
                self.b.ins().brif(cond, then_block, &[], else_block, &[]);
                self.b.seal_block(then_block);
                self.b.seal_block(else_block);
                self.b.switch_to_block(then_block);
                self.fuel_segment();
                let height = self.stack.len() - params.len();
                let param_values = self.peekn(params.len());
                self.control.push(Frame {
                    kind: Kind::If {
                        else_block,
                        params: param_values,
                        had_else: false,
                    },
                    dest: next,
                    next,
                    params,
                    results,
                    height,
                    exit_used: false,
                    dead: false,
                });
            }
            O::TryTable { ref try_table } => {
                // The interpreter starts a straight-line run at the body
                // (after the clauses' landing pads): so does the charge.
                self.fuel_segment();
                let (params, results) = self.block_type(try_table.ty)?;
                let next = self.new_block_with(&results);
                let height = self.stack.len() - params.len();
                let catches = try_table
                    .catches
                    .iter()
                    .map(|c| match *c {
                        wasmparser::Catch::One { tag, label } => (0, tag, label),
                        wasmparser::Catch::OneRef { tag, label } => (1, tag, label),
                        wasmparser::Catch::All { label } => (2, 0, label),
                        wasmparser::Catch::AllRef { label } => (3, 0, label),
                    })
                    .collect();
                self.control.push(Frame {
                    kind: Kind::TryTable {
                        catches,
                        dispatch: None,
                    },
                    dest: next,
                    next,
                    params,
                    results,
                    height,
                    exit_used: false,
                    dead: false,
                });
            }
            O::Throw { tag_index } => {
                let ty = self.tag_type(tag_index)?;
                let n = ty.params().len();
                let values = self.peekn(n);
                self.stack.truncate(self.stack.len() - n);
                let types: Vec<Type> = values
                    .iter()
                    .map(|&v| self.b.func.dfg.value_type(v))
                    .collect();
                let (at, slots) = packed(&types);
                let ss = self.b.create_sized_stack_slot(StackSlotData::new(
                    StackSlotKind::ExplicitSlot,
                    (slots.max(1) * 8) as u32,
                    4,
                ));
                let buf = self.b.ins().stack_addr(types::I64, ss, 0);
                for (&v, &o) in values.iter().zip(&at) {
                    store_slot(self.b, v, buf, o);
                }
                let libcall = self.libcall(layout::OFFSET_LIBCALL_THROW);
                let mut sig = Signature::new(self.call_conv);
                sig.params.push(AbiParam::new(types::I64));
                sig.params.push(AbiParam::new(types::I32));
                sig.params.push(AbiParam::new(types::I64));
                let sig = self.b.import_signature(sig);
                let tag = self.b.ins().iconst(types::I32, i64::from(tag_index));
                self.b
                    .ins()
                    .call_indirect(sig, libcall, &[self.vmctx, tag, buf]);
                self.after_throw();
            }
            O::Try { blockty } => self.try_(blockty)?,
            O::Catch { tag_index } => self.catch(Some(tag_index))?,
            O::CatchAll => self.catch(None)?,
            O::Delegate { relative_depth } => self.delegate(relative_depth)?,
            O::Rethrow { relative_depth } => self.rethrow(relative_depth)?,
            O::ThrowRef => {
                let exn = self.pop();
                let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_THROW_REF);
                let mut sig = Signature::new(self.call_conv);
                sig.params.push(AbiParam::new(types::I64));
                sig.params.push(AbiParam::new(types::I64));
                let sig = self.b.import_signature(sig);
                self.b.ins().call_indirect(sig, libcall, &[self.vmctx, exn]);
                self.after_throw();
            }
            O::Else => self.else_()?,
            O::End => self.end()?,
            O::Br { relative_depth } => {
                let (dest, args) = self.branch_target(relative_depth);
                self.b.ins().jump(dest, &Self::args(&args));
                self.reachable = false;
            }
            O::BrIf { relative_depth } => {
                let cond = self.pop();
                let (dest, args) = self.branch_target(relative_depth);
                let cont = self.b.create_block();
                self.b.ins().brif(cond, dest, &Self::args(&args), cont, &[]);
                self.b.seal_block(cont);
                self.b.switch_to_block(cont);
                self.fuel_segment();
            }
            O::BrTable { ref targets } => {
                let index = self.pop();
                let default = targets.default();
                let depths: Vec<u32> = targets
                    .targets()
                    .collect::<core::result::Result<_, _>>()
                    .map_err(|_| Unsupported::what("br_table"))?;
                let arity = {
                    let at = self.control.len() - 1 - default as usize;
                    self.control[at].branch_arity()
                };
                // With values to carry, each distinct target gets a small
                // block that jumps there with them.
                let mut edge: BTreeMap<u32, ir::Block> = BTreeMap::new();
                let mut block_for = |t: &mut Self, depth: u32| -> ir::Block {
                    if arity == 0 {
                        return t.branch_target(depth).0;
                    }
                    *edge.entry(depth).or_insert_with(|| t.b.create_block())
                };
                let def_block = block_for(self, default);
                let table: Vec<ir::Block> = depths.iter().map(|&d| block_for(self, d)).collect();
                let def_call = self.b.func.dfg.block_call(def_block, &[]);
                let calls: Vec<_> = table
                    .iter()
                    .map(|&blk| self.b.func.dfg.block_call(blk, &[]))
                    .collect();
                let jt = self
                    .b
                    .create_jump_table(JumpTableData::new(def_call, &calls));
                self.b.ins().br_table(index, jt);
                for (depth, blk) in edge {
                    self.b.seal_block(blk);
                    self.b.switch_to_block(blk);
                    let (dest, args) = self.branch_target(depth);
                    self.b.ins().jump(dest, &Self::args(&args));
                }
                self.reachable = false;
            }
            O::Return => {
                let n = self.results.len();
                let vals = self.peekn(n);
                self.b.ins().return_(&vals);
                self.reachable = false;
            }
            O::Call { function_index } => self.call(function_index, false)?,
            O::ReturnCall { function_index } => self.call(function_index, true)?,
            O::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, false)?,
            O::ReturnCallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index, true)?,
            O::CallRef { type_index } => self.call_ref(type_index, false)?,
            O::ReturnCallRef { type_index } => self.call_ref(type_index, true)?,
            O::RefAsNonNull => {
                let r = *self.stack.last().expect("validated");
                let null = self.b.ins().icmp_imm_u(IntCC::Equal, r, 0);
                self.trap_if(null, TrapCode::NullReference);
            }
            O::BrOnNull { relative_depth } => {
                let r = self.pop();
                let null = self.b.ins().icmp_imm_u(IntCC::Equal, r, 0);
                let (dest, args) = self.branch_target(relative_depth);
                let cont = self.b.create_block();
                self.b.ins().brif(null, dest, &Self::args(&args), cont, &[]);
                self.b.seal_block(cont);
                self.b.switch_to_block(cont);
                self.stack.push(r);
                self.fuel_segment();
            }
            O::BrOnNonNull { relative_depth } => {
                let r = *self.stack.last().expect("validated");
                let (dest, args) = self.branch_target(relative_depth);
                self.pop();
                let cont = self.b.create_block();
                self.b.ins().brif(r, dest, &Self::args(&args), cont, &[]);
                self.b.seal_block(cont);
                self.b.switch_to_block(cont);
                self.fuel_segment();
            }
            O::Drop => {
                self.pop();
            }
            O::Select | O::TypedSelect { .. } => {
                let c = self.pop();
                let (a, bv) = self.pop2();
                let v = self.b.ins().select(c, a, bv);
                self.stack.push(v);
            }
            O::LocalGet { local_index } => {
                let (var, _) = self.locals[local_index as usize];
                let v = self.b.use_var(var);
                self.stack.push(v);
            }
            O::LocalSet { local_index } => {
                let v = self.pop();
                let (var, _) = self.locals[local_index as usize];
                self.b.def_var(var, v);
            }
            O::LocalTee { local_index } => {
                let v = *self.stack.last().expect("validated");
                let (var, _) = self.locals[local_index as usize];
                self.b.def_var(var, v);
            }
            O::GlobalGet { global_index } => {
                let (cell, ty, mutable) = self.global(global_index)?;
                let mut flags = slot_flags(ty);
                if !mutable {
                    flags = flags.with_readonly();
                }
                let v = self.b.ins().load(ty, flags, cell, 0);
                self.stack.push(v);
            }
            O::GlobalSet { global_index } => {
                let (cell, ty, _) = self.global(global_index)?;
                let v = self.pop();
                self.b.ins().store(slot_flags(ty), v, cell, 0);
            }
            O::I32Const { value } => {
                let v = self.b.ins().iconst(types::I32, i64::from(value as u32));
                self.stack.push(v);
            }
            O::I64Const { value } => {
                let v = self.b.ins().iconst(types::I64, value);
                self.stack.push(v);
            }
            O::F32Const { value } => {
                let v = self
                    .b
                    .ins()
                    .f32const(ir::immediates::Ieee32::with_bits(value.bits()));
                self.stack.push(v);
            }
            O::F64Const { value } => {
                let v = self
                    .b
                    .ins()
                    .f64const(ir::immediates::Ieee64::with_bits(value.bits()));
                self.stack.push(v);
            }
            O::RefNull { .. } => {
                let v = self.b.ins().iconst(types::I64, 0);
                self.stack.push(v);
            }
            O::RefFunc { function_index } => {
                let indices = self.b.ins().load(
                    types::I64,
                    vm_readonly(),
                    self.vmctx,
                    layout::OFFSET_FUNC_INDICES,
                );
                let f = self
                    .b
                    .ins()
                    .uload32(vm_readonly(), indices, (function_index * 4) as i32);
                let v = self.b.ins().iadd_imm_u(f, 1);
                self.stack.push(v);
            }
            O::TableGet { table } => {
                let index = self.pop();
                let def = self.table_def(table);
                let at = self.table_element(table, def, index);
                let v = self.b.ins().load(types::I64, vm_flags(), at, 0);
                self.stack.push(v);
            }
            O::TableSet { table } => {
                let v = self.pop();
                let index = self.pop();
                let def = self.table_def(table);
                let at = self.table_element(table, def, index);
                self.b.ins().store(vm_flags(), v, at, 0);
            }
            O::MemoryFill { mem } => self.bulk_void(Bulk::MemoryFill, mem, 0, 3),
            O::MemoryCopy { dst_mem, src_mem } => {
                self.bulk_void(Bulk::MemoryCopy, dst_mem, src_mem, 3)
            }
            O::MemoryInit { data_index, mem } => {
                self.bulk_void(Bulk::MemoryInit, mem, data_index, 3)
            }
            O::DataDrop { data_index } => self.bulk_void(Bulk::DataDrop, data_index, 0, 0),
            O::TableCopy {
                dst_table,
                src_table,
            } => self.bulk_void(Bulk::TableCopy, dst_table, src_table, 3),
            O::TableInit { elem_index, table } => {
                self.bulk_void(Bulk::TableInit, table, elem_index, 3)
            }
            O::ElemDrop { elem_index } => self.bulk_void(Bulk::ElemDrop, elem_index, 0, 0),
            O::TableFill { table } => self.bulk_void(Bulk::TableFill, table, 0, 3),
            O::TableGrow { table } => {
                self.bulk(Bulk::TableGrow, table, 0, 2);
                self.table_result(table);
            }
            O::TableSize { table } => {
                self.bulk(Bulk::TableSize, table, 0, 0);
                self.table_result(table);
            }
            O::RefIsNull => {
                let a = self.pop();
                let c = self.b.ins().icmp_imm_u(IntCC::Equal, a, 0);
                let v = self.b.ins().uextend(types::I32, c);
                self.stack.push(v);
            }
            O::MemorySize { mem } => {
                let is64 = self.memory(mem)?;
                let len = if self.shared(mem) {
                    self.current_len(mem)
                } else {
                    self.base_and_len(mem).1
                };
                let log2 = i64::from(self.page_size_log2(mem));
                let pages = self.b.ins().ushr_imm_u(len, log2);
                let v = if is64 {
                    pages
                } else {
                    self.b.ins().ireduce(types::I32, pages)
                };
                self.stack.push(v);
            }
            O::MemoryGrow { mem } => {
                let is64 = self.memory(mem)?;
                let delta = self.pop();
                let delta = to_slot(self.b, delta);
                let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_MEMORY_GROW);
                let mut sig = Signature::new(self.call_conv);
                sig.params.push(AbiParam::new(types::I64));
                sig.params.push(AbiParam::new(types::I32));
                sig.params.push(AbiParam::new(types::I64));
                sig.returns.push(AbiParam::new(types::I64));
                let sig = self.b.import_signature(sig);
                let index = self.b.ins().iconst(types::I32, i64::from(mem));
                let call = self
                    .b
                    .ins()
                    .call_indirect(sig, libcall, &[self.vmctx, index, delta]);
                let v = self.b.inst_results(call)[0];
                let v = if is64 {
                    v
                } else {
                    self.b.ins().ireduce(types::I32, v)
                };
                self.check_trap();
                self.stack.push(v);
            }
            _ => return self.numeric_or_memory(op),
        }
        Ok(())
    }

    /// Operators in unreachable code: only nesting matters.
    fn unreachable_operator(&mut self, op: &Operator<'_>) -> Result<()> {
        match op {
            Operator::Block { .. }
            | Operator::Loop { .. }
            | Operator::If { .. }
            | Operator::TryTable { .. }
            | Operator::Try { .. } => {
                self.push_dead();
                Ok(())
            }
            // A live `try` whose body ends unreachable still has its
            // `catch` bodies and its `delegate`.
            Operator::Catch { .. } | Operator::CatchAll => {
                if self.control.last().is_some_and(|f| f.dead) {
                    return Ok(());
                }
                let tag = match *op {
                    Operator::Catch { tag_index } => Some(tag_index),
                    _ => None,
                };
                self.catch(tag)
            }
            Operator::Delegate { relative_depth } => {
                if self.control.last().is_some_and(|f| f.dead) {
                    self.control.pop();
                    return Ok(());
                }
                self.delegate(*relative_depth)
            }
            Operator::Else => {
                if self.control.last().is_some_and(|f| f.dead) {
                    return Ok(());
                }
                self.else_()
            }
            Operator::End => {
                if self.control.last().is_some_and(|f| f.dead) {
                    self.control.pop();
                    return Ok(());
                }
                self.end()
            }
            _ => Ok(()),
        }
    }

    fn else_(&mut self) -> Result<()> {
        let reachable = self.reachable;
        let frame = self.control.last_mut().expect("validated");
        let Kind::If {
            else_block,
            ref params,
            ref mut had_else,
        } = frame.kind
        else {
            return Err(Unsupported::what("else outside if"));
        };
        *had_else = true;
        let params = params.clone();
        let (next, height, nres) = (frame.next, frame.height, frame.results.len());
        if reachable {
            frame.exit_used = true;
            let args = self.peekn(nres);
            self.b.ins().jump(next, &Self::args(&args));
        }
        self.stack.truncate(height);
        self.stack.extend_from_slice(&params);
        self.b.switch_to_block(else_block);
        self.reachable = true;
        self.fuel_segment();
        Ok(())
    }

    fn end(&mut self) -> Result<()> {
        let mut frame = self.control.pop().expect("validated");
        if self.reachable {
            let args = self.peekn(frame.results.len());
            self.b.ins().jump(frame.next, &Self::args(&args));
            frame.exit_used = true;
        }
        if let Kind::If {
            else_block,
            ref params,
            had_else: false,
        } = frame.kind
        {
            // No `else`: the false branch passes the parameters on.
            self.b.switch_to_block(else_block);
            self.b.ins().jump(frame.next, &Self::args(params));
            frame.exit_used = true;
        }
        if let Kind::Loop = frame.kind {
            self.b.seal_block(frame.dest);
        }
        if let Kind::TryTable {
            ref catches,
            dispatch: Some(dispatch),
        } = frame.kind
        {
            let catches = catches.clone();
            self.fill_dispatch(dispatch, &catches);
        }
        if let Kind::Try(ref t) = frame.kind {
            let t = t.clone();
            self.fill_legacy_dispatch(&t);
        }
        self.stack.truncate(frame.height);
        if frame.exit_used {
            self.b.switch_to_block(frame.next);
            self.b.seal_block(frame.next);
            self.stack
                .extend_from_slice(self.b.block_params(frame.next));
            self.reachable = true;
            if !matches!(frame.kind, Kind::Body) {
                self.fuel_segment();
            }
        } else {
            self.reachable = false;
        }
        if let Kind::Body = frame.kind {
            if self.reachable {
                let vals = self.stack.clone();
                self.b.ins().return_(&vals);
            }
            self.reachable = false;
        }
        Ok(())
    }

    /// The runtime function at `offset` of the `Libcalls` table, for a
    /// call made right after (this records the frame first: see
    /// [`Translator::record_exit`]).
    fn libcall(&mut self, offset: i32) -> Value {
        self.record_exit();
        self.libcall_table_entry(offset)
    }

    /// The runtime function at `offset` of the `Libcalls` table, for a
    /// call that cannot lead to a collection, so needs no record of the
    /// frame: it allocates nothing and runs no host code that has the
    /// store (catching, backtrace frames, `throw_ref` of an existing
    /// exception, memory and table sizes and bulk operations — a resource
    /// limiter sees only its own data —, `atomic.notify`, and the GC
    /// accesses of `Gc::is_light`).
    fn libcall_table_entry(&mut self, offset: i32) -> Value {
        let table = self.b.ins().load(
            types::I64,
            vm_cold_readonly(),
            self.vmctx,
            layout::OFFSET_LIBCALLS,
        );
        self.b
            .ins()
            .load(types::I64, vm_cold_readonly(), table, offset)
    }

    /// A global's cell address, its type, and whether it is mutable.
    fn global(&mut self, index: u32) -> Result<(Value, Type, bool)> {
        let gt = &self.module.globals[index as usize];
        let ty = clif_type(gt.content())?;
        let cells = self.b.ins().load(
            types::I64,
            vm_readonly(),
            self.vmctx,
            layout::OFFSET_GLOBALS,
        );
        let cell = self
            .b
            .ins()
            .load(types::I64, vm_readonly(), cells, (index * 8) as i32);
        Ok((cell, ty, gt.mutability() == crate::types::Mutability::Var))
    }

    /// A bulk memory or table operation through the runtime
    /// (`Libcalls::bulk`) on the top `operands` values; pushes its 64-bit
    /// result.
    fn bulk(&mut self, op: Bulk, a: u32, b: u32, operands: usize) {
        let values = self.peekn(operands);
        self.stack.truncate(self.stack.len() - operands);
        let mut args = alloc::vec![self.vmctx];
        for imm in [op as u32, a, b] {
            args.push(self.b.ins().iconst(types::I32, i64::from(imm)));
        }
        for k in 0..3 {
            let v = match values.get(k) {
                Some(&v) => to_slot(self.b, v),
                None => self.b.ins().iconst(types::I64, 0),
            };
            args.push(v);
        }
        let libcall = self.libcall_table_entry(layout::OFFSET_LIBCALL_BULK);
        let mut sig = Signature::new(self.call_conv);
        sig.params.push(AbiParam::new(types::I64));
        for _ in 0..3 {
            sig.params.push(AbiParam::new(types::I32));
        }
        for _ in 0..3 {
            sig.params.push(AbiParam::new(types::I64));
        }
        sig.returns.push(AbiParam::new(types::I64));
        let sig = self.b.import_signature(sig);
        let call = self.b.ins().call_indirect(sig, libcall, &args);
        let v = self.b.inst_results(call)[0];
        self.check_trap();
        self.stack.push(v);
    }

    /// [`Translator::bulk`] of an operation without a result.
    fn bulk_void(&mut self, op: Bulk, a: u32, b: u32, operands: usize) {
        self.bulk(op, a, b, operands);
        self.pop();
    }

    /// Turns the 64-bit result `bulk` pushed for table `table` into the
    /// table's index type (`i32`, or `i64` for a 64-bit table); drops the
    /// result of operations that have none.
    fn table_result(&mut self, table: u32) {
        if !self.module.tables64[table as usize] {
            let v = self.pop();
            let v = self.b.ins().ireduce(types::I32, v);
            self.stack.push(v);
        }
    }
}

/// Wasm's `min`/`max` of scalars or vectors, with the interpreter's NaN:
/// when an operand is NaN, the result is that NaN, quieted (what the
/// host's `x + y` gives, as in `num::f32_min`), not the NaN Cranelift's
/// lowering makes up, so both tiers give the same bits.
pub(crate) fn min_max(b: &mut FunctionBuilder<'_>, x: Value, y: Value, max: bool) -> Value {
    let r = if max {
        b.ins().fmax(x, y)
    } else {
        b.ins().fmin(x, y)
    };
    let nan = b.ins().fcmp(FloatCC::Unordered, x, y);
    let sum = b.ins().fadd(x, y);
    let ty = b.func.dfg.value_type(x);
    if ty.is_vector() {
        let mask = b.ins().bitcast(
            ty,
            MemFlagsData::new().with_endianness(ir::Endianness::Little),
            nan,
        );
        b.ins().bitselect(mask, sum, r)
    } else {
        b.ins().select(nan, sum, r)
    }
}
