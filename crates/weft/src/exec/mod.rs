//! The interpreter: runs Weft bytecode on a flat value stack.
//!
//! One loop dispatches on [`Op`] with a `match`. Registers of the loop: the
//! instruction pointer `ip`, the frame base `sp` (a pointer to the current
//! frame's slot 0), the current instance, and a cache of memory 0's base and
//! length (reloaded after calls, returns and `memory.grow`, the only things
//! that can move or resize it). Wasm calls push a [`Frame`] record and
//! continue in the same loop, so guest recursion never uses native stack;
//! the value stack has a fixed size (`Config::max_wasm_stack`) and a call
//! that does not fit traps with "call stack exhausted".
//!
//! This is the one module of the interpreter with `unsafe`: slot accesses
//! through `sp` and memory accesses through the cached base. Their bounds
//! come from the translator (every slot operand < `frame_size`, checked
//! against the stack size when a frame is entered) and from explicit checks
//! (every memory access is compared with the cached length).

mod atomic;
pub(crate) mod bulk;
mod outside;
mod simd;

use alloc::vec::Vec;

use crate::error::{Error, ErrorKind, Result};
use crate::hooks::CallHook;
use crate::ir::Handler;
use crate::ir::{CompiledFunc, Op};
use crate::num::*;
use crate::trap::{Trap, TrapCode};
use crate::types::slot_count;
use crate::vm::{ExnEntity, FuncKind, Stack, StoreInner, WaitOutcome};
use outside::{backtrace, compiled, memory0, memory_grow, resolve, shared_memory0, table_grow};

pub(crate) use crate::vm::Frame;

/// What the interpreter needs from a store: its internals, and a way to
/// call host functions (which need the typed store, so `runtime` provides it).
pub(crate) trait ExecStore {
    /// The store's internals.
    fn inner(&mut self) -> &mut StoreInner;
    /// Calls host function `index`. `slots[..params]` holds the arguments;
    /// the results go to `slots[..results]`.
    fn call_host(
        &mut self,
        index: u32,
        caller_instance: Option<u32>,
        slots: &mut [u64],
    ) -> Result<()>;
    /// Asks the store's resource limiter whether a memory may grow from
    /// `current` to `desired` bytes (`Ok(false)`: `memory.grow` returns -1;
    /// `Err`: the call fails with that error).
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;
    /// As `memory_growing`, for tables (sizes in elements).
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> Result<bool>;
    /// Runs the store's call hook for a call from the host into Wasm
    /// (`CallingWasm`) or its return (`ReturningFromWasm`); only called
    /// when `StoreInner::call_hooks` is set.
    fn wasm_call_hook(&mut self, kind: CallHook) -> Result<()>;
    /// The epoch deadline is reached: asks the store's deadline callback.
    /// `Ok(true)`: go on (the deadline moved); `Ok(false)`: trap with
    /// `Interrupt`; `Err`: fail the call with that error.
    fn epoch_deadline_reached(&mut self) -> Result<bool>;
}

/// Calls store function `func`. `slots[..params]` holds the arguments on
/// entry; on success `slots[..results]` holds the results. `slots` must be
/// at least as long as the larger of the two counts.
pub(crate) fn call(store: &mut dyn ExecStore, func: u32, slots: &mut [u64]) -> Result<()> {
    let func = resolve(store.inner(), func)?;
    let inner = store.inner();
    let entity = &inner.funcs[func as usize];
    let (np, nr) = (
        slot_count(entity.ty.params()),
        slot_count(entity.ty.results()),
    );
    if let FuncKind::Host { index } = entity.kind {
        return store.call_host(index, None, slots);
    }
    let config = inner.engine.config();
    // Native stack use of host <-> Wasm re-entry: the address of a local
    // here, compared with the one of the outermost call.
    let marker = 0u8;
    let here = core::ptr::addr_of!(marker) as usize;
    if inner.nesting == 0 {
        inner.native_stack_base = here;
    } else if inner.nesting >= config.max_host_nesting
        || inner.native_stack_base.abs_diff(here) > config.max_native_stack
    {
        return Err(Trap::new(TrapCode::StackOverflow, Vec::new()).into());
    }
    let mut stack = match inner.stack.take() {
        Some(s) => s,
        None => Stack::new(config.max_wasm_stack).ok_or_else(|| {
            Error::limit(alloc::format!(
                "cannot allocate the Wasm stack of {} bytes (Config::max_wasm_stack)",
                config.max_wasm_stack
            ))
        })?,
    };
    if stack.slots.len() < np.max(nr) {
        return Err(Trap::new(TrapCode::StackOverflow, Vec::new()).into());
    }
    inner.nesting += 1;
    stack.frames.clear();
    stack.slots[..np].copy_from_slice(&slots[..np]);
    let hooks = inner.call_hooks;
    let result = if hooks {
        store
            .wasm_call_hook(CallHook::CallingWasm)
            .and_then(|()| run(store, &mut stack, func))
    } else {
        run(store, &mut stack, func)
    };
    let result = if hooks {
        result.and(store.wasm_call_hook(CallHook::ReturningFromWasm))
    } else {
        result
    };
    if result.is_ok() {
        slots[..nr].copy_from_slice(&stack.slots[..nr]);
    }
    let inner = store.inner();
    inner.nesting -= 1;
    if inner.stack.is_none() {
        inner.stack = Some(stack);
    }
    result
}

/// Initialises a new frame: declared locals to zero, constants into their
/// slots.
///
/// # Safety
/// `sp` must point to at least `cf.frame_size` writable slots.
#[inline(always)]
unsafe fn enter_frame(sp: *mut u64, cf: &CompiledFunc) {
    // Plain loops: frames have few locals and constants, and a call to
    // `memset`/`memcpy` per Wasm call costs more than the work.
    for i in cf.params as usize..cf.locals as usize {
        // SAFETY: params <= locals <= frame_size, and the caller guarantees
        // frame_size slots at `sp`.
        unsafe { *sp.add(i) = 0 };
    }
    let base = cf.locals as usize;
    for (k, &c) in cf.consts.iter().enumerate() {
        // SAFETY: locals + consts.len() <= frame_size.
        unsafe { *sp.add(base + k) = c };
    }
}

#[allow(clippy::too_many_lines)]
fn run(store: &mut dyn ExecStore, stack: &mut Stack, entry: u32) -> Result<()> {
    let slots_len = stack.slots.len();
    let slots: *mut u64 = stack.slots.as_mut_ptr();
    // Every frame costs at least one slot; bound the frame records too.
    let max_frames = (slots_len / 2).min(store.inner().engine.config().max_call_depth as usize - 1);
    let FuncKind::Wasm {
        instance: mut inst,
        def,
    } = store.inner().funcs[entry as usize].kind
    else {
        return Err(Error::runtime("internal: entry is not a Wasm function"));
    };
    let mut cur_func = entry;
    let mut base: usize = 0;
    // SAFETY: see `compiled`.
    let cf = unsafe { &*compiled(store.inner(), inst, def)? };
    if cf.frame_size as usize > slots_len {
        return Err(backtrace(store.inner(), TrapCode::StackOverflow, entry, None, &[]).into());
    }
    // SAFETY: `frame_size <= slots_len` was checked just above.
    let mut sp: *mut u64 = slots;
    // SAFETY: locals + consts <= frame_size <= slots_len.
    unsafe { enter_frame(sp, cf) };
    let mut ip: *const Op = cf.code.as_ptr();
    let (mut mem, mut mem_len) = memory0(store.inner(), inst);

    macro_rules! r {
        ($s:expr) => {{
            debug_assert!(base + ($s as usize) < slots_len);
            // SAFETY: the translator keeps slot operands below the frame
            // size, and entering the frame checked base + frame_size fits.
            unsafe { *sp.add($s as usize) }
        }};
    }
    macro_rules! w {
        ($s:expr, $v:expr) => {{
            let v: u64 = $v;
            debug_assert!(base + ($s as usize) < slots_len);
            // SAFETY: as for `r!`.
            unsafe { *sp.add($s as usize) = v };
        }};
    }
    // A `v128` in slots `s` and `s + 1` (low half first); only wide-mode
    // code uses them, whose frames (and the artifact verifier) keep
    // `s + 1` below the frame size.
    macro_rules! r128 {
        ($s:expr) => {
            u128::from(r!($s)) | (u128::from(r!($s + 1)) << 64)
        };
    }
    macro_rules! w128 {
        ($s:expr, $v:expr) => {{
            let v: u128 = $v;
            w!($s, v as u64);
            w!($s + 1, (v >> 64) as u64);
        }};
    }
    macro_rules! trap {
        ($code:expr) => {
            break $code
        };
    }
    macro_rules! tryt {
        ($e:expr) => {
            match $e {
                Ok(v) => v,
                Err(code) => trap!(code),
            }
        };
    }
    macro_rules! bin {
        ($d:ident, $a:ident, $b:ident, |$x:ident, $y:ident| $e:expr) => {{
            let $x = r!($a);
            let $y = r!($b);
            w!($d, $e);
        }};
    }
    macro_rules! binimm {
        ($d:ident, $a:ident, $imm:ident, |$x:ident, $y:ident| $e:expr) => {{
            let $x = r!($a);
            let $y = $imm;
            w!($d, $e);
        }};
    }
    macro_rules! un {
        ($d:ident, $a:ident, |$x:ident| $e:expr) => {{
            let $x = r!($a);
            w!($d, $e);
        }};
    }
    macro_rules! branch {
        ($cond:expr, $off:ident) => {
            if $cond {
                // SAFETY: the translator resolves every branch to an
                // instruction of the same function.
                ip = unsafe { ip.offset($off as isize) };
                continue;
            }
        };
    }
    macro_rules! load {
        ($d:ident, $a:ident, $offset:ident, $t:ty, $conv:expr) => {{
            let addr = u64::from(r!($a) as u32) + u64::from($offset);
            if addr + (core::mem::size_of::<$t>() as u64) > mem_len as u64 {
                beyond_cached_len!(addr, core::mem::size_of::<$t>() as u64);
            }
            // SAFETY: `addr + size <= mem_len`, the length of memory 0,
            // whose base `mem` is reloaded after anything that can move it.
            let raw = unsafe { core::ptr::read_unaligned(mem.add(addr as usize) as *const $t) };
            let conv: fn($t) -> u64 = $conv;
            w!($d, conv(<$t>::from_le(raw)));
        }};
    }
    macro_rules! store {
        ($a:ident, $v:ident, $offset:ident, $t:ty) => {{
            let addr = u64::from(r!($a) as u32) + u64::from($offset);
            if addr + (core::mem::size_of::<$t>() as u64) > mem_len as u64 {
                beyond_cached_len!(addr, core::mem::size_of::<$t>() as u64);
            }
            let v = (r!($v) as $t).to_le();
            // SAFETY: as for `load!`.
            unsafe { core::ptr::write_unaligned(mem.add(addr as usize) as *mut $t, v) };
        }};
    }
    // Reads `$n` (at most 16) bytes of memory 0 at `$a + $offset` into the
    // low bytes of a `u128` (little-endian).
    macro_rules! simd_read {
        ($a:ident, $offset:ident, $n:expr) => {{
            let n: usize = $n;
            let addr = u64::from(r!($a) as u32) + u64::from($offset);
            if addr + n as u64 > mem_len as u64 {
                beyond_cached_len!(addr, n as u64);
            }
            let mut buf = [0u8; 16];
            // SAFETY: `addr + n <= mem_len` (as in `load!`) and `n <= 16`.
            unsafe { core::ptr::copy_nonoverlapping(mem.add(addr as usize), buf.as_mut_ptr(), n) };
            u128::from_le_bytes(buf)
        }};
    }
    // The effective address of a SIMD access to any memory: the address
    // operand as the memory's address type, plus the `u64` offset in `$o`.
    macro_rules! simd_slow_addr {
        ($a:ident, $o:ident, $mem:ident) => {{
            let a = bulk::address(store.inner(), inst, u32::from($mem), r!($a));
            let Some(addr) = a.checked_add(r!($o)) else {
                trap!(TrapCode::MemoryOutOfBounds);
            };
            addr
        }};
    }
    // Writes the low `$n` bytes of the `u128` `$v` to memory 0.
    macro_rules! simd_write {
        ($a:ident, $offset:ident, $n:expr, $v:expr) => {{
            let n: usize = $n;
            let addr = u64::from(r!($a) as u32) + u64::from($offset);
            if addr + n as u64 > mem_len as u64 {
                beyond_cached_len!(addr, n as u64);
            }
            let bytes = u128::to_le_bytes($v);
            // SAFETY: as for `simd_read!`.
            unsafe { core::ptr::copy_nonoverlapping(bytes.as_ptr(), mem.add(addr as usize), n) };
        }};
    }
    macro_rules! reload_memory {
        () => {
            (mem, mem_len) = memory0(store.inner(), inst);
        };
    }
    // An access past the cached length: a shared memory may have been grown
    // by another thread since the length was cached, so look again before
    // trapping.
    macro_rules! beyond_cached_len {
        ($addr:expr, $size:expr) => {
            reload_memory!();
            if $addr + $size > mem_len as u64 {
                trap!(TrapCode::MemoryOutOfBounds);
            }
        };
    }
    // The host address of an atomic access of `$size` bytes at `$a +
    // $offset` in memory 0, after the alignment and bounds checks.
    macro_rules! atomic_addr {
        ($a:ident, $offset:ident, $size:expr) => {{
            let addr = u64::from(r!($a) as u32) + u64::from($offset);
            let size: u64 = $size;
            if addr & (size - 1) != 0 {
                trap!(TrapCode::HeapMisaligned);
            }
            if addr + size > mem_len as u64 {
                beyond_cached_len!(addr, size);
            }
            // SAFETY: `addr + size <= mem_len`, as for `load!`.
            (addr, unsafe { mem.add(addr as usize) })
        }};
    }
    macro_rules! ret {
        () => {
            match stack.frames.pop() {
                None => return Ok(()),
                Some(f) => {
                    ip = f.ip;
                    base = f.base;
                    // SAFETY: a caller's base was valid when it was pushed.
                    sp = unsafe { slots.add(base) };
                    cur_func = f.func;
                    inst = f.instance;
                    reload_memory!();
                    continue;
                }
            }
        };
    }
    // `call!(callee, base)` calls `callee` with a new frame at `base`;
    // `call!(callee, base, tail)` calls it in place of the current function
    // (`return_call`): the arguments move to slot 0 and no frame record is
    // pushed, so tail recursion runs in constant stack.
    macro_rules! call {
        ($callee:expr, $b:expr) => {
            call!($callee, $b, false)
        };
        ($callee:expr, $b:expr, tail) => {
            call!($callee, $b, true)
        };
        ($callee:expr, $b:expr, $tail:expr) => {{
            let callee: u32 = match resolve(store.inner(), $callee) {
                Ok(c) => c,
                Err(e) => return Err(e),
            };
            let new_base = base + $b as usize;
            match store.inner().funcs[callee as usize].kind {
                FuncKind::Wasm { instance, def } => {
                    let cached = store.inner().funcs[callee as usize].code;
                    let cf: &CompiledFunc = if cached != 0 {
                        // SAFETY: the address of a `CompiledFunc` that
                        // `compiled` returned for this function; see there.
                        unsafe { &*(cached as *const CompiledFunc) }
                    } else {
                        match compiled(store.inner(), instance, def) {
                            Ok(c) => {
                                store.inner().funcs[callee as usize].code = c as usize;
                                // SAFETY: see `compiled`.
                                unsafe { &*c }
                            }
                            Err(e) => return Err(e),
                        }
                    };
                    if $tail {
                        if base + cf.frame_size as usize > slots_len {
                            trap!(TrapCode::StackOverflow);
                        }
                        // SAFETY: the arguments are in this frame (below
                        // frame_size) and slot 0.. fits (checked); `copy`
                        // handles the overlap.
                        unsafe { core::ptr::copy(sp.add($b as usize), sp, cf.params as usize) };
                        // SAFETY: base + frame_size <= slots_len (checked).
                        unsafe { enter_frame(sp, cf) };
                        ip = cf.code.as_ptr();
                        cur_func = callee;
                        if instance != inst {
                            inst = instance;
                            reload_memory!();
                        }
                        continue;
                    }
                    if new_base + cf.frame_size as usize > slots_len
                        || stack.frames.len() >= max_frames
                    {
                        trap!(TrapCode::StackOverflow);
                    }
                    stack.frames.push(Frame {
                        // SAFETY: a call is never the last instruction of a
                        // function (an `end` return follows).
                        ip: unsafe { ip.add(1) },
                        base,
                        instance: inst,
                        func: cur_func,
                    });
                    base = new_base;
                    // SAFETY: new_base + frame_size <= slots_len (checked).
                    sp = unsafe { slots.add(base) };
                    // SAFETY: new_base + frame_size <= slots_len (checked).
                    unsafe { enter_frame(sp, cf) };
                    ip = cf.code.as_ptr();
                    cur_func = callee;
                    if instance != inst {
                        inst = instance;
                        reload_memory!();
                    }
                    continue;
                }
                FuncKind::Host { index } => {
                    let ty = &store.inner().funcs[callee as usize].ty;
                    let n = slot_count(ty.params()).max(slot_count(ty.results()));
                    if new_base + n > slots_len {
                        trap!(TrapCode::StackOverflow);
                    }
                    // SAFETY: new_base + n <= slots_len; the stack is not
                    // part of the store, so the host cannot reach it.
                    let args = unsafe { core::slice::from_raw_parts_mut(slots.add(new_base), n) };
                    if let Err(e) = store.call_host(index, Some(inst), args) {
                        // A Wasm exception from the host (or from Wasm it
                        // called) can be caught here.
                        match e.kind() {
                            ErrorKind::Exception { exn, .. } if exn.store == store.inner().id => {
                                throw!(exn.index)
                            }
                            // A host function stopped by the epoch deadline
                            // (`EpochDeadline::interrupt`): the same trap as
                            // in Wasm, with the Wasm frames that called it.
                            ErrorKind::Trap(t)
                                if t.code() == TrapCode::Interrupt && t.backtrace().is_empty() =>
                            {
                                trap!(TrapCode::Interrupt)
                            }
                            _ => return Err(e),
                        }
                    }
                    reload_memory!();
                    if $tail {
                        let nr = slot_count(store.inner().funcs[callee as usize].ty.results());
                        // SAFETY: both ranges are inside the stack; `copy`
                        // handles the overlap.
                        unsafe { core::ptr::copy(slots.add(new_base), sp, nr) };
                        ret!();
                    }
                }
                // `resolve` never returns a late-bound function.
                FuncKind::LateBound { .. } => trap!(TrapCode::UnresolvedImport),
            }
        }};
    }

    // The store function reference bits `$fref` name, checked against
    // module type `$ty` (trap `$null` if null). `call_indirect` reads them
    // from a table; `call_ref` from a slot (validation types references
    // Wasm made, but the host can pass any `funcref`).
    macro_rules! checked_callee {
        ($fref:expr, $null:expr, $ty:expr) => {{
            let fref: u64 = $fref;
            if fref == 0 {
                trap!($null);
            }
            let callee = (fref - 1) as u32;
            let inner = store.inner();
            let expected = &inner.instances[inst as usize].module.inner.types[$ty as usize];
            // Only code from a crafted trusted artifact can forge a
            // reference to no function (tests/fuzzcases/002-*).
            let Some(entity) = inner.funcs.get(callee as usize) else {
                trap!(TrapCode::BadSignature)
            };
            if entity.ty != *expected {
                trap!(TrapCode::BadSignature);
            }
            callee
        }};
    }
    // The function `call_indirect`/`return_call_indirect` calls: element
    // `idx` of `table`, checked against module type `ty`.
    macro_rules! indirect_callee {
        ($table:expr, $ty:expr, $idx:expr) => {{
            let inner = store.inner();
            let instance = &inner.instances[inst as usize];
            let t = &inner.tables[instance.tables[$table as usize] as usize];
            let Some(&fref) = t.elems.get(r!($idx) as u32 as usize) else {
                trap!(TrapCode::TableOutOfBounds)
            };
            checked_callee!(fref, TrapCode::IndirectCallToNull, $ty)
        }};
    }
    // The function `call_ref`/`return_call_ref` calls: the reference in `$r`.
    macro_rules! ref_callee {
        ($ty:expr, $r:expr) => {
            checked_callee!(r!($r), TrapCode::NullFunctionReference, $ty)
        };
    }

    // Throws exception `$exn` (an index into the store's exceptions) from
    // the instruction at `ip`: finds the innermost handler that catches it
    // in this function or, frame by frame, in its callers; writes the
    // values (and `exnref`) where the handler says and continues at its
    // landing pad. With no handler left, the call fails with the exception.
    macro_rules! throw {
        ($exn:expr) => {{
            let exn: u32 = $exn;
            let exn_tag = store.inner().exceptions[exn as usize].tag;
            let mut at_ip = ip;
            let pad = loop {
                let inner = store.inner();
                let FuncKind::Wasm { def, .. } = inner.funcs[cur_func as usize].kind else {
                    return Err(Error::runtime("internal: a frame of a host function"));
                };
                // SAFETY: see `compiled`; the function is running, so its
                // code exists.
                let cf = unsafe { &*compiled(inner, inst, def)? };
                let pc = (at_ip as usize - cf.code.as_ptr() as usize) / core::mem::size_of::<Op>();
                let tags = &inner.instances[inst as usize].tags;
                let handler = cf.handlers.iter().copied().find(|h| {
                    (h.start as usize..h.end as usize).contains(&pc)
                        && (h.tag == Handler::ALL || tags[h.tag as usize] == exn_tag)
                });
                if let Some(h) = handler {
                    // A legacy `delegate`: throw again from the code index it
                    // names, or in the caller.
                    if h.delegate != Handler::NO_DELEGATE {
                        if h.delegate != Handler::TO_CALLER {
                            // SAFETY: a code index of the function.
                            at_ip = unsafe { cf.code.as_ptr().add(h.delegate as usize) };
                            continue;
                        }
                    } else {
                        let mut d = usize::from(h.dest);
                        if h.tag != Handler::ALL {
                            let exception = &inner.exceptions[exn as usize];
                            let mut at = 0;
                            for t in inner.tags[exn_tag as usize].ty.params() {
                                for k in 0..t.slots() {
                                    w!(d + k, exception.payload[at + k]);
                                }
                                at += t.slots();
                                d += if h.wide { 2 } else { 1 };
                            }
                        }
                        if let Some(s) = h.exn_at {
                            w!(s, u64::from(exn) + 1);
                        }
                        // SAFETY: landing pads are instructions of the function.
                        break unsafe { cf.code.as_ptr().add(h.pad as usize) };
                    }
                }
                match stack.frames.pop() {
                    None => return Err(crate::vm::exception_of(inner, exn)),
                    Some(f) => {
                        // The caller's call instruction is the one before
                        // its return address.
                        // SAFETY: a return address follows a call.
                        at_ip = unsafe { f.ip.sub(1) };
                        base = f.base;
                        // SAFETY: a caller's base was valid when it was pushed.
                        sp = unsafe { slots.add(base) };
                        cur_func = f.func;
                        inst = f.instance;
                        reload_memory!();
                    }
                }
            };
            ip = pad;
            continue;
        }};
    }

    let code: TrapCode = loop {
        // SAFETY: `ip` always points into the current function's code: it
        // starts at the first instruction, branches are resolved inside the
        // function, and every function ends with a return.
        let op: &Op = unsafe { &*ip };
        match *op {
            Op::Unreachable => trap!(TrapCode::UnreachableCodeReached),
            Op::Copy { d, s } => w!(d, r!(s)),
            Op::Const32 { d, v } => w!(d, u64::from(v)),
            Op::Const64 { d, v } => w!(d, v),
            Op::Select { d, c, a, b } => w!(d, if r!(c) as u32 != 0 { r!(a) } else { r!(b) }),
            Op::Br { off } => branch!(true, off),
            Op::BrIfNez { c, off } => branch!(r!(c) as u32 != 0, off),
            Op::BrIfEqz { c, off } => branch!(r!(c) as u32 == 0, off),
            Op::BrIfNez64 { c, off } => branch!(r!(c) != 0, off),
            Op::BrIfEqz64 { c, off } => branch!(r!(c) == 0, off),
            Op::BrTable { idx, len } => {
                let i = r!(idx) as u32;
                let k = if i < len { i } else { len };
                // SAFETY: `len + 1` entries follow the instruction.
                let entry = unsafe { ip.add(1 + k as usize) };
                // Take the entry's branch here rather than dispatching it.
                // SAFETY: `entry` is one of the entries that follow.
                ip = match unsafe { *entry } {
                    // SAFETY: entries branch inside the function.
                    Op::Br { off } => unsafe { entry.offset(off as isize) },
                    _ => entry,
                };
                continue;
            }
            Op::Return0 => ret!(),
            Op::Return1 { s } => {
                w!(0, r!(s));
                ret!()
            }
            Op::ReturnMany { start, n } => {
                // SAFETY: start + n <= frame_size (translator); `copy`
                // handles the overlap.
                unsafe { core::ptr::copy(sp.add(start as usize), sp, n as usize) };
                ret!()
            }
            Op::ConsumeFuel { amount } => {
                let fuel = &mut store.inner().fuel;
                match fuel.checked_sub(u64::from(amount)) {
                    Some(left) => *fuel = left,
                    None => trap!(TrapCode::OutOfFuel),
                }
            }
            Op::CheckEpoch => {
                let inner = store.inner();
                if inner.engine.current_epoch() >= inner.epoch_deadline {
                    if !inner.epoch_callback || !store.epoch_deadline_reached()? {
                        trap!(TrapCode::Interrupt);
                    }
                    // The callback had the store: it may have grown memory.
                    reload_memory!();
                }
            }
            Op::Call { func, base: b } => {
                let callee = store.inner().instances[inst as usize].funcs[func as usize];
                call!(callee, b)
            }
            Op::CallIndirect {
                table,
                ty,
                idx,
                base: b,
            } => {
                let callee = indirect_callee!(table, ty, idx);
                call!(callee, b)
            }
            Op::ReturnCall { func, base: b } => {
                let callee = store.inner().instances[inst as usize].funcs[func as usize];
                call!(callee, b, tail)
            }
            Op::CallRef { ty, r, base: b } => {
                let callee = ref_callee!(ty, r);
                call!(callee, b)
            }
            Op::ReturnCallRef { ty, r, base: b } => {
                let callee = ref_callee!(ty, r);
                call!(callee, b, tail)
            }
            Op::TrapIfNull { s } => {
                if r!(s) == 0 {
                    trap!(TrapCode::NullReference);
                }
            }
            Op::Throw { tag, base: b } => {
                let inner = store.inner();
                let tag = inner.instances[inst as usize].tags[tag as usize];
                let n = slot_count(inner.tags[tag as usize].ty.params());
                if base + usize::from(b) + n > slots_len {
                    trap!(TrapCode::StackOverflow);
                }
                // SAFETY: inside the stack (checked just above).
                let values = unsafe { core::slice::from_raw_parts(sp.add(usize::from(b)), n) };
                inner.exceptions.push(ExnEntity {
                    tag,
                    payload: values.into(),
                });
                throw!(inner.exceptions.len() as u32 - 1)
            }
            Op::ThrowRef { s } => {
                let Some(exn) = r!(s).checked_sub(1) else {
                    trap!(TrapCode::NullReference)
                };
                if exn as usize >= store.inner().exceptions.len() {
                    // Only a crafted artifact can forge an `exnref`.
                    trap!(TrapCode::NullReference);
                }
                throw!(exn as u32)
            }
            Op::ReturnCallIndirect {
                table,
                ty,
                idx,
                base: b,
            } => {
                let callee = indirect_callee!(table, ty, idx);
                call!(callee, b, tail)
            }

            Op::BrI32Eq { a, b, off } => branch!(r!(a) as u32 == r!(b) as u32, off),
            Op::BrI32Ne { a, b, off } => branch!(r!(a) as u32 != r!(b) as u32, off),
            Op::BrI32LtS { a, b, off } => branch!(i32v(r!(a)) < i32v(r!(b)), off),
            Op::BrI32LtU { a, b, off } => branch!((r!(a) as u32) < r!(b) as u32, off),
            Op::BrI32GtS { a, b, off } => branch!(i32v(r!(a)) > i32v(r!(b)), off),
            Op::BrI32GtU { a, b, off } => branch!(r!(a) as u32 > r!(b) as u32, off),
            Op::BrI32LeS { a, b, off } => branch!(i32v(r!(a)) <= i32v(r!(b)), off),
            Op::BrI32LeU { a, b, off } => branch!(r!(a) as u32 <= r!(b) as u32, off),
            Op::BrI32GeS { a, b, off } => branch!(i32v(r!(a)) >= i32v(r!(b)), off),
            Op::BrI32GeU { a, b, off } => branch!(r!(a) as u32 >= r!(b) as u32, off),
            Op::BrI32EqImm { a, imm, off } => branch!(i32v(r!(a)) == imm, off),
            Op::BrI32NeImm { a, imm, off } => branch!(i32v(r!(a)) != imm, off),
            Op::BrI32LtSImm { a, imm, off } => branch!(i32v(r!(a)) < imm, off),
            Op::BrI32LtUImm { a, imm, off } => branch!((r!(a) as u32) < imm as u32, off),
            Op::BrI32GtSImm { a, imm, off } => branch!(i32v(r!(a)) > imm, off),
            Op::BrI32GtUImm { a, imm, off } => branch!(r!(a) as u32 > imm as u32, off),
            Op::BrI32LeSImm { a, imm, off } => branch!(i32v(r!(a)) <= imm, off),
            Op::BrI32LeUImm { a, imm, off } => branch!(r!(a) as u32 <= imm as u32, off),
            Op::BrI32GeSImm { a, imm, off } => branch!(i32v(r!(a)) >= imm, off),
            Op::BrI32GeUImm { a, imm, off } => branch!(r!(a) as u32 >= imm as u32, off),
            Op::BrI64Eq { a, b, off } => branch!(r!(a) == r!(b), off),
            Op::BrI64Ne { a, b, off } => branch!(r!(a) != r!(b), off),
            Op::BrI64LtS { a, b, off } => branch!((r!(a) as i64) < r!(b) as i64, off),
            Op::BrI64LtU { a, b, off } => branch!(r!(a) < r!(b), off),
            Op::BrI64GtS { a, b, off } => branch!(r!(a) as i64 > r!(b) as i64, off),
            Op::BrI64GtU { a, b, off } => branch!(r!(a) > r!(b), off),
            Op::BrI64LeS { a, b, off } => branch!(r!(a) as i64 <= r!(b) as i64, off),
            Op::BrI64LeU { a, b, off } => branch!(r!(a) <= r!(b), off),
            Op::BrI64GeS { a, b, off } => branch!(r!(a) as i64 >= r!(b) as i64, off),
            Op::BrI64GeU { a, b, off } => branch!(r!(a) >= r!(b), off),

            Op::BrI64EqImm { a, imm, off } => branch!((r!(a) as i64) == i64::from(imm), off),
            Op::BrI64NeImm { a, imm, off } => branch!((r!(a) as i64) != i64::from(imm), off),
            Op::BrI64LtSImm { a, imm, off } => branch!((r!(a) as i64) < i64::from(imm), off),
            Op::BrI64LtUImm { a, imm, off } => branch!(r!(a) < i64::from(imm) as u64, off),
            Op::BrI64GtSImm { a, imm, off } => branch!((r!(a) as i64) > i64::from(imm), off),
            Op::BrI64GtUImm { a, imm, off } => branch!(r!(a) > i64::from(imm) as u64, off),
            Op::BrI64LeSImm { a, imm, off } => branch!((r!(a) as i64) <= i64::from(imm), off),
            Op::BrI64LeUImm { a, imm, off } => branch!(r!(a) <= i64::from(imm) as u64, off),
            Op::BrI64GeSImm { a, imm, off } => branch!((r!(a) as i64) >= i64::from(imm), off),
            Op::BrI64GeUImm { a, imm, off } => branch!(r!(a) >= i64::from(imm) as u64, off),
            Op::Select64 { d, c, a, b } => w!(d, if r!(c) != 0 { r!(a) } else { r!(b) }),
            Op::GlobalGet { d, g } => {
                let inner = store.inner();
                let gi = inner.instances[inst as usize].globals[g as usize];
                w!(d, inner.globals[gi as usize].value)
            }
            Op::GlobalSet { s, g } => {
                let v = r!(s);
                let inner = store.inner();
                let gi = inner.instances[inst as usize].globals[g as usize];
                inner.globals[gi as usize].value = v;
            }

            Op::Load8S32 { d, a, offset } => load!(d, a, offset, i8, |v| from_i32(i32::from(v))),
            Op::Load8S64 { d, a, offset } => load!(d, a, offset, i8, |v| i64::from(v) as u64),
            Op::Load8U { d, a, offset } => load!(d, a, offset, u8, u64::from),
            Op::Load16S32 { d, a, offset } => load!(d, a, offset, i16, |v| from_i32(i32::from(v))),
            Op::Load16S64 { d, a, offset } => load!(d, a, offset, i16, |v| i64::from(v) as u64),
            Op::Load16U { d, a, offset } => load!(d, a, offset, u16, u64::from),
            Op::Load32S64 { d, a, offset } => load!(d, a, offset, i32, |v| i64::from(v) as u64),
            Op::Load32 { d, a, offset } => load!(d, a, offset, u32, u64::from),
            Op::Load64 { d, a, offset } => load!(d, a, offset, u64, |v| v),
            Op::Store8 { a, v, offset } => store!(a, v, offset, u8),
            Op::Store16 { a, v, offset } => store!(a, v, offset, u16),
            Op::Store32 { a, v, offset } => store!(a, v, offset, u32),
            Op::Store64 { a, v, offset } => store!(a, v, offset, u64),
            Op::MemorySize { d } => w!(d, mem_len as u64 / crate::vm::PAGE_SIZE),
            Op::MemoryGrow { d, delta } => {
                let delta = u64::from(r!(delta) as u32);
                w!(d, memory_grow(store, inst, 0, delta)?);
                reload_memory!();
            }
            Op::MemoryFill { dst, val, len } => {
                let (dst, val, len) = (
                    u64::from(r!(dst) as u32),
                    r!(val) as u8,
                    u64::from(r!(len) as u32),
                );
                tryt!(bulk::memory_fill(store.inner(), inst, 0, dst, val, len));
            }
            Op::MemoryCopy { dst, src, len } => {
                let (dst, src, len) = (
                    u64::from(r!(dst) as u32),
                    u64::from(r!(src) as u32),
                    u64::from(r!(len) as u32),
                );
                tryt!(bulk::memory_copy(
                    store.inner(),
                    inst,
                    (0, 0),
                    dst,
                    src,
                    len
                ));
            }
            Op::MemoryInit { seg, dst, src, len } => {
                let (dst, src, len) = (
                    u64::from(r!(dst) as u32),
                    u64::from(r!(src) as u32),
                    u64::from(r!(len) as u32),
                );
                tryt!(bulk::memory_init(
                    store.inner(),
                    inst,
                    (0, seg),
                    dst,
                    src,
                    len
                ));
            }
            Op::MemLoad {
                d,
                a,
                offset,
                mem,
                k,
            } => {
                let addr = u64::from(r!(a) as u32) + u64::from(offset);
                let raw = tryt!(bulk::load(
                    store.inner(),
                    inst,
                    u32::from(mem),
                    addr,
                    k.bytes()
                ));
                w!(d, k.extend(raw));
            }
            Op::MemStore {
                a,
                v,
                offset,
                mem,
                w,
            } => {
                let addr = u64::from(r!(a) as u32) + u64::from(offset);
                let v = r!(v);
                tryt!(bulk::store(
                    store.inner(),
                    inst,
                    u32::from(mem),
                    addr,
                    w.bytes() as usize,
                    v
                ));
            }
            Op::MemSizeN { d, mem } => {
                w!(d, bulk::memory_size(store.inner(), inst, u32::from(mem)))
            }
            Op::MemGrowN { d, delta, mem } => {
                let delta = bulk::address(store.inner(), inst, u32::from(mem), r!(delta));
                w!(d, memory_grow(store, inst, u32::from(mem), delta)?);
                reload_memory!();
            }
            Op::MemFillN { dst, val, len, mem } => {
                let mem = u32::from(mem);
                let dst = bulk::address(store.inner(), inst, mem, r!(dst));
                let len = bulk::address(store.inner(), inst, mem, r!(len));
                let val = r!(val) as u8;
                tryt!(bulk::memory_fill(store.inner(), inst, mem, dst, val, len));
            }
            Op::MemCopyN {
                dst,
                src,
                len,
                dst_mem,
                src_mem,
            } => {
                let (dst_mem, src_mem) = (u32::from(dst_mem), u32::from(src_mem));
                let dst = bulk::address(store.inner(), inst, dst_mem, r!(dst));
                let src = bulk::address(store.inner(), inst, src_mem, r!(src));
                // The length is an i64 only if both memories are 64-bit.
                let len = r!(len);
                let len = bulk::address(store.inner(), inst, dst_mem, len).min(bulk::address(
                    store.inner(),
                    inst,
                    src_mem,
                    len,
                ));
                tryt!(bulk::memory_copy(
                    store.inner(),
                    inst,
                    (dst_mem, src_mem),
                    dst,
                    src,
                    len
                ));
            }
            Op::MemInitN {
                seg,
                dst,
                src,
                len,
                mem,
            } => {
                let mem = u32::from(mem);
                let dst = bulk::address(store.inner(), inst, mem, r!(dst));
                let (src, len) = (u64::from(r!(src) as u32), u64::from(r!(len) as u32));
                tryt!(bulk::memory_init(
                    store.inner(),
                    inst,
                    (mem, seg),
                    dst,
                    src,
                    len
                ));
            }
            Op::MemLoad64 { d, a, o, mem, k } => {
                let Some(addr) = r!(a).checked_add(r!(o)) else {
                    trap!(TrapCode::MemoryOutOfBounds);
                };
                let raw = tryt!(bulk::load(
                    store.inner(),
                    inst,
                    u32::from(mem),
                    addr,
                    k.bytes()
                ));
                w!(d, k.extend(raw));
            }
            Op::MemStore64 { a, v, o, mem, w } => {
                let Some(addr) = r!(a).checked_add(r!(o)) else {
                    trap!(TrapCode::MemoryOutOfBounds);
                };
                let v = r!(v);
                tryt!(bulk::store(
                    store.inner(),
                    inst,
                    u32::from(mem),
                    addr,
                    w.bytes() as usize,
                    v
                ));
            }
            Op::AtomicLoad { d, a, offset, w } => {
                let (_, p) = atomic_addr!(a, offset, w.bytes());
                // SAFETY: `p` has `w.bytes()` bytes in memory 0.
                w!(d, unsafe { atomic::load(p, w) });
            }
            Op::AtomicStore { a, v, offset, w } => {
                let v = r!(v);
                let (_, p) = atomic_addr!(a, offset, w.bytes());
                // SAFETY: as for `AtomicLoad`.
                unsafe { atomic::store(p, w, v) };
            }
            Op::AtomicRmw {
                d,
                a,
                v,
                offset,
                w,
                op,
            } => {
                let v = r!(v);
                let (_, p) = atomic_addr!(a, offset, w.bytes());
                // SAFETY: as for `AtomicLoad`.
                w!(d, unsafe { atomic::rmw(p, w, op, v) });
            }
            Op::AtomicCmpxchg {
                d,
                a,
                e,
                r,
                offset,
                w,
            } => {
                let (e, r) = (r!(e), r!(r));
                let (_, p) = atomic_addr!(a, offset, w.bytes());
                // SAFETY: as for `AtomicLoad`.
                w!(d, unsafe { atomic::cmpxchg(p, w, e, r) });
            }
            Op::AtomicWait {
                d,
                a,
                e,
                t,
                offset,
                wide,
            } => {
                let (e, t) = (r!(e), r!(t) as i64);
                let (addr, _) = atomic_addr!(a, offset, if wide { 8 } else { 4 });
                let Some(shared) = shared_memory0(store.inner(), inst) else {
                    trap!(TrapCode::AtomicWaitNonSharedMemory);
                };
                let timeout = u64::try_from(t).ok().map(core::time::Duration::from_nanos);
                let e = if wide { e } else { u64::from(e as u32) };
                let deadline = store.inner().blocking_deadline();
                let Some(outcome) = shared.wait(addr, e, wide, timeout, deadline.as_ref()) else {
                    return Err(Error::msg(
                        "memory.atomic.wait would block, which needs Weft's `std` feature",
                    ));
                };
                if outcome == WaitOutcome::Interrupted {
                    trap!(TrapCode::Interrupt);
                }
                w!(d, outcome as u64);
            }
            Op::AtomicNotify { d, a, n, offset } => {
                let n = r!(n) as u32;
                let (addr, _) = atomic_addr!(a, offset, 4);
                let woken = match shared_memory0(store.inner(), inst) {
                    Some(shared) => shared.notify(addr, n),
                    // No other thread can wait on an unshared memory.
                    None => 0,
                };
                w!(d, u64::from(woken));
            }
            Op::AtomicFence => core::sync::atomic::fence(core::sync::atomic::Ordering::SeqCst),
            Op::DataDrop { seg } => bulk::data_drop(store.inner(), inst, seg),

            Op::TableGet { d, table, i } => {
                let v = tryt!(bulk::table_get(
                    store.inner(),
                    inst,
                    table,
                    u64::from(r!(i) as u32)
                ));
                w!(d, v)
            }
            Op::TableSet { table, i, v } => {
                let (i, v) = (u64::from(r!(i) as u32), r!(v));
                tryt!(bulk::table_set(store.inner(), inst, table, i, v));
            }
            Op::TableSize { d, table } => w!(d, bulk::table_size(store.inner(), inst, table)),
            Op::TableGrow {
                d,
                table,
                init,
                delta,
            } => {
                let (init, delta) = (r!(init), u64::from(r!(delta) as u32));
                w!(d, table_grow(store, inst, table, init, delta)?)
            }
            Op::TableFill { table, i, v, len } => {
                let (i, v, len) = (u64::from(r!(i) as u32), r!(v), u64::from(r!(len) as u32));
                tryt!(bulk::table_fill(store.inner(), inst, table, i, v, len));
            }
            Op::TableCopy {
                dst_table,
                src_table,
                dst,
                src,
                len,
            } => {
                let (dst, src, len) = (
                    u64::from(r!(dst) as u32),
                    u64::from(r!(src) as u32),
                    u64::from(r!(len) as u32),
                );
                tryt!(bulk::table_copy(
                    store.inner(),
                    inst,
                    dst_table,
                    src_table,
                    dst,
                    src,
                    len
                ));
            }
            Op::TableInit {
                table,
                seg,
                dst,
                src,
                len,
            } => {
                let (dst, src, len) = (
                    u64::from(r!(dst) as u32),
                    u64::from(r!(src) as u32),
                    u64::from(r!(len) as u32),
                );
                tryt!(bulk::table_init(
                    store.inner(),
                    inst,
                    table,
                    seg,
                    dst,
                    src,
                    len
                ));
            }
            Op::ElemDrop { seg } => bulk::elem_drop(store.inner(), inst, seg),
            Op::RefFunc { d, func } => {
                let f = store.inner().instances[inst as usize].funcs[func as usize];
                w!(d, u64::from(f) + 1)
            }

            // ---- i32 ----
            Op::I32Add { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_add(y as u32)))
            }
            Op::I32Sub { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_sub(y as u32)))
            }
            Op::I32Mul { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_mul(y as u32)))
            }
            Op::I32DivS { d, a, b } => w!(d, tryt!(i32_div_s(r!(a), r!(b)))),
            Op::I32DivU { d, a, b } => w!(d, tryt!(i32_div_u(r!(a), r!(b)))),
            Op::I32RemS { d, a, b } => w!(d, tryt!(i32_rem_s(r!(a), r!(b)))),
            Op::I32RemU { d, a, b } => w!(d, tryt!(i32_rem_u(r!(a), r!(b)))),
            Op::I32And { d, a, b } => bin!(d, a, b, |x, y| x & y),
            Op::I32Or { d, a, b } => bin!(d, a, b, |x, y| x | y),
            Op::I32Xor { d, a, b } => bin!(d, a, b, |x, y| x ^ y),
            Op::I32Shl { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_shl(y as u32)))
            }
            Op::I32ShrS { d, a, b } => {
                bin!(d, a, b, |x, y| from_i32(i32v(x).wrapping_shr(y as u32)))
            }
            Op::I32ShrU { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).wrapping_shr(y as u32)))
            }
            Op::I32Rotl { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).rotate_left(y as u32)))
            }
            Op::I32Rotr { d, a, b } => {
                bin!(d, a, b, |x, y| u64::from((x as u32).rotate_right(y as u32)))
            }
            Op::I32Eq { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 == y as u32)),
            Op::I32Ne { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 != y as u32)),
            Op::I32LtS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) < i32v(y))),
            Op::I32LtU { d, a, b } => bin!(d, a, b, |x, y| b32((x as u32) < y as u32)),
            Op::I32GtS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) > i32v(y))),
            Op::I32GtU { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 > y as u32)),
            Op::I32LeS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) <= i32v(y))),
            Op::I32LeU { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 <= y as u32)),
            Op::I32GeS { d, a, b } => bin!(d, a, b, |x, y| b32(i32v(x) >= i32v(y))),
            Op::I32GeU { d, a, b } => bin!(d, a, b, |x, y| b32(x as u32 >= y as u32)),
            Op::I32AddImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
                (x as u32).wrapping_add(y as u32)
            )),
            Op::I32MulImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
                (x as u32).wrapping_mul(y as u32)
            )),
            Op::I32AndImm { d, a, imm } => binimm!(d, a, imm, |x, y| x & u64::from(y as u32)),
            Op::I32OrImm { d, a, imm } => binimm!(d, a, imm, |x, y| x | u64::from(y as u32)),
            Op::I32XorImm { d, a, imm } => binimm!(d, a, imm, |x, y| x ^ u64::from(y as u32)),
            Op::I32ShlImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
                (x as u32).wrapping_shl(y as u32)
            )),
            Op::I32ShrSImm { d, a, imm } => {
                binimm!(d, a, imm, |x, y| from_i32(i32v(x).wrapping_shr(y as u32)))
            }
            Op::I32ShrUImm { d, a, imm } => binimm!(d, a, imm, |x, y| u64::from(
                (x as u32).wrapping_shr(y as u32)
            )),
            Op::I32EqImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) == y)),
            Op::I32NeImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) != y)),
            Op::I32LtSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) < y)),
            Op::I32LtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32((x as u32) < y as u32)),
            Op::I32GtSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) > y)),
            Op::I32GtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as u32 > y as u32)),
            Op::I32LeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) <= y)),
            Op::I32LeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as u32 <= y as u32)),
            Op::I32GeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(i32v(x) >= y)),
            Op::I32GeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as u32 >= y as u32)),
            Op::I32Clz { d, a } => un!(d, a, |x| u64::from((x as u32).leading_zeros())),
            Op::I32Ctz { d, a } => un!(d, a, |x| u64::from((x as u32).trailing_zeros())),
            Op::I32Popcnt { d, a } => un!(d, a, |x| u64::from((x as u32).count_ones())),
            Op::I32Eqz { d, a } => un!(d, a, |x| b32(x as u32 == 0)),
            Op::I32Extend8S { d, a } => un!(d, a, |x| from_i32(i32::from(x as i8))),
            Op::I32Extend16S { d, a } => un!(d, a, |x| from_i32(i32::from(x as i16))),

            // ---- i64 ----
            Op::I64Add { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_add(y)),
            Op::I64Sub { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_sub(y)),
            Op::I64Mul { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_mul(y)),
            Op::I64DivS { d, a, b } => w!(d, tryt!(i64_div_s(r!(a), r!(b)))),
            Op::I64DivU { d, a, b } => w!(d, tryt!(i64_div_u(r!(a), r!(b)))),
            Op::I64RemS { d, a, b } => w!(d, tryt!(i64_rem_s(r!(a), r!(b)))),
            Op::I64RemU { d, a, b } => w!(d, tryt!(i64_rem_u(r!(a), r!(b)))),
            Op::I64And { d, a, b } => bin!(d, a, b, |x, y| x & y),
            Op::I64Or { d, a, b } => bin!(d, a, b, |x, y| x | y),
            Op::I64Xor { d, a, b } => bin!(d, a, b, |x, y| x ^ y),
            Op::I64Shl { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_shl(y as u32)),
            Op::I64ShrS { d, a, b } => {
                bin!(d, a, b, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
            }
            Op::I64ShrU { d, a, b } => bin!(d, a, b, |x, y| x.wrapping_shr(y as u32)),
            Op::I64Rotl { d, a, b } => bin!(d, a, b, |x, y| x.rotate_left((y & 63) as u32)),
            Op::I64Rotr { d, a, b } => bin!(d, a, b, |x, y| x.rotate_right((y & 63) as u32)),
            Op::I64Eq { d, a, b } => bin!(d, a, b, |x, y| b32(x == y)),
            Op::I64Ne { d, a, b } => bin!(d, a, b, |x, y| b32(x != y)),
            Op::I64LtS { d, a, b } => bin!(d, a, b, |x, y| b32((x as i64) < y as i64)),
            Op::I64LtU { d, a, b } => bin!(d, a, b, |x, y| b32(x < y)),
            Op::I64GtS { d, a, b } => bin!(d, a, b, |x, y| b32(x as i64 > y as i64)),
            Op::I64GtU { d, a, b } => bin!(d, a, b, |x, y| b32(x > y)),
            Op::I64LeS { d, a, b } => bin!(d, a, b, |x, y| b32(x as i64 <= y as i64)),
            Op::I64LeU { d, a, b } => bin!(d, a, b, |x, y| b32(x <= y)),
            Op::I64GeS { d, a, b } => bin!(d, a, b, |x, y| b32(x as i64 >= y as i64)),
            Op::I64GeU { d, a, b } => bin!(d, a, b, |x, y| b32(x >= y)),
            Op::I64AddImm { d, a, imm } => {
                binimm!(d, a, imm, |x, y| x.wrapping_add(i64::from(y) as u64))
            }
            Op::I64MulImm { d, a, imm } => {
                binimm!(d, a, imm, |x, y| x.wrapping_mul(i64::from(y) as u64))
            }
            Op::I64AndImm { d, a, imm } => binimm!(d, a, imm, |x, y| x & i64::from(y) as u64),
            Op::I64OrImm { d, a, imm } => binimm!(d, a, imm, |x, y| x | i64::from(y) as u64),
            Op::I64XorImm { d, a, imm } => binimm!(d, a, imm, |x, y| x ^ i64::from(y) as u64),
            Op::I64ShlImm { d, a, imm } => binimm!(d, a, imm, |x, y| x.wrapping_shl(y as u32)),
            Op::I64ShrSImm { d, a, imm } => {
                binimm!(d, a, imm, |x, y| (x as i64).wrapping_shr(y as u32) as u64)
            }
            Op::I64ShrUImm { d, a, imm } => binimm!(d, a, imm, |x, y| x.wrapping_shr(y as u32)),
            Op::I64EqImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 == i64::from(y))),
            Op::I64NeImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 != i64::from(y))),
            Op::I64LtSImm { d, a, imm } => {
                binimm!(d, a, imm, |x, y| b32((x as i64) < i64::from(y)))
            }
            Op::I64LtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x < i64::from(y) as u64)),
            Op::I64GtSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 > i64::from(y))),
            Op::I64GtUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x > i64::from(y) as u64)),
            Op::I64LeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 <= i64::from(y))),
            Op::I64LeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x <= i64::from(y) as u64)),
            Op::I64GeSImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x as i64 >= i64::from(y))),
            Op::I64GeUImm { d, a, imm } => binimm!(d, a, imm, |x, y| b32(x >= i64::from(y) as u64)),
            Op::I64Clz { d, a } => un!(d, a, |x| u64::from(x.leading_zeros())),
            Op::I64Ctz { d, a } => un!(d, a, |x| u64::from(x.trailing_zeros())),
            Op::I64Popcnt { d, a } => un!(d, a, |x| u64::from(x.count_ones())),
            Op::I64Eqz { d, a } => un!(d, a, |x| b32(x == 0)),
            Op::I64Extend8S { d, a } => un!(d, a, |x| i64::from(x as i8) as u64),
            Op::I64Extend16S { d, a } => un!(d, a, |x| i64::from(x as i16) as u64),
            Op::I64Extend32S { d, a } => un!(d, a, |x| i64::from(x as i32) as u64),

            // ---- f32 ----
            Op::F32Add { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) + f32v(y))),
            Op::F32Sub { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) - f32v(y))),
            Op::F32Mul { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) * f32v(y))),
            Op::F32Div { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32v(x) / f32v(y))),
            Op::F32Min { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32_min(f32v(x), f32v(y)))),
            Op::F32Max { d, a, b } => bin!(d, a, b, |x, y| from_f32(f32_max(f32v(x), f32v(y)))),
            Op::F32Copysign { d, a, b } => {
                bin!(d, a, b, |x, y| (x & 0x7fff_ffff) | (y & 0x8000_0000))
            }
            Op::F32Eq { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) == f32v(y))),
            Op::F32Ne { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) != f32v(y))),
            Op::F32Lt { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) < f32v(y))),
            Op::F32Gt { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) > f32v(y))),
            Op::F32Le { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) <= f32v(y))),
            Op::F32Ge { d, a, b } => bin!(d, a, b, |x, y| b32(f32v(x) >= f32v(y))),
            Op::F32Abs { d, a } => un!(d, a, |x| x & 0x7fff_ffff),
            Op::F32Neg { d, a } => un!(d, a, |x| x ^ 0x8000_0000),
            Op::F32Ceil { d, a } => un!(d, a, |x| from_f32(f32_ceil(f32v(x)))),
            Op::F32Floor { d, a } => un!(d, a, |x| from_f32(f32_floor(f32v(x)))),
            Op::F32Trunc { d, a } => un!(d, a, |x| from_f32(f32_trunc(f32v(x)))),
            Op::F32Nearest { d, a } => un!(d, a, |x| from_f32(f32_nearest(f32v(x)))),
            Op::F32Sqrt { d, a } => un!(d, a, |x| from_f32(f32_sqrt(f32v(x)))),

            // ---- f64 ----
            Op::F64Add { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64v(x) + f64v(y))),
            Op::F64Sub { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64v(x) - f64v(y))),
            Op::F64Mul { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64v(x) * f64v(y))),
            Op::F64Div { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64v(x) / f64v(y))),
            Op::F64Min { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64_min(f64v(x), f64v(y)))),
            Op::F64Max { d, a, b } => bin!(d, a, b, |x, y| from_f64(f64_max(f64v(x), f64v(y)))),
            Op::F64Copysign { d, a, b } => {
                bin!(d, a, b, |x, y| (x & 0x7fff_ffff_ffff_ffff)
                    | (y & 0x8000_0000_0000_0000))
            }
            Op::F64Eq { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) == f64v(y))),
            Op::F64Ne { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) != f64v(y))),
            Op::F64Lt { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) < f64v(y))),
            Op::F64Gt { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) > f64v(y))),
            Op::F64Le { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) <= f64v(y))),
            Op::F64Ge { d, a, b } => bin!(d, a, b, |x, y| b32(f64v(x) >= f64v(y))),
            Op::F64Abs { d, a } => un!(d, a, |x| x & 0x7fff_ffff_ffff_ffff),
            Op::F64Neg { d, a } => un!(d, a, |x| x ^ 0x8000_0000_0000_0000),
            Op::F64Ceil { d, a } => un!(d, a, |x| from_f64(f64_ceil(f64v(x)))),
            Op::F64Floor { d, a } => un!(d, a, |x| from_f64(f64_floor(f64v(x)))),
            Op::F64Trunc { d, a } => un!(d, a, |x| from_f64(f64_trunc(f64v(x)))),
            Op::F64Nearest { d, a } => un!(d, a, |x| from_f64(f64_nearest(f64v(x)))),
            Op::F64Sqrt { d, a } => un!(d, a, |x| from_f64(f64_sqrt(f64v(x)))),

            // ---- conversions ----
            Op::I32WrapI64 { d, a } => un!(d, a, |x| x & 0xffff_ffff),
            Op::I32TruncF32S { d, a } => w!(d, tryt!(i32_trunc_f32_s(f32v(r!(a))))),
            Op::I32TruncF32U { d, a } => w!(d, tryt!(i32_trunc_f32_u(f32v(r!(a))))),
            Op::I32TruncF64S { d, a } => w!(d, tryt!(i32_trunc_f64_s(f64v(r!(a))))),
            Op::I32TruncF64U { d, a } => w!(d, tryt!(i32_trunc_f64_u(f64v(r!(a))))),
            Op::I64ExtendI32S { d, a } => un!(d, a, |x| i64::from(x as i32) as u64),
            Op::I64TruncF32S { d, a } => w!(d, tryt!(i64_trunc_f32_s(f32v(r!(a))))),
            Op::I64TruncF32U { d, a } => w!(d, tryt!(i64_trunc_f32_u(f32v(r!(a))))),
            Op::I64TruncF64S { d, a } => w!(d, tryt!(i64_trunc_f64_s(f64v(r!(a))))),
            Op::I64TruncF64U { d, a } => w!(d, tryt!(i64_trunc_f64_u(f64v(r!(a))))),
            Op::F32ConvertI32S { d, a } => un!(d, a, |x| from_f32(i32v(x) as f32)),
            Op::F32ConvertI32U { d, a } => un!(d, a, |x| from_f32(x as u32 as f32)),
            Op::F32ConvertI64S { d, a } => un!(d, a, |x| from_f32(x as i64 as f32)),
            Op::F32ConvertI64U { d, a } => un!(d, a, |x| from_f32(x as f32)),
            Op::F32DemoteF64 { d, a } => un!(d, a, |x| from_f32(f32_demote(f64v(x)))),
            Op::F64ConvertI32S { d, a } => un!(d, a, |x| from_f64(f64::from(i32v(x)))),
            Op::F64ConvertI32U { d, a } => un!(d, a, |x| from_f64(f64::from(x as u32))),
            Op::F64ConvertI64S { d, a } => un!(d, a, |x| from_f64(x as i64 as f64)),
            Op::F64ConvertI64U { d, a } => un!(d, a, |x| from_f64(x as f64)),
            Op::F64PromoteF32 { d, a } => un!(d, a, |x| from_f64(f64_promote(f32v(x)))),
            Op::I32TruncSatF32S { d, a } => un!(d, a, |x| from_i32(f32v(x) as i32)),
            Op::I32TruncSatF32U { d, a } => un!(d, a, |x| u64::from(f32v(x) as u32)),
            Op::I32TruncSatF64S { d, a } => un!(d, a, |x| from_i32(f64v(x) as i32)),
            Op::I32TruncSatF64U { d, a } => un!(d, a, |x| u64::from(f64v(x) as u32)),
            Op::I64TruncSatF32S { d, a } => un!(d, a, |x| f32v(x) as i64 as u64),
            Op::I64TruncSatF32U { d, a } => un!(d, a, |x| f32v(x) as u64),
            Op::I64TruncSatF64S { d, a } => un!(d, a, |x| f64v(x) as i64 as u64),
            Op::I64TruncSatF64U { d, a } => un!(d, a, |x| f64v(x) as u64),

            // ---- SIMD ----
            Op::Copy2 { d, s } => w128!(d, r128!(s)),
            Op::Select2 { d, c, a, b } => {
                w128!(
                    d,
                    if r!(c) as u32 != 0 {
                        r128!(a)
                    } else {
                        r128!(b)
                    }
                )
            }
            Op::GlobalGet128 { d, g } => {
                let inner = store.inner();
                let gi = inner.instances[inst as usize].globals[g as usize];
                w128!(d, inner.globals[gi as usize].wide())
            }
            Op::GlobalSet128 { s, g } => {
                let v = r128!(s);
                let inner = store.inner();
                let gi = inner.instances[inst as usize].globals[g as usize];
                let global = &mut inner.globals[gi as usize];
                (global.value, global.hi) = (v as u64, (v >> 64) as u64);
            }
            Op::V128Unary { d, a, op } => w128!(d, simd::unary(op, r128!(a))),
            Op::V128Binary { d, a, b, op } => w128!(d, simd::binary(op, r128!(a), r128!(b))),
            Op::V128Ternary { d, a, b, c, op } => {
                w128!(d, simd::ternary(op, r128!(a), r128!(b), r128!(c)))
            }
            Op::V128Shift { d, a, s, op } => w128!(d, simd::shift(op, r128!(a), r!(s) as u32)),
            Op::V128Test { d, a, op } => w!(d, u64::from(simd::test(op, r128!(a)))),
            Op::V128Splat { d, a, shape } => w128!(d, simd::splat(shape, r!(a))),
            Op::V128Extract { d, a, lane, kind } => w!(d, simd::extract(kind, r128!(a), lane)),
            Op::V128Replace {
                d,
                a,
                x,
                lane,
                shape,
            } => w128!(d, simd::replace(shape, r128!(a), r!(x), lane)),
            Op::V128Shuffle { d, a, b, m } => w128!(d, simd::shuffle(r128!(a), r128!(b), r128!(m))),
            Op::V128Load { d, a, offset, kind } => {
                let raw = simd_read!(a, offset, usize::from(kind.bytes()));
                w128!(d, simd::load(kind, raw))
            }
            Op::V128Store { a, v, offset } => {
                let v = r128!(v);
                simd_write!(a, offset, 16, v);
            }
            Op::V128LoadLane {
                d,
                a,
                v,
                offset,
                lane,
                bytes,
            } => {
                let x = simd_read!(a, offset, usize::from(bytes)) as u64;
                w128!(d, simd::load_lane(bytes, r128!(v), x, lane))
            }
            Op::V128StoreLane {
                a,
                v,
                offset,
                lane,
                bytes,
            } => {
                let x = simd::store_lane(bytes, r128!(v), lane);
                simd_write!(a, offset, usize::from(bytes), u128::from(x));
            }
            Op::V128MemLoad { d, a, o, mem, kind } => {
                let addr = simd_slow_addr!(a, o, mem);
                let n = usize::from(kind.bytes());
                let raw = tryt!(bulk::load128(store.inner(), inst, u32::from(mem), addr, n));
                w128!(d, simd::load(kind, raw))
            }
            Op::V128MemStore { a, v, o, mem } => {
                let addr = simd_slow_addr!(a, o, mem);
                let v = r128!(v);
                tryt!(bulk::store128(
                    store.inner(),
                    inst,
                    u32::from(mem),
                    addr,
                    16,
                    v
                ));
            }
            Op::V128MemLoadLane {
                d,
                a,
                v,
                o,
                mem,
                lane,
                bytes,
            } => {
                let addr = simd_slow_addr!(a, o, mem);
                let n = usize::from(bytes);
                let x = tryt!(bulk::load128(store.inner(), inst, u32::from(mem), addr, n)) as u64;
                w128!(d, simd::load_lane(bytes, r128!(v), x, lane))
            }
            Op::V128MemStoreLane {
                a,
                v,
                o,
                mem,
                lane,
                bytes,
            } => {
                let addr = simd_slow_addr!(a, o, mem);
                let x = u128::from(simd::store_lane(bytes, r128!(v), lane));
                tryt!(bulk::store128(
                    store.inner(),
                    inst,
                    u32::from(mem),
                    addr,
                    usize::from(bytes),
                    x
                ));
            }
        }
        // SAFETY: every function ends with a return, so the next
        // instruction exists.
        ip = unsafe { ip.add(1) };
    };
    let inner = store.inner();
    Err(backtrace(inner, code, cur_func, Some(ip), &stack.frames).into())
}
