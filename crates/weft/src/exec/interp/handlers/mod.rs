//! One handler function per instruction (named after it, so profilers and
//! debuggers show `I32Add`, `Call`, ...), grouped by family. Each is made by
//! [`handler!`] from the instruction's fields and a body written with the
//! small language of local macros below (`r!`/`w!` read and write slots,
//! `branch!`, `trap!`, `call!`, `ret!`, `throw!`, memory accesses, ...);
//! the body falls through to the next instruction.
//!
//! Calls, returns and throws leave through the functions at the end of
//! this file, which change the frame and dispatch to the next handler
//! themselves.

mod array;
mod control;
mod gc;
mod memory;
mod numeric;
mod simd;
mod variables;

pub(crate) use array::*;
pub(crate) use control::*;
pub(crate) use gc::*;
pub(crate) use memory::*;
pub(crate) use numeric::*;
pub(crate) use simd::*;
pub(crate) use variables::*;

use super::dispatch::{dispatch, Done};
use super::state::{Exec, Ip, Sp, Stop};
use crate::error::{Error, ErrorKind};
use crate::exec::enter_frame;
use crate::exec::outside::{compiled, memory0, resolve};
use crate::ir::{CompiledFunc, FrameInit, Handler, Op};
use crate::trap::TrapCode;
use crate::types::slot_count;
use crate::vm::stack_roots::Suspended;
use crate::vm::{Frame, FuncKind};

/// Fields of the instruction at `ip` (of kind `$op`) read again inside its
/// handler: a pair's second half, read after its first half's store so
/// that fewer values are live at once and the handler saves no registers.
macro_rules! second_half {
    ($ip:expr, $op:ident { $($f:ident),* }) => {{
        // SAFETY: the dispatch table calls a handler only for its own
        // instruction, and `ip` points to an instruction.
        let $crate::ir::Op::$op { $($f,)* .. } = (unsafe { *$ip }) else {
            // SAFETY: as above.
            unsafe { core::hint::unreachable_unchecked() }
        };
        ($($f),*)
    }};
}
pub(crate) use second_half;

/// Defines the handler of instruction `$name`: binds its fields, defines
/// the body's macros over this handler's registers (`x`, `ip`, `sp`,
/// `mem`, the accumulators) and `mem_len` (memory 0's length, read from
/// `Exec::mem0_len` where a bounds check needs it), runs the body, and
/// goes on to the next instruction.
macro_rules! handler {
    ($x:ident, $ip:ident, $sp:ident, $mem:ident, $mem_len:ident; $name:ident $({ $($field:tt)* })? => $body:expr) => {
        #[allow(
            non_snake_case,
            unused_mut,
            unused_variables,
            unused_macros,
            unreachable_code,
            unused_assignments,
            clippy::needless_return,
            clippy::unit_arg
        )]
        #[inline(never)]
        pub(crate) fn $name(
            $x: &mut $crate::exec::interp::state::Exec<'_>,
            mut $ip: $crate::exec::interp::state::Ip,
            mut $sp: $crate::exec::interp::state::Sp,
            mut $mem: *mut u8,
            mut iacc: u64,
            mut acc: f64,
        ) -> $crate::exec::interp::dispatch::Done {
            let mut $mem_len: usize = $x.mem0_len;
            // SAFETY: the dispatch table calls a handler only for its own
            // instruction, and `ip` points to an instruction.
            let $crate::ir::Op::$name $({ $($field)* })? = (unsafe { *$ip }) else {
                // SAFETY: as above.
                unsafe { core::hint::unreachable_unchecked() }
            };
            macro_rules! r {
                ($s:expr) => {{
                    debug_assert!($x.base + ($s as usize) < $x.slots_len);
                    // SAFETY: the translator (or the artifact verifier)
                    // keeps slot operands below the frame size, and
                    // entering the frame checked that it fits the stack.
                    unsafe { *$sp.add($s as usize) }
                }};
            }
            macro_rules! w {
                ($s:expr, $v:expr) => {{
                    let v: u64 = $v;
                    debug_assert!($x.base + ($s as usize) < $x.slots_len);
                    // SAFETY: as for `r!`.
                    unsafe { *$sp.add($s as usize) = v };
                }};
            }
            // A `v128` in slots `s` and `s + 1` (low half first).
            // On little-endian hosts the two slots are the `u128`'s 16
            // bytes in memory order, moved as one (a vector load or store).
            macro_rules! r128 {
                ($s:expr) => {{
                    debug_assert!($x.base + ($s as usize) + 1 < $x.slots_len);
                    #[cfg(target_endian = "little")]
                    // SAFETY: as for `r!`, for both slots (a `wuse` operand
                    // is below the frame size with its second slot).
                    let v = unsafe { u128::from_le_bytes(*($sp.add($s as usize) as *const [u8; 16])) };
                    #[cfg(not(target_endian = "little"))]
                    let v = u128::from(r!($s)) | (u128::from(r!($s + 1)) << 64);
                    v
                }};
            }
            macro_rules! w128 {
                ($s:expr, $v:expr) => {{
                    let v: u128 = $v;
                    debug_assert!($x.base + ($s as usize) + 1 < $x.slots_len);
                    #[cfg(target_endian = "little")]
                    // SAFETY: as for `r128!`.
                    unsafe {
                        *($sp.add($s as usize) as *mut [u8; 16]) = v.to_le_bytes()
                    };
                    #[cfg(not(target_endian = "little"))]
                    {
                        w!($s, v as u64);
                        w!($s + 1, (v >> 64) as u64);
                    }
                }};
            }
            // The address of the value of module global `$g` of the
            // current instance (two `u64`s for a `v128`).
            macro_rules! global_addr {
                ($g:expr) => {{
                    debug_assert!(($g as usize) < $x.globals_len);
                    // SAFETY: the translator (or the artifact verifier)
                    // keeps global indices below the module's number of
                    // globals, the length of `globals` (see `Exec`).
                    unsafe { (*$x.globals.add($g as usize)).as_ptr() }
                }};
            }
            macro_rules! trap {
                ($code:expr) => {
                    return $crate::exec::interp::handlers::stop_trap($x, $ip, $code)
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
            macro_rules! tryr {
                ($e:expr) => {
                    match $e {
                        Ok(v) => v,
                        Err(e) => return $crate::exec::interp::handlers::stop_err($x, e),
                    }
                };
            }
            // The `f64` accumulator: the result of the instruction run
            // just before, if that one has flag `acc` (else anything; the
            // translator reads it only then).
            macro_rules! acc {
                () => {
                    acc
                };
            }
            // Writes the `f64` `$v` to slot `$d` and to the accumulator
            // (the result of an instruction with flag `acc`).
            macro_rules! w_acc {
                ($d:expr, $v:expr) => {{
                    let v: f64 = $v;
                    acc = v;
                    w!($d, v.to_bits());
                }};
            }
            // The integer accumulator: the result of the instruction run
            // just before, if that one has flag `iacc`.
            macro_rules! iacc {
                () => {
                    iacc
                };
            }
            // Writes the integer `$v` to slot `$d` and to the integer
            // accumulator.
            macro_rules! w_iacc {
                ($d:expr, $v:expr) => {{
                    let v: u64 = $v;
                    iacc = v;
                    w!($d, v);
                }};
            }
            macro_rules! bin {
                ($d:ident, $a:ident, $b:ident, |$p:ident, $q:ident| $e:expr) => {{
                    let $p = r!($a);
                    let $q = r!($b);
                    w_iacc!($d, $e);
                }};
            }
            macro_rules! binimm {
                ($d:ident, $a:ident, $imm:ident, |$p:ident, $q:ident| $e:expr) => {{
                    let $p = r!($a);
                    let $q = $imm;
                    w_iacc!($d, $e);
                }};
            }
            macro_rules! un {
                ($d:ident, $a:ident, |$p:ident| $e:expr) => {{
                    let $p = r!($a);
                    w!($d, $e);
                }};
            }
            macro_rules! jump {
                ($target:expr) => {{
                    $ip = $target;
                    $crate::exec::interp::dispatch::dispatch!(@i $x, $ip, $sp, $mem, acc, iacc)
                }};
            }
            macro_rules! branch {
                ($cond:expr, $off:ident) => {
                    if $cond {
                        // SAFETY: the translator resolves every branch to
                        // an instruction of the same function.
                        jump!(unsafe { $ip.offset($off as isize) })
                    }
                };
            }
            macro_rules! reload_memory {
                () => {
                    $mem = $crate::exec::interp::handlers::reload_memory0($x);
                    $mem_len = $x.mem0_len;
                };
            }
            // An access past the cached length: a shared memory may have
            // been grown by another thread since the length was cached, so
            // look again before trapping (out of line, so that the fast
            // path saves no registers; see `recheck_memory0`).
            macro_rules! beyond_cached_len {
                ($addr:expr, $size:expr) => {
                    return $crate::exec::interp::handlers::recheck_memory0($x, $ip, $sp, $addr + $size, acc, iacc)
                };
                // The second load of an instruction with two: a trap is
                // reported at the `Pad` after it.
                ($addr:expr, $size:expr, second) => {
                    return $crate::exec::interp::handlers::recheck_second_load($x, $ip, $sp, $addr + $size, acc, iacc)
                };
            }
            macro_rules! load {
                ($d:ident, $a:ident, $offset:ident, $t:ty, $conv:expr) => {
                    load_at!($d, r!($a) as u32, $offset, $t, $conv)
                };
            }
            // A load of a `$t` from the `i32` address `$base` plus `$offset`.
            macro_rules! load_at {
                ($d:ident, $base:expr, $offset:ident, $t:ty, $conv:expr) => {{
                    let value: $t = load_value!($base, $offset, $t);
                    let conv: fn($t) -> u64 = $conv;
                    w_iacc!($d, conv(value));
                }};
            }
            // The `$t` at the `i32` address `$base` plus `$offset`.
            macro_rules! load_value {
                ($base:expr, $offset:ident, $t:ty) => {{
                    let base: u32 = $base;
                    let addr = u64::from(base) + u64::from($offset);
                    if addr + (core::mem::size_of::<$t>() as u64) > $mem_len as u64 {
                        beyond_cached_len!(addr, core::mem::size_of::<$t>() as u64);
                    }
                    read_in_bounds!(addr, $t)
                }};
                // The second load of an instruction with two (see
                // `beyond_cached_len`).
                ($base:expr, $offset:ident, $t:ty, second) => {{
                    let base: u32 = $base;
                    let addr = u64::from(base) + u64::from($offset);
                    if addr + (core::mem::size_of::<$t>() as u64) > $mem_len as u64 {
                        beyond_cached_len!(addr, core::mem::size_of::<$t>() as u64, second);
                    }
                    read_in_bounds!(addr, $t)
                }};
            }
            // The `$t` at byte `$addr` of memory 0, which `load_value` has
            // checked to be in bounds.
            macro_rules! read_in_bounds {
                ($addr:ident, $t:ty) => {{
                    // SAFETY: `addr + size <= $mem_len` (checked by
                    // `load_value`), the length of memory 0, whose base
                    // `mem` is reloaded after anything that can move it; a
                    // byte array has alignment 1. (Not `read_unaligned`:
                    // its debug checks take the address of a local, which
                    // keeps LLVM from making the dispatch a tail call.)
                    let raw = unsafe {
                        *($mem.add($addr as usize) as *const [u8; core::mem::size_of::<$t>()])
                    };
                    <$t>::from_le_bytes(raw)
                }};
            }
            macro_rules! store {
                ($a:ident, $v:ident, $offset:ident, $t:ty) => {
                    store_at!(r!($a) as u32, $v, $offset, $t)
                };
            }
            // A store of the `$t` in slot `$v` to the `i32` address `$base`
            // plus `$offset`.
            macro_rules! store_at {
                ($base:expr, $v:ident, $offset:ident, $t:ty) => {
                    store_value!($base, $offset, $t, r!($v) as $t)
                };
            }
            // A store of the `$t` `$value` to the `i32` address `$base`
            // plus `$offset` (`$value` is evaluated after the bounds check).
            macro_rules! store_value {
                ($base:expr, $offset:ident, $t:ty, $value:expr) => {{
                    let base: u32 = $base;
                    let addr = u64::from(base) + u64::from($offset);
                    if addr + (core::mem::size_of::<$t>() as u64) > $mem_len as u64 {
                        beyond_cached_len!(addr, core::mem::size_of::<$t>() as u64);
                    }
                    let v = <$t>::to_le_bytes($value);
                    // SAFETY: as for `load!`.
                    unsafe { *($mem.add(addr as usize) as *mut [u8; core::mem::size_of::<$t>()]) = v };
                }};
            }
            // Reads `$n` (at most 16) bytes of memory 0 at `$a + $offset`
            // into the low bytes of a `u128` (little-endian).
            macro_rules! simd_read {
                ($a:ident, $offset:ident, $n:expr) => {{
                    let n: usize = $n;
                    let addr = u64::from(r!($a) as u32) + u64::from($offset);
                    if addr + n as u64 > $mem_len as u64 {
                        beyond_cached_len!(addr, n as u64);
                    }
                    // SAFETY: `addr + n <= $mem_len` (as in `load!`).
                    unsafe { $crate::exec::interp::handlers::read_le($mem.add(addr as usize), n) }
                }};
                // The second load of an instruction with two (see
                // `beyond_cached_len`).
                ($a:ident, $offset:ident, $n:expr, second) => {{
                    let n: usize = $n;
                    let addr = u64::from(r!($a) as u32) + u64::from($offset);
                    if addr + n as u64 > $mem_len as u64 {
                        beyond_cached_len!(addr, n as u64, second);
                    }
                    // SAFETY: as above.
                    unsafe { $crate::exec::interp::handlers::read_le($mem.add(addr as usize), n) }
                }};
            }
            // The effective address of a SIMD access to any memory: the
            // address operand as the memory's address type, plus the `u64`
            // offset in `$o`.
            macro_rules! simd_slow_addr {
                ($a:ident, $o:ident, $memi:ident) => {{
                    let a = $crate::exec::bulk::address($x.store.inner(), $x.inst, u32::from($memi), r!($a));
                    let Some(addr) = a.checked_add(r!($o)) else {
                        trap!($crate::trap::TrapCode::MemoryOutOfBounds);
                    };
                    addr
                }};
            }
            // Writes the low `$n` bytes of the `u128` `$v` to memory 0.
            macro_rules! simd_write {
                ($a:ident, $offset:ident, $n:expr, $v:expr) => {{
                    let n: usize = $n;
                    let addr = u64::from(r!($a) as u32) + u64::from($offset);
                    if addr + n as u64 > $mem_len as u64 {
                        beyond_cached_len!(addr, n as u64);
                    }
                    // SAFETY: as for `simd_read!`.
                    unsafe { $crate::exec::interp::handlers::write_le($mem.add(addr as usize), n, $v) };
                }};
            }
            // The host address of an atomic access of `$size` bytes at
            // `$a + $offset` in memory 0, after the alignment and bounds
            // checks.
            macro_rules! atomic_addr {
                ($a:ident, $offset:ident, $size:expr) => {{
                    let addr = u64::from(r!($a) as u32) + u64::from($offset);
                    let size: u64 = $size;
                    if addr & (size - 1) != 0 {
                        trap!($crate::trap::TrapCode::HeapMisaligned);
                    }
                    if addr + size > $mem_len as u64 {
                        beyond_cached_len!(addr, size);
                    }
                    // SAFETY: `addr + size <= $mem_len`, as for `load!`.
                    (addr, unsafe { $mem.add(addr as usize) })
                }};
            }
            macro_rules! ret {
                () => {
                    return $crate::exec::interp::handlers::ret($x, $mem, acc, iacc)
                };
            }
            // `call!(callee, base)` calls `callee` with a new frame at
            // `base`; `call!(callee, base, tail)` calls it in place of the
            // current function (`return_call`).
            macro_rules! call {
                ($callee:expr, $b:expr) => {{
                    let callee: u32 = $callee;
                    let how = $crate::exec::interp::handlers::CallArgs::new(callee, $b, false);
                    return $crate::exec::interp::handlers::call($x, $ip, $sp, $mem, how);
                }};
                ($callee:expr, $b:expr, tail) => {{
                    let callee: u32 = $callee;
                    let how = $crate::exec::interp::handlers::CallArgs::new(callee, $b, true);
                    return $crate::exec::interp::handlers::call($x, $ip, $sp, $mem, how);
                }};
            }
            // The store function reference bits `$fref` name, checked
            // against module type `$ty` (trap `$null` if null), and the
            // address of its code if it is a Wasm function of the current
            // instance whose code is known, else 0 (for `call_known`).
            macro_rules! checked_callee {
                ($inner:ident, $fref:expr, $null:expr, $ty:expr) => {{
                    let fref: u64 = $fref;
                    if fref == 0 {
                        trap!($null);
                    }
                    let callee = (fref - 1) as u32;
                    let inner = $inner;
                    debug_assert!(
                        ($ty as usize) < inner.instances[$x.inst as usize].module.inner.type_ids.len()
                    );
                    // SAFETY: the translator (or the artifact verifier)
                    // keeps type indices below the module's number of
                    // types, the length of `type_ids` (see `Exec`).
                    let expected = unsafe { *$x.type_ids.add($ty as usize) };
                    // Only code from a crafted trusted artifact can forge a
                    // reference to no function (tests/fuzzcases/002-*).
                    let Some(entity) = inner.funcs.get(callee as usize) else {
                        trap!($crate::trap::TrapCode::BadSignature)
                    };
                    if entity.type_id != expected {
                        // A subtype, or the wrong type: out of line (a call
                        // here would make every call handler save
                        // registers).
                        return $crate::exec::interp::handlers::call_subtype(
                            $x, $ip, $sp, $mem, callee, expected,
                        );
                    }
                    let code = match entity.kind {
                        $crate::vm::FuncKind::Wasm { instance, .. } if instance == $x.inst => entity.code,
                        _ => 0,
                    };
                    (callee, code)
                }};
            }
            // The function `call_indirect` calls: element `idx` of
            // `table`, checked against module type `ty`.
            macro_rules! indirect_callee {
                ($table:expr, $ty:expr, $idx:expr) => {{
                    let inner = $x.store.inner();
                    debug_assert!(($table as usize) < inner.instances[$x.inst as usize].tables.len());
                    // SAFETY: the translator (or the artifact verifier)
                    // keeps table indices below the module's number of
                    // tables, the length of the instance's `tables` (see
                    // `Exec`), whose entries are tables of the store.
                    let t = unsafe {
                        inner.tables.get_unchecked(*$x.tables.add($table as usize) as usize)
                    };
                    // All 64 bits of a 64-bit table's index.
                    let raw = r!($idx);
                    let i = if t.index64 { raw } else { u64::from(raw as u32) };
                    let Some(&fref) = t.elems.get(usize::try_from(i).unwrap_or(usize::MAX)) else {
                        trap!($crate::trap::TrapCode::TableOutOfBounds)
                    };
                    checked_callee!(inner, fref, $crate::trap::TrapCode::IndirectCallToNull, $ty)
                }};
            }
            // The function `call_ref` calls: the reference in `$r`.
            macro_rules! ref_callee {
                ($ty:expr, $r:expr) => {{
                    let inner = $x.store.inner();
                    checked_callee!(inner, r!($r), $crate::trap::TrapCode::NullFunctionReference, $ty)
                }};
            }
            macro_rules! throw {
                ($exn:expr) => {{
                    let exn: u64 = $exn;
                    return $crate::exec::interp::handlers::throw($x, $ip, $sp, exn);
                }};
            }
            // In a block of its own, so that whatever the body made is
            // dropped before the next handler is called: a value left to
            // drop after the call would keep it from being a tail call.
            {
                $body;
            }
            // An instruction with flag `acc` or `iacc` that falls through
            // left its result in that accumulator: checked in debug builds
            // (every test run), so that a flag the handler does not honour
            // fails at once rather than as a wrong value somewhere later.
            // (Out of line, given only values and the code pointer: a
            // reference to this handler's stack would keep LLVM from
            // making the call of the next handler a jump. Not in the tail
            // backend, whose machine code CI checks handler by handler:
            // the debug test run of the loop backend checks every flag.)
            #[cfg(all(debug_assertions, not(weft_tail_dispatch)))]
            $crate::exec::interp::handlers::check_accumulators($ip, $sp, acc.to_bits(), iacc);
            // SAFETY: every function ends with an instruction that does
            // not fall through, so the next instruction exists.
            jump!(unsafe { $ip.add(1) })
        }
    };
}
pub(crate) use handler;

/// Before an instruction that allocates a GC object (and so may collect
/// garbage), a call out of the interpreter, or an epoch callback: says
/// where the run is (its frames, and instruction `ip` of the current
/// function), so that a collection reads its frames by their stack maps
/// (`vm/stack_roots.rs`). [`resume`] must follow before the run goes on.
#[inline(never)]
pub(crate) fn suspend(x: &mut Exec<'_>, ip: Ip) {
    let at = Suspended {
        frames: x.frames.as_ptr() as usize,
        nframes: x.frames.len(),
        func: x.cur_func,
        base: x.base,
        ip: ip as usize,
    };
    if let Some(stack) = x.store.inner().active_stacks.last_mut() {
        stack.at = Some(at);
    }
}

/// After [`suspend`], before the run goes on: the run's frames change
/// from here, so a collection must not read them by what `suspend` said.
#[inline(never)]
pub(crate) fn resume(x: &mut Exec<'_>) {
    if let Some(stack) = x.store.inner().active_stacks.last_mut() {
        stack.at = None;
    }
}

/// The call of host function `index` from the call instruction at `ip`,
/// its arguments and results in `args`, between [`suspend`] and
/// [`resume`]. Out of line and taking only values, so that the calling
/// handler has nothing to drop if `resume` unwinds (which would keep its
/// call of the next handler from being a tail call).
#[inline(never)]
fn call_host_out(
    x: &mut Exec<'_>,
    ip: Ip,
    index: u32,
    args: &mut [u64],
) -> crate::error::Result<()> {
    suspend(x, ip);
    let result = x.store.call_host(index, Some(x.inst), args);
    resume(x);
    result
}

/// [`call_host_out`] for compiled code: entry `entry` with instance
/// context `vmctx`.
#[cfg(weft_compiler)]
#[inline(never)]
fn call_native_out(
    x: &mut Exec<'_>,
    ip: Ip,
    entry: usize,
    vmctx: *mut crate::vm::vmctx::VMContext,
    args: &mut [u64],
) -> crate::error::Result<()> {
    suspend(x, ip);
    let result = crate::exec::native::call_native(&mut *x.store, entry, vmctx, args);
    resume(x);
    result
}

/// Stops the run with trap `code` at `ip`.
#[cold]
#[inline(never)]
pub(crate) fn stop_trap(x: &mut Exec<'_>, ip: Ip, code: TrapCode) -> Done {
    x.stop = Stop::Trap(code, ip);
    Done::stop()
}

/// Stops the run with error `e`.
#[cold]
#[inline(never)]
pub(crate) fn stop_err(x: &mut Exec<'_>, e: Error) -> Done {
    x.stop = Stop::Error(e);
    Done::stop()
}

// The slow paths below run out of line and return plain values (or
// `None` after setting `Exec::stop`), so that the handlers calling them keep
// no stack memory whose address a callee could see: LLVM will then not
// turn their call of the next handler into a jump.

/// The epoch deadline is reached: asks the store's deadline callback, if
/// any. `true`: go on (the deadline moved); `false`: the run stops (trap
/// `Interrupt`, or the callback's error).
#[cold]
#[inline(never)]
pub(crate) fn deadline_reached(x: &mut Exec<'_>, ip: Ip) -> bool {
    let go_on = x.store.inner().epoch_callback && {
        // The callback may collect (the frame's stack map covers its
        // epoch checks: function entry and loop headers).
        suspend(x, ip);
        let decision = x.store.epoch_deadline_reached();
        resume(x);
        match decision {
            Ok(go_on) => go_on,
            Err(e) => {
                stop_err(x, e);
                return false;
            }
        }
    };
    if !go_on {
        stop_trap(x, ip, TrapCode::Interrupt);
    }
    go_on
}

/// `table.grow` of table `table` by `delta` elements of `init`: the old
/// size (or `u32::MAX` if refused), or `None` if the limiter failed the
/// run.
#[inline(never)]
pub(crate) fn table_grow(x: &mut Exec<'_>, table: u32, init: u64, delta: u64) -> Option<u64> {
    match crate::exec::outside::table_grow(&mut *x.store, x.inst, table, init, delta) {
        Ok(old) => Some(old),
        Err(e) => {
            stop_err(x, e);
            None
        }
    }
}

/// `memory.atomic.wait32/64` at `addr` (checked) of memory 0 for value
/// `expected` with timeout `timeout` (ns; negative: none): its result
/// (0 woken, 1 not equal, 2 timed out), or `None` if the run stops (not a
/// shared memory, interrupted by the epoch deadline, or a wait that would
/// block without `std`).
#[cold]
#[inline(never)]
pub(crate) fn atomic_wait(
    x: &mut Exec<'_>,
    ip: Ip,
    addr: u64,
    expected: u64,
    wide: bool,
    timeout: i64,
) -> Option<u64> {
    let Some(shared) = crate::exec::outside::shared_memory0(x.store.inner(), x.inst) else {
        stop_trap(x, ip, TrapCode::AtomicWaitNonSharedMemory);
        return None;
    };
    let timeout = u64::try_from(timeout)
        .ok()
        .map(core::time::Duration::from_nanos);
    let deadline = x.store.inner().blocking_deadline();
    let Some(outcome) = shared.wait(addr, expected, wide, timeout, deadline.as_ref()) else {
        stop_err(
            x,
            Error::msg("memory.atomic.wait would block, which needs Weft's `std` feature"),
        );
        return None;
    };
    if outcome == crate::vm::WaitOutcome::Interrupted {
        stop_trap(x, ip, TrapCode::Interrupt);
        return None;
    }
    Some(outcome as u64)
}

/// Debug builds, after an instruction that falls through: if it has flag
/// `acc` or `iacc`, the accumulator (`acc_bits`, `iacc`) must hold what it
/// wrote to its result's slot.
#[cfg(all(debug_assertions, not(weft_tail_dispatch)))]
#[inline(never)]
pub(crate) fn check_accumulators(ip: Ip, sp: Sp, acc_bits: u64, iacc: u64) {
    // SAFETY: `ip` points to the instruction that just ran.
    let mut op = unsafe { *ip };
    let Some(&mut d) = op.dst_mut() else {
        return;
    };
    // SAFETY: the instruction just wrote its result to slot `d` of the
    // frame at `sp`.
    let slot = unsafe { *sp.add(usize::from(d)) };
    use crate::ir::Flag;
    for (flag, held) in [(Flag::acc, acc_bits), (Flag::iacc, iacc)] {
        if op.has(flag) && held != slot {
            panic!("{op:?} with flag {flag:?} left {held:#x} there but {slot:#x} in its slot");
        }
    }
}

/// Looks memory 0 of the current instance up again (after anything that
/// may have moved or grown it, or changed the instance): returns its base
/// and keeps its length in bytes in `x.mem0_len`, where the bounds checks
/// read it.
#[inline(always)]
pub(crate) fn reload_memory0(x: &mut Exec<'_>) -> *mut u8 {
    let (mem, len) = memory0(x.store.inner(), x.inst);
    x.mem0_len = len;
    mem
}

/// An access of memory 0 that ends at byte `end` (exclusive) was beyond
/// the cached length: reloads memory 0's base and length (another thread
/// may have grown a shared memory) and traps if the access is still out of
/// bounds, or else runs the instruction at `ip` again with the new ones.
/// Only for instructions that check bounds before any effect.
#[cold]
#[inline(never)]
pub(crate) fn recheck_memory0(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    end: u64,
    acc: f64,
    iacc: u64,
) -> Done {
    recheck(x, ip, ip, sp, end, acc, iacc)
}

/// [`recheck_memory0`] for the second load of an instruction with two
/// (`Load32ByteIdx`): a trap is reported at the `Pad` after it, whose
/// Wasm offset is that load's. (Its own function, not an argument: one
/// more register argument would cost every load handler a move.)
#[cold]
#[inline(never)]
pub(crate) fn recheck_second_load(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    end: u64,
    acc: f64,
    iacc: u64,
) -> Done {
    // SAFETY: a `Pad` follows every `Load32ByteIdx` and `V128Load128Pair`
    // (the translator emits it, the artifact verifier checks it).
    let pad = unsafe { ip.add(1) };
    recheck(x, ip, pad, sp, end, acc, iacc)
}

/// The two above: traps at `trap_ip` or runs `ip` again.
#[inline(always)]
fn recheck(x: &mut Exec<'_>, ip: Ip, trap_ip: Ip, sp: Sp, end: u64, acc: f64, iacc: u64) -> Done {
    let mem = reload_memory0(x);
    if end > x.mem0_len as u64 {
        return stop_trap(x, trap_ip, TrapCode::MemoryOutOfBounds);
    }
    dispatch!(@i x, ip, sp, mem, acc, iacc)
}

/// `memory.atomic.notify` at `addr` (checked) of memory 0, waking at most
/// `count` waiters: how many it woke (0 for an unshared memory, which no
/// thread can wait on). Out of line, as its locals must not share a frame
/// with a tail call.
#[inline(never)]
pub(crate) fn atomic_notify(x: &mut Exec<'_>, addr: u64, count: u32) -> u32 {
    match crate::exec::outside::shared_memory0(x.store.inner(), x.inst) {
        Some(shared) => shared.notify(addr, count),
        None => 0,
    }
}

/// Reads `n` bytes (1, 2, 4, 8 or 16) at `p` as a little-endian number.
///
/// # Safety
///
/// `p..p + n` must be readable.
#[inline(always)]
pub(crate) unsafe fn read_le(p: *const u8, n: usize) -> u128 {
    // SAFETY: the caller's promise; byte arrays have alignment 1.
    unsafe {
        match n {
            1 => u128::from(*p),
            2 => u128::from(u16::from_le_bytes(*(p as *const [u8; 2]))),
            4 => u128::from(u32::from_le_bytes(*(p as *const [u8; 4]))),
            8 => u128::from(u64::from_le_bytes(*(p as *const [u8; 8]))),
            _ => {
                debug_assert!(n == 16);
                u128::from_le_bytes(*(p as *const [u8; 16]))
            }
        }
    }
}

/// Writes the low `n` bytes (1, 2, 4, 8 or 16) of `v` at `p`,
/// little-endian.
///
/// # Safety
///
/// `p..p + n` must be writable.
#[inline(always)]
pub(crate) unsafe fn write_le(p: *mut u8, n: usize, v: u128) {
    // SAFETY: the caller's promise; byte arrays have alignment 1.
    unsafe {
        match n {
            1 => *p = v as u8,
            2 => *(p as *mut [u8; 2]) = (v as u16).to_le_bytes(),
            4 => *(p as *mut [u8; 4]) = (v as u32).to_le_bytes(),
            8 => *(p as *mut [u8; 8]) = (v as u64).to_le_bytes(),
            _ => {
                debug_assert!(n == 16);
                *(p as *mut [u8; 16]) = v.to_le_bytes()
            }
        }
    }
}

/// Returns from the current function: to the caller's next instruction
/// (with memory 0 at `mem` if the caller is in the same instance), or,
/// from the entry function, out of the run. `acc` and `iacc` are passed
/// on as they are (the instruction after a call never reads them: a call
/// has no accumulator flag), which costs nothing, where zeroing them
/// costs an instruction per return.
#[inline(always)]
pub(crate) fn ret(x: &mut Exec<'_>, mem: *mut u8, acc: f64, iacc: u64) -> Done {
    let Some(f) = x.frames.pop() else {
        return ret_from_entry(x);
    };
    x.base = f.base;
    x.cur_func = f.func;
    // SAFETY: a caller's base was valid when it was pushed.
    let sp = unsafe { x.slots.add(f.base) };
    if f.instance != x.inst {
        return ret_to_instance(x, f.ip, sp, f.instance);
    }
    dispatch!(@i x, f.ip, sp, mem, acc, iacc)
}

/// The rest of [`ret`] from the entry function: the run is over.
#[cold]
#[inline(never)]
fn ret_from_entry(x: &mut Exec<'_>) -> Done {
    x.stop = Stop::Returned;
    Done::stop()
}

/// The rest of [`ret`] to a caller in another instance (out of line: the
/// common return stays in its instance).
#[cold]
#[inline(never)]
fn ret_to_instance(x: &mut Exec<'_>, ip: Ip, sp: Sp, instance: u32) -> Done {
    x.set_instance(instance);
    let mem = reload_memory0(x);
    dispatch!(x, ip, sp, mem, 0.0)
}

/// `call` of module function `func` of the current instance, its frame
/// starting at slot `b` of the current one. The fast path: a function of
/// this instance that a call has looked up before (`callee_code`), with
/// room for its frame record; anything else goes through [`call`].
/// `acc` and `iacc` are passed on as [`ret`] does.
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn call_direct(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    mem: *mut u8,
    func: u32,
    b: u16,
    acc: f64,
    iacc: u64,
) -> Done {
    debug_assert!(
        func < x.store.inner().instances[x.inst as usize]
            .module
            .inner
            .num_funcs
    );
    // SAFETY: the translator (or the artifact verifier) keeps function
    // indices below the module's number of functions, the length of both
    // tables (see `Exec`).
    let (code, callee) = unsafe {
        (
            (*x.callee_code.add(func as usize)).get(),
            *x.funcs.add(func as usize),
        )
    };
    call_known(x, ip, sp, mem, callee, code, b, acc, iacc)
}

/// A call of store function `callee` whose translated code is at address
/// `code` if it is a Wasm function of the current instance whose code is
/// known (0 otherwise): straight into that code when there is room for the
/// frame record, else through [`call`].
#[inline(always)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn call_known(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    mem: *mut u8,
    callee: u32,
    code: usize,
    b: u16,
    acc: f64,
    iacc: u64,
) -> Done {
    // Anything but the common case goes through `call`: code not looked
    // up yet, a full frame vector, or the frame limit reached (which
    // `call` reports).
    let len = x.frames.len();
    if code == 0 || len >= x.frames.capacity() || len >= x.max_frames {
        return call(x, ip, sp, mem, CallArgs::new(callee, b, false));
    }
    // SAFETY: `call` cached the address of the function's `CompiledFunc`,
    // which lives as long as the store (see `compiled`).
    let cf = unsafe { &*(code as *const CompiledFunc) };
    let new_base = x.base + b as usize;
    if new_base + cf.frame_size as usize > x.slots_len {
        return stop_trap(x, ip, TrapCode::StackOverflow);
    }
    // SAFETY: `len` is below the capacity (checked), so the record fits
    // in the vector's buffer; a call is never the last instruction of a
    // function (an `end` return follows), so `ip + 1` is inside the code.
    unsafe {
        x.frames.as_mut_ptr().add(len).write(Frame {
            ip: ip.add(1),
            base: x.base,
            instance: x.inst,
            func: x.cur_func,
        });
        x.frames.set_len(len + 1);
    }
    x.base = new_base;
    // SAFETY: the new frame, b slots up, fits in the value stack
    // (checked: base + b + frame_size <= slots_len).
    let sp = unsafe { sp.add(b as usize) };
    x.cur_func = callee;
    match cf.init {
        FrameInit::Nothing => {}
        // SAFETY: as above; `ZeroTwo` is only chosen when both slots are
        // inside the frame.
        FrameInit::ZeroTwo { at } => unsafe {
            sp.add(at as usize).write(0);
            sp.add(at as usize + 1).write(0);
        },
        // SAFETY: as above.
        FrameInit::Full => return unsafe { enter_and_dispatch(x, cf, sp, mem, iacc, acc) },
    }
    dispatch!(@i x, cf.code.as_ptr(), sp, mem, acc, iacc)
}

/// The rest of [`call_known`] for a callee with locals to zero or
/// constants to copy: out of line and reached by a tail call, so that the
/// call handlers keep no values across the loops and need not save
/// registers (most callees need no more than [`FrameInit::ZeroTwo`]).
///
/// # Safety
/// `sp` points to at least `cf.frame_size` writable slots.
#[inline(never)]
unsafe fn enter_and_dispatch(
    x: &mut Exec<'_>,
    cf: &CompiledFunc,
    sp: Sp,
    mem: *mut u8,
    iacc: u64,
    acc: f64,
) -> Done {
    // SAFETY: the caller's guarantee.
    unsafe { enter_frame(sp, cf) };
    dispatch!(@i x, cf.code.as_ptr(), sp, mem, acc, iacc)
}

/// Whether calls may cache a function's translated code so that later
/// calls skip this slow path: not under `Strategy::Auto`, where every call
/// of a Wasm function comes here to be counted and to switch to the
/// function's machine code once it is compiled.
#[inline(always)]
fn caches_code(x: &mut Exec<'_>) -> bool {
    #[cfg(weft_compiler)]
    {
        x.store.inner().engine.config().strategy != crate::engine::Strategy::Auto
    }
    #[cfg(not(weft_compiler))]
    {
        let _ = x;
        true
    }
}

/// Records the caller's frame for a call at `ip` and moves the frame
/// base to `new_base`, where `cf`'s frame starts; false, with nothing
/// changed, if the frame would pass the end of the value stack or the
/// frame limit (a stack overflow).
#[inline(always)]
fn push_frame(x: &mut Exec<'_>, ip: Ip, new_base: usize, cf: &CompiledFunc) -> bool {
    if new_base + cf.frame_size as usize > x.slots_len || x.frames.len() >= x.max_frames {
        return false;
    }
    x.frames.push(Frame {
        // SAFETY: a call is never the last instruction of a function (an
        // `end` return follows).
        ip: unsafe { ip.add(1) },
        base: x.base,
        instance: x.inst,
        func: x.cur_func,
    });
    x.base = new_base;
    true
}

/// What [`call`] is asked to do, packed into one register: the store
/// function to call, the slot where its frame starts, whether it replaces
/// the current function. (Six register arguments at most: with more, the
/// call of the next handler could not be a tail call on x86-64.)
#[derive(Clone, Copy)]
pub(crate) struct CallArgs(u64);

impl CallArgs {
    #[inline(always)]
    pub(crate) fn new(callee: u32, base: u16, tail: bool) -> CallArgs {
        CallArgs(u64::from(callee) | u64::from(base) << 32 | u64::from(tail) << 48)
    }
}

/// The rest of an indirect call or `call_ref` at `ip` whose callee,
/// store function `callee`, does not have canonical type `expected`
/// itself: traps with `BadSignature` unless its type is a subtype of
/// `expected`, else makes the call (the instruction gives its frame's
/// slot and whether it is a tail call).
#[cold]
#[inline(never)]
pub(crate) fn call_subtype(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    mem: *mut u8,
    callee: u32,
    expected: u32,
) -> Done {
    if !x.store.inner().func_matches(callee, expected) {
        return stop_trap(x, ip, TrapCode::BadSignature);
    }
    // SAFETY: `ip` is the running instruction.
    let (b, tail) = match unsafe { *ip } {
        Op::CallIndirect { base, .. } | Op::CallRef { base, .. } => (base, false),
        Op::ReturnCallIndirect { base, .. } | Op::ReturnCallRef { base, .. } => (base, true),
        _ => return stop_err(x, Error::runtime("internal: not an indirect call")),
    };
    call(x, ip, sp, mem, CallArgs::new(callee, b, tail))
}

/// Calls store function `callee` from the call instruction at `ip`, its
/// frame starting at slot `b` of the current one; with `tail`, in place
/// of the current function (`return_call`: the arguments move to slot 0
/// and no frame record is pushed, so tail recursion runs in constant
/// stack).
#[inline(never)]
pub(crate) fn call(x: &mut Exec<'_>, ip: Ip, sp: Sp, mem: *mut u8, how: CallArgs) -> Done {
    let (callee, b, tail) = (how.0 as u32, (how.0 >> 32) as u16, how.0 >> 48 != 0);
    let callee = match resolve(x.store.inner(), callee) {
        Ok(c) => c,
        Err(e) => return stop_err(x, e),
    };
    let new_base = x.base + b as usize;
    match x.store.inner().funcs[callee as usize].kind {
        FuncKind::Wasm { instance, def } => {
            #[cfg(weft_compiler)]
            let (callee, instance, def) = {
                let native = crate::exec::native::native_entry_counting(x.store.inner(), callee);
                if native.0 == 0 {
                    (callee, instance, def)
                } else {
                    match call_compiled(x, ip, sp, callee, native, new_base, tail) {
                        Compiled::Done(done) => return done,
                        Compiled::Interpret(next) => {
                            match x.store.inner().funcs[next as usize].kind {
                                FuncKind::Wasm { instance, def } => (next, instance, def),
                                _ => {
                                    return stop_err(
                                        x,
                                        Error::runtime("internal: a pending host call"),
                                    )
                                }
                            }
                        }
                    }
                }
            };
            let cached = x.store.inner().funcs[callee as usize].code;
            let cf: &CompiledFunc = if cached != 0 {
                // SAFETY: the address of a `CompiledFunc` that `compiled`
                // returned for this function; see there.
                unsafe { &*(cached as *const CompiledFunc) }
            } else {
                match compiled(x.store.inner(), instance, def) {
                    Ok(c) => {
                        if caches_code(x) {
                            x.store.inner().funcs[callee as usize].code = c as usize;
                        }
                        // SAFETY: see `compiled`.
                        unsafe { &*c }
                    }
                    Err(e) => return stop_err(x, e),
                }
            };
            if instance == x.inst && caches_code(x) {
                // Later `call`s of this function from its instance go
                // straight to the code (`Call`'s fast path).
                let inner = x.store.inner();
                let at = inner.instances[instance as usize]
                    .module
                    .inner
                    .num_imported_funcs
                    + def;
                inner.instances[instance as usize].callee_code[at as usize]
                    .set(cf as *const _ as usize);
            }
            let sp = if tail {
                if x.base + cf.frame_size as usize > x.slots_len {
                    return stop_trap(x, ip, TrapCode::StackOverflow);
                }
                // SAFETY: the arguments are in this frame (below
                // frame_size) and slot 0.. fits (checked); `copy` handles
                // the overlap.
                unsafe { core::ptr::copy(sp.add(b as usize), sp, cf.params as usize) };
                sp
            } else {
                if !push_frame(x, ip, new_base, cf) {
                    return stop_trap(x, ip, TrapCode::StackOverflow);
                }
                // SAFETY: new_base + frame_size <= slots_len (checked by
                // `push_frame`).
                unsafe { x.slots.add(x.base) }
            };
            // SAFETY: base + frame_size <= slots_len (checked).
            unsafe { enter_frame(sp, cf) };
            x.cur_func = callee;
            let mem = if instance != x.inst {
                x.set_instance(instance);
                reload_memory0(x)
            } else {
                mem
            };
            dispatch!(x, cf.code.as_ptr(), sp, mem, 0.0)
        }
        FuncKind::Host { index } => {
            let ty = &x.store.inner().funcs[callee as usize].ty;
            let n = slot_count(ty.params()).max(slot_count(ty.results()));
            if new_base + n > x.slots_len {
                return stop_trap(x, ip, TrapCode::StackOverflow);
            }
            // SAFETY: new_base + n <= slots_len; the stack is not part of
            // the store, so the host cannot reach it.
            let args = unsafe { core::slice::from_raw_parts_mut(x.slots.add(new_base), n) };
            let result = call_host_out(x, ip, index, args);
            outside_call_done(x, ip, sp, callee, new_base, tail, result)
        }
        // `resolve` never returns a late-bound function.
        FuncKind::LateBound { .. } => stop_trap(x, ip, TrapCode::UnresolvedImport),
    }
}

/// What [`call_compiled`] leaves to [`call`].
#[cfg(weft_compiler)]
enum Compiled {
    /// The call is done (or failed): continue with this.
    Done(Done),
    /// The compiled code left a tail call of this interpreted store
    /// function, its arguments in place of the call's: [`call`] enters
    /// it as this call instruction's callee.
    Interpret(u32),
}

/// The call of compiled function `callee` (entry `entry`, instance
/// context `vmctx`) from the call instruction at `ip`, as [`call`] makes
/// it: its arguments and results in the slots from `new_base` on. If the
/// compiled code left a tail call of a function that is not compiled to
/// its entry (`exec/native.rs`, `tail_call_store_func`), that call is
/// made as this call instruction's (a tail call if this one is): in a
/// loop here if the function is compiled by now, else by [`call`]
/// entering it in the interpreter. Neither nests, so tail calls back and
/// forth between the tiers run in constant stack.
#[cfg(weft_compiler)]
#[inline(always)]
fn call_compiled(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    mut callee: u32,
    mut native: (usize, *mut crate::vm::vmctx::VMContext),
    new_base: usize,
    tail: bool,
) -> Compiled {
    loop {
        let ty = &x.store.inner().funcs[callee as usize].ty;
        let n = slot_count(ty.params()).max(slot_count(ty.results())).max(1);
        if new_base + n > x.slots_len {
            return Compiled::Done(stop_trap(x, ip, TrapCode::StackOverflow));
        }
        // SAFETY: new_base + n <= slots_len; the stack is not part of the
        // store, so nothing the compiled code calls can reach it.
        let args = unsafe { core::slice::from_raw_parts_mut(x.slots.add(new_base), n) };
        let result = call_native_out(x, ip, native.0, native.1, args);
        let next = match result {
            Ok(()) => match x.store.inner().pending_tail.take() {
                Some(next) => next,
                None => {
                    return Compiled::Done(outside_call_done(
                        x,
                        ip,
                        sp,
                        callee,
                        new_base,
                        tail,
                        Ok(()),
                    ))
                }
            },
            Err(e) => {
                return Compiled::Done(outside_call_done(x, ip, sp, callee, new_base, tail, Err(e)))
            }
        };
        let inner = x.store.inner();
        let np = inner.pending_args.len();
        if new_base + np > x.slots_len {
            return Compiled::Done(stop_trap(x, ip, TrapCode::StackOverflow));
        }
        // SAFETY: new_base + np <= slots_len (checked); the buffer is the
        // store's, not the stack.
        unsafe {
            core::ptr::copy_nonoverlapping(inner.pending_args.as_ptr(), x.slots.add(new_base), np)
        };
        native = crate::exec::native::native_entry_counting(x.store.inner(), next);
        if native.0 == 0 {
            return Compiled::Interpret(next);
        }
        callee = next;
    }
}

/// The rest of a call that ran outside the interpreter (a host function,
/// compiled code) with its slots from `new_base` on: a Wasm exception it
/// raised is thrown here, an interrupt becomes this frame's trap, the
/// results go where a tail call's caller expects them.
#[inline(always)]
fn outside_call_done(
    x: &mut Exec<'_>,
    ip: Ip,
    sp: Sp,
    callee: u32,
    new_base: usize,
    tail: bool,
    result: crate::error::Result<()>,
) -> Done {
    if let Err(e) = result {
        return outside_call_failed(x, ip, sp, e);
    }
    let mem = reload_memory0(x);
    if tail {
        let nr = slot_count(x.store.inner().funcs[callee as usize].ty.results());
        // SAFETY: both ranges are inside the stack; `copy` handles the
        // overlap.
        unsafe { core::ptr::copy(x.slots.add(new_base), sp, nr) };
        return ret(x, mem, 0.0, 0);
    }
    // SAFETY: a call is never the last instruction of a function.
    dispatch!(x, unsafe { ip.add(1) }, sp, mem, 0.0)
}

/// A call outside the interpreter failed with `e`: a Wasm exception it
/// raised is thrown here, a host function stopped by the epoch deadline
/// (`EpochDeadline::interrupt`) is this frame's interrupt trap (with the
/// Wasm frames that called it), anything else stops the run. Out of line
/// and taking the error by value, so that the calling handler keeps no
/// error in its frame (which would keep its dispatch from being a tail
/// call).
#[cold]
#[inline(never)]
fn outside_call_failed(x: &mut Exec<'_>, ip: Ip, sp: Sp, e: Error) -> Done {
    match e.kind() {
        ErrorKind::Exception { exn, .. } if exn.store == x.store.inner().id => {
            let bits = exn.bits;
            if x.store.inner().gc.exn(bits).is_none() {
                // The host kept the exception past the scope that rooted
                // it and a collection freed it.
                return stop_err(x, e);
            }
            throw(x, ip, sp, bits)
        }
        ErrorKind::Trap(t) if t.code() == TrapCode::Interrupt && t.backtrace().is_empty() => {
            stop_trap(x, ip, TrapCode::Interrupt)
        }
        ErrorKind::Trap(t) if !t.backtrace().is_empty() => {
            x.stop = Stop::TrapOutside(e, ip);
            Done::stop()
        }
        _ => stop_err(x, e),
    }
}

/// Throws the exception `exn` names (its `exnref` bits: a live exception
/// of the store's GC heap) from the instruction at `ip`: finds the innermost handler that catches it in
/// this function or, frame by frame, in its callers; writes the values
/// (and `exnref`) where the handler says and continues at its landing pad.
/// With no handler left, the run fails with the exception.
#[cold]
#[inline(never)]
pub(crate) fn throw(x: &mut Exec<'_>, ip: Ip, mut sp: Sp, exn: u64) -> Done {
    let Some(exn_tag) = x.store.inner().gc.exn(exn).map(|e| e.tag) else {
        return stop_err(
            x,
            Error::runtime("internal: a thrown exception is not in the heap"),
        );
    };
    let mut at_ip = ip;
    let pad = loop {
        let inner = x.store.inner();
        let FuncKind::Wasm { def, .. } = inner.funcs[x.cur_func as usize].kind else {
            return stop_err(x, Error::runtime("internal: a frame of a host function"));
        };
        let cf = match compiled(inner, x.inst, def) {
            // SAFETY: see `compiled`; the function is running, so its
            // code exists.
            Ok(c) => unsafe { &*c },
            Err(e) => return stop_err(x, e),
        };
        let inner = x.store.inner();
        let pc = (at_ip as usize - cf.code.as_ptr() as usize) / core::mem::size_of::<Op>();
        let tags = &inner.instances[x.inst as usize].tags;
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
                let w = |s: usize, v: u64| {
                    debug_assert!(x.base + s < x.slots_len);
                    // SAFETY: the translator (or the verifier) keeps a
                    // handler's slots inside the frame.
                    unsafe { *sp.add(s) = v };
                };
                if h.tag != Handler::ALL {
                    let Some(exception) = inner.gc.exn(exn) else {
                        return stop_err(
                            x,
                            Error::runtime("internal: a thrown exception is not in the heap"),
                        );
                    };
                    let mut at = 0;
                    for t in inner.tags[exn_tag as usize].ty.params() {
                        for k in 0..t.slots() {
                            w(d + k, exception.payload[at + k]);
                        }
                        at += t.slots();
                        d += if h.wide { 2 } else { 1 };
                    }
                }
                if let Some(s) = h.exn_at {
                    w(usize::from(s), exn);
                    x.store.inner().gc.expose_exn(exn);
                } else {
                    x.store.inner().gc.caught(exn);
                }
                // SAFETY: landing pads are instructions of the function.
                break unsafe { cf.code.as_ptr().add(h.pad as usize) };
            }
        }
        match x.frames.pop() {
            None => {
                let e = crate::vm::exception_of(x.store.inner(), exn);
                return stop_err(x, e);
            }
            Some(f) => {
                // The caller's call instruction is the one before its
                // return address.
                // SAFETY: a return address follows a call.
                at_ip = unsafe { f.ip.sub(1) };
                x.base = f.base;
                // SAFETY: a caller's base was valid when it was pushed.
                sp = unsafe { x.slots.add(x.base) };
                x.cur_func = f.func;
                if f.instance != x.inst {
                    x.set_instance(f.instance);
                }
            }
        }
    };
    let mem = reload_memory0(x);
    dispatch!(x, pad, sp, mem, 0.0)
}
